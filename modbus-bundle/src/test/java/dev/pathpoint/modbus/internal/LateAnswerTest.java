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
import dev.pathpoint.modbus.internal.link.ModbusLink;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A late answer on TCP is a stale frame, dropped and counted; the connection stays. */
class LateAnswerTest {
    private ScriptedServer server;
    private ModbusDriver driver;

    @AfterEach
    void stop() throws Exception {
        if (driver != null) {
            driver.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Answers register 0 only after the next request: the late answer comes just before the next one's. */
    @Test
    void aLateAnswerIsDroppedByItsTransactionIdAndTheConnectionKept() throws Exception {
        List<byte[]> held = new ArrayList<>();
        server = new ScriptedServer(request -> {
            int address = ((request[8] & 0xFF) << 8) | (request[9] & 0xFF);
            byte[] reply = ScriptedServer.reply(request, (byte) 3, (byte) 2, (byte) 0, (byte) (address + 1));
            if (address == 0) {
                held.add(reply);
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            held.forEach(out::writeBytes);
            held.clear();
            out.writeBytes(reply);
            return out.toByteArray();
        });
        driver = new ModbusDriver(ConnectionSettings.tcp("late", "127.0.0.1", server.port()).withTimeouts(300, 0, 0));
        ReadOperation slow = read("W1r0");
        run(driver, slow);
        assertTrue(failure(slow, OperationFailedReason.TIMEOUT).getMessage().contains("no answer"));

        ReadOperation next = read("W1r5");
        run(driver, next);
        assertEquals(PathpointValue.of(6), value(next), "the late answer to register 0 is not taken for register 5's");
        assertEquals(1, driver.connection().staleFrames(), "the late answer counted as stale");
        assertEquals(1, server.accepted(), "one connection throughout");
        assertEquals(1L, driver.connection().counters().get("timeouts"));
    }

    @Test
    void requestsInARowWithNoByteBackReopenTheConnection() throws Exception {
        boolean[] answering = {false};
        server = new ScriptedServer(request -> answering[0] ? ScriptedServer.reply(request, (byte) 3, (byte) 2, (byte) 0, (byte) 7)
                : null);
        driver = new ModbusDriver(ConnectionSettings.tcp("silent", "127.0.0.1", server.port()).withTimeouts(200, 0, 0));
        for (int i = 1; i <= ModbusLink.SILENT_TIMEOUTS; i++) {
            ReadOperation unanswered = read("W1r0");
            run(driver, unanswered);
            String message = failure(unanswered, OperationFailedReason.TIMEOUT).getMessage();
            assertEquals(i == ModbusLink.SILENT_TIMEOUTS, message.contains("reconnecting"), message);
            assertEquals(1, server.accepted(), "kept while silence may be a slow device");
        }
        answering[0] = true;
        ReadOperation answered = read("W1r0");
        run(driver, answered);
        assertEquals(PathpointValue.of(7), value(answered));
        assertEquals(2, server.accepted(), "a peer silent for " + ModbusLink.SILENT_TIMEOUTS + " requests gets a new connection");
    }
}
