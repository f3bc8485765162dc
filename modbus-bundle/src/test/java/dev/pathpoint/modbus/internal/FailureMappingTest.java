package dev.pathpoint.modbus.internal;

import static dev.pathpoint.modbus.internal.Ops.failure;
import static dev.pathpoint.modbus.internal.Ops.read;
import static dev.pathpoint.modbus.internal.Ops.run;
import static dev.pathpoint.modbus.internal.Ops.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.driver.ReadOperation;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.modbus.internal.name.Area;
import dev.pathpoint.modbus.internal.sim.ModbusTcpSimulator;
import dev.pathpoint.modbus.internal.sim.SimulatorImage;
import dev.pathpoint.testing.FreePorts;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way a device can answer badly, against a scripted server, and the reason each maps to. */
class FailureMappingTest {
    private ScriptedServer server;
    private ModbusDriver driver;

    private void start(Function<byte[], byte[]> script) throws Exception {
        server = new ScriptedServer(script);
        driver = new ModbusDriver(ConnectionSettings.tcp("scripted", "127.0.0.1", server.port()).withTimeouts(300, 0, 0));
    }

    @AfterEach
    void stop() throws Exception {
        if (driver != null) {
            driver.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"1, INVALID", "2, INVALID", "3, INVALID", "4, TIMEOUT", "5, TIMEOUT", "6, TIMEOUT", "10, TIMEOUT",
        "11, TIMEOUT", "9, MALFORMED"})
    void exceptionCodesMapToReasons(int code, OperationFailedReason reason) throws Exception {
        start(request -> ScriptedServer.reply(request, (byte) (request[7] | 0x80), (byte) code));
        ReadOperation operation = read("W1r0");
        run(driver, operation);
        assertTrue(failure(operation, reason).getMessage().contains(String.format("exception %02X", code)));
    }

    @Test
    void noAnswerIsTimeout() throws Exception {
        start(request -> null);
        ReadOperation operation = read("W1r0");
        run(driver, operation);
        assertTrue(failure(operation, OperationFailedReason.TIMEOUT).getMessage().contains("no answer"));
    }

    @Test
    void malformedAnswersFailMalformedAndOnlyAStreamThatCannotBeFollowedReconnects() throws Exception {
        AtomicReference<Function<byte[], byte[]>> behaviour = new AtomicReference<>();
        start(request -> behaviour.get().apply(request));
        int connections = 0;
        // what, the message, and whether the stream is out of step (then the connection is reopened)
        Object[][] cases = {
            {"short register data", "data bytes", false},
            {"other function", "function code", false},
            {"other unit", "unit", false},
            {"truncated", "cut short", false},
            {"protocol id 1", "protocol id", true},
            {"length field 0", "length field of 0", true},
        };
        for (Object[] c : cases) {
            behaviour.set(request -> switch ((String) c[0]) {
                case "protocol id 1" -> {
                    byte[] reply = ScriptedServer.reply(request, (byte) 3, (byte) 2, (byte) 0, (byte) 1);
                    reply[3] = 1;
                    yield reply;
                }
                case "length field 0" -> {
                    byte[] reply = ScriptedServer.reply(request, (byte) 3, (byte) 2, (byte) 0, (byte) 1);
                    reply[4] = 0;
                    reply[5] = 0;
                    yield reply;
                }
                case "short register data" -> ScriptedServer.reply(request, (byte) 3, (byte) 0);
                case "other function" -> ScriptedServer.reply(request, (byte) 4, (byte) 2, (byte) 0, (byte) 1);
                case "other unit" -> {
                    byte[] reply = ScriptedServer.reply(request, (byte) 3, (byte) 2, (byte) 0, (byte) 1);
                    reply[6] = 9;
                    yield reply;
                }
                default -> ScriptedServer.reply(request, (byte) 3, (byte) 2, (byte) 0);
            });
            ReadOperation operation = read("W1r0");
            run(driver, operation);
            String message = failure(operation, OperationFailedReason.MALFORMED).getMessage();
            assertTrue(message.contains((String) c[1]), () -> c[0] + ": " + message);
            if (connections == 0) {
                connections = 1;
            }
            assertEquals(connections, server.accepted(), c[0] + ": a well-framed bad answer keeps the connection");
            if ((Boolean) c[2]) {
                connections++; // the next request opens a new one
            }
        }
        behaviour.set(request -> ScriptedServer.reply(request, (byte) 3, (byte) 2, (byte) 0x12, (byte) 0x34));
        ReadOperation good = read("W1r0");
        run(driver, good);
        assertEquals(PathpointValue.of(0x1234), value(good));
        assertEquals(connections, server.accepted());
        assertEquals(4L + 2L, driver.connection().counters().get("malformed"), "every bad answer counted");
    }

    @Test
    void refusedConnectionIsTimeoutAndBacksOff() throws Exception {
        try (Socket refusing = FreePorts.refusing()) {
            driver = new ModbusDriver(ConnectionSettings.tcp("gone", "127.0.0.1", refusing.getLocalPort())
                    .withTimeouts(300, 60_000, 60_000));
            ReadOperation first = read("W1r0");
            run(driver, first);
            String refused = failure(first, OperationFailedReason.TIMEOUT).getMessage();
            assertTrue(refused.contains("cannot connect"), refused);
            ReadOperation second = read("W1r0");
            run(driver, second);
            String backingOff = failure(second, OperationFailedReason.TIMEOUT).getMessage();
            assertTrue(backingOff.contains("next connect attempt"), backingOff);
        }
    }

    @Test
    void operationDuringAShortBackoffWaitsForTheNextConnect() throws Exception {
        // refused, and kept from others until the device takes it
        Socket refusing = FreePorts.refusing();
        int port = refusing.getLocalPort();
        // the reconnect delay is well inside the response timeout: a read in the backoff waits for the next connect
        driver = new ModbusDriver(ConnectionSettings.tcp("coming-up", "127.0.0.1", port).withTimeouts(5_000, 500, 500));
        ReadOperation first = read("W1r0");
        run(driver, first);
        String refused = failure(first, OperationFailedReason.TIMEOUT).getMessage();
        assertTrue(refused.contains("cannot connect"), refused);
        refusing.close();
        try (ModbusTcpSimulator device = new ModbusTcpSimulator(new SimulatorImage().define(Area.HOLDING_REGISTER, "0-9"),
                ModbusTcpSimulator.Options.loopback().withPort(port))) {
            ReadOperation second = read("W1r0");
            run(driver, second);
            assertEquals(PathpointValue.of(0), value(second));
        }
    }
}
