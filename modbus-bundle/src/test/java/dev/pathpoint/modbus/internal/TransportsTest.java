package dev.pathpoint.modbus.internal;

import static dev.pathpoint.modbus.internal.Ops.failure;
import static dev.pathpoint.modbus.internal.Ops.read;
import static dev.pathpoint.modbus.internal.Ops.readValue;
import static dev.pathpoint.modbus.internal.Ops.run;
import static dev.pathpoint.modbus.internal.Ops.writeValue;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.driver.ReadOperation;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointValue;
import com.fazecast.jSerialComm.SerialPort;
import dev.pathpoint.modbus.internal.link.LinkCounters;
import dev.pathpoint.modbus.internal.link.Pdus;
import dev.pathpoint.modbus.internal.link.RtuLink;
import dev.pathpoint.modbus.internal.link.SerialStream;
import dev.pathpoint.modbus.internal.link.TimedStream;
import dev.pathpoint.modbus.internal.plan.PlanningLimits;
import dev.pathpoint.testing.FreePorts;
import dev.pathpoint.testing.PymodbusServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** RTU over TCP, UDP and RTU on a serial line, each against pymodbus. */
class TransportsTest {
    private static final PlanningLimits NO_MASK_WRITE = new PlanningLimits(125, 2000, 10, 64, 123, 1968, true, false);

    /** Reads W1r5 until it answers 15 (for servers whose readiness cannot be seen from outside). */
    private static void awaitAnswering(ModbusDriver driver) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            ReadOperation probe = read("W1r5");
            driver.execute(List.of(probe));
            try {
                return PathpointValue.of(15).equals(probe.completion().toCompletableFuture().get(5, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                return false;
            }
        });
    }

    private static void exercise(ModbusDriver driver) {
        assertEquals(PathpointValue.of(15), readValue(driver, "W1r5"));
        assertEquals(PathpointValue.of(1007), readValue(driver, "W1i7"));
        assertEquals(PathpointValue.of(1), readValue(driver, "B1c3"));
        assertEquals(PathpointValue.of(1), readValue(driver, "B1d3"));
        writeValue(driver, "f1r20@CDAB", PathpointValue.of(2.5));
        assertEquals(PathpointValue.of(2.5), readValue(driver, "f1r20@CDAB"));
        writeValue(driver, "B1r30.0", PathpointValue.of(1));
        assertEquals(PathpointValue.of(91), readValue(driver, "W1r30"));
        writeValue(driver, "B1c31", PathpointValue.of(0));
        assertEquals(PathpointValue.of(0), readValue(driver, "B1c31"));
        ReadOperation missing = read("W1r150");
        run(driver, missing);
        assertTrue(failure(missing, OperationFailedReason.INVALID).getMessage().contains("exception 02"));
    }

    @Test
    @SuppressWarnings("try") // the server only has to run while the body does
    void rtuOverTcp() throws Exception {
        int port = FreePorts.pick();
        try (PymodbusServer server = PymodbusDevice.tcp("rtu-over-tcp", port)) {
            ModbusDriver driver = new ModbusDriver(ConnectionSettings.tcp("rtu-tcp", "127.0.0.1", port)
                    .withTransport(Transport.RTU_OVER_TCP).withLimits(NO_MASK_WRITE));
            try {
                exercise(driver);
            } finally {
                driver.close();
            }
        }
    }

    @Test
    @SuppressWarnings("try") // the server only has to run while the body does
    void udp() throws Exception {
        int port = FreePorts.pick();
        try (PymodbusServer server = PymodbusDevice.udp(port)) {
            ModbusDriver driver = new ModbusDriver(ConnectionSettings.tcp("udp", "127.0.0.1", port)
                    .withTransport(Transport.UDP).withLimits(NO_MASK_WRITE).withTimeouts(500, 0, 0));
            try {
                awaitAnswering(driver);
                exercise(driver);
            } finally {
                driver.close();
            }
        }
    }

    /** RTU through a pseudo-terminal pair made by socat: the driver on one end, pymodbus' serial server on the other. */
    @Test
    void rtuOnASerialLine() throws Exception {
        onSerialLine((driverEnd, server) -> {
            ModbusDriver driver = new ModbusDriver(ConnectionSettings.tcp("rtu", "127.0.0.1", 1)
                    .withSerial(driverEnd, 19200, Parity.NONE).withLimits(NO_MASK_WRITE).withTimeouts(500, 0, 0));
            try {
                awaitAnswering(driver);
                exercise(driver);
                // units 1 and 2 on the same line: one connection, one queue, one transaction at a time
                List<ReadOperation> bothUnits = List.of(read("W1r5"), read("W2r6"), read("w2r7"), read("W1i8"));
                driver.execute(List.copyOf(bothUnits));
                assertEquals(PathpointValue.of(15), Ops.value(bothUnits.get(0)));
                assertEquals(PathpointValue.of(18), Ops.value(bothUnits.get(1)));
                assertEquals(PathpointValue.of(21), Ops.value(bothUnits.get(2)));
                assertEquals(PathpointValue.of(1008), Ops.value(bothUnits.get(3)));
            } finally {
                driver.close();
            }
        });
    }

    /** A TimedStream that notes when the last byte came in and when each request started out. */
    private static final class RecordingStream implements TimedStream {
        private final TimedStream line;
        private long lastByteInNanos;
        final List<Long> silencesBeforeRequests = new ArrayList<>();

        RecordingStream(TimedStream line) {
            this.line = line;
        }

        @Override
        public void open(int connectTimeoutMillis) throws IOException {
            line.open(connectTimeoutMillis);
        }

        @Override
        public boolean isOpen() {
            return line.isOpen();
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            if (lastByteInNanos != 0) {
                silencesBeforeRequests.add(System.nanoTime() - lastByteInNanos);
            }
            line.write(bytes);
        }

        @Override
        public void flush() throws IOException {
            line.flush();
        }

        @Override
        public int read(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException {
            int count = line.read(buffer, offset, length, timeoutMillis);
            if (count > 0) {
                lastByteInNanos = System.nanoTime();
            }
            return count;
        }

        @Override
        public int discardInput() throws IOException {
            return line.discardInput();
        }

        @Override
        public void close() {
            line.close();
        }

        @Override
        public String describe() {
            return line.describe();
        }
    }

    /** Requests sent back to back to pymodbus' RTU server still leave the line silent for 3.5 characters in between. */
    @Test
    void rtuRequestsKeepTheInterFrameSilenceOfTheLine() throws Exception {
        onSerialLine((driverEnd, server) -> {
            ConnectionSettings settings = ConnectionSettings.tcp("rtu", "127.0.0.1", 1).withSerial(driverEnd, 2400, Parity.NONE);
            long silence = settings.interFrameSilenceNanos();
            assertEquals(14_583_334, silence, "3.5 characters of 10 bits at 2400 baud");
            RecordingStream stream = new RecordingStream(new SerialStream(driverEnd, 2400, 8, SerialPort.ONE_STOP_BIT,
                    SerialPort.NO_PARITY));
            try (RtuLink link = new RtuLink(stream, 1000, silence, new LinkCounters())) {
                link.open();
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                        .until(() -> Pdus.registers(3, 1, link.exchange(1, Pdus.readRequest(3, 5, 1), 500))[0] == 15);
                stream.silencesBeforeRequests.clear();
                for (int i = 0; i < 20; i++) {
                    int unit = 1 + i % 2;
                    assertEquals(i * 3, Pdus.registers(3, 1, link.exchange(unit, Pdus.readRequest(3, i, 1), 1000))[0]);
                }
                assertEquals(20, stream.silencesBeforeRequests.size());
                for (long quiet : stream.silencesBeforeRequests) {
                    assertTrue(quiet >= silence, "a request began " + quiet + " ns after the last answer, under " + silence);
                }
            }
        });
    }

    interface SerialLineTest {
        void run(String driverEnd, PymodbusServer server) throws Exception;
    }

    /** A socat pseudo-terminal pair with pymodbus' RTU server on one end; the test gets the other. */
    @SuppressWarnings("try") // the server only has to run while the body does
    private static void onSerialLine(SerialLineTest test) throws Exception {
        Path directory = Files.createTempDirectory("modbus-pty");
        Path driverEnd = directory.resolve("driver");
        Path serverEnd = directory.resolve("server");
        Process socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + driverEnd, "pty,raw,echo=0,link=" + serverEnd)
                .redirectErrorStream(true).redirectOutput(directory.resolve("socat.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.exists(driverEnd) && Files.exists(serverEnd));
            try (PymodbusServer server = PymodbusDevice.serial(serverEnd.toString(), 19200)) {
                test.run(driverEnd.toRealPath().toString(), server);
            }
        } finally {
            socat.destroy();
            socat.waitFor(5, TimeUnit.SECONDS);
            deleteQuietly(directory);
        }
    }

    private static void deleteQuietly(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(directory);
    }
}
