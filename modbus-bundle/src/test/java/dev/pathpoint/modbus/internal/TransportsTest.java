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
import dev.pathpoint.modbus.internal.plan.PlanningLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        int port = PymodbusServer.freePort();
        try (PymodbusServer server = PymodbusServer.tcp("rtu-over-tcp", port)) {
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
        int port = PymodbusServer.freePort();
        try (PymodbusServer server = PymodbusServer.unchecked("udp", String.valueOf(port))) {
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
    @SuppressWarnings("try") // the server only has to run while the body does
    void rtuOnASerialLine() throws Exception {
        Path directory = Files.createTempDirectory("modbus-pty");
        Path driverEnd = directory.resolve("driver");
        Path serverEnd = directory.resolve("server");
        Process socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + driverEnd, "pty,raw,echo=0,link=" + serverEnd)
                .redirectErrorStream(true).redirectOutput(directory.resolve("socat.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.exists(driverEnd) && Files.exists(serverEnd));
            try (PymodbusServer server = PymodbusServer.unchecked("serial", serverEnd.toString(), "19200")) {
                ModbusDriver driver = new ModbusDriver(ConnectionSettings.tcp("rtu", "127.0.0.1", 1)
                        .withSerial(driverEnd.toRealPath().toString(), 19200, Parity.NONE)
                        .withLimits(NO_MASK_WRITE).withTimeouts(500, 0, 0));
                try {
                    awaitAnswering(driver);
                    exercise(driver);
                } finally {
                    driver.close();
                }
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
