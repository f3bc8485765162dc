package dev.pathpoint.modbus.internal;

import static dev.pathpoint.modbus.internal.Ops.read;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.driver.ReadOperation;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.testing.FreePorts;
import dev.pathpoint.testing.PymodbusServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** pymodbus is killed and restarted while reads are in flight. */
class FaultTest {

    private static long modbusThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("modbus-")).count();
    }

    private static long openSockets() throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed while listing
                }
            }).count();
        }
    }

    private static List<ReadOperation> burst(ModbusDriver driver, int batches) {
        List<ReadOperation> all = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            List<ReadOperation> batch = List.of(read("W1r" + (i % 90)), read("W1i" + (i % 90)), read("B1c" + (i % 90)));
            all.addAll(batch);
            driver.execute(List.copyOf(batch));
        }
        return all;
    }

    /** Every operation completes; returns how many failed, checking they failed as TIMEOUT or MALFORMED. */
    private static int awaitAll(List<ReadOperation> operations) throws Exception {
        int failed = 0;
        for (ReadOperation operation : operations) {
            CompletableFuture<PathpointValue> future = operation.completion().toCompletableFuture();
            try {
                future.get(20, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                OperationFailedException failure = (OperationFailedException) e.getCause();
                assertTrue(failure.reason() == OperationFailedReason.TIMEOUT || failure.reason() == OperationFailedReason.MALFORMED,
                        failure::toString);
                failed++;
            }
        }
        return failed;
    }

    @Test
    void driverReconnectsAfterTheServerIsKilledAndRestarted() throws Exception {
        int port = FreePorts.pick();
        PymodbusServer server = PymodbusDevice.tcp("tcp", port);
        ModbusDriver driver = new ModbusDriver(ConnectionSettings.tcp("fault", "127.0.0.1", port).withTimeouts(500, 20, 200));
        try {
            assertEquals(0, awaitAll(burst(driver, 5)));
            long threads = modbusThreads();
            long sockets = openSockets();

            List<ReadOperation> inFlight = burst(driver, 200);
            server.kill();
            List<ReadOperation> whileDown = burst(driver, 20);
            awaitAll(inFlight);
            assertEquals(whileDown.size(), awaitAll(whileDown), "reads while the server is down fail, retryable");

            server.restart();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
                ReadOperation probe = read("W1r5");
                driver.execute(List.of(probe));
                try {
                    return PathpointValue.of(15).equals(probe.completion().toCompletableFuture().get(5, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    return false; // not reconnected yet
                }
            });
            assertEquals(0, awaitAll(burst(driver, 20)), "all reads succeed after the reconnect");
            assertEquals(threads, modbusThreads(), "no new connection threads");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> openSockets() <= sockets);
            assertTrue(driver.connection().connects() >= 2);
        } finally {
            driver.close();
            server.close();
        }
    }
}
