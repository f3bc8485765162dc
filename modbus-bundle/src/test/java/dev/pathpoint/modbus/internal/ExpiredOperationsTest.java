package dev.pathpoint.modbus.internal;

import static dev.pathpoint.modbus.internal.Ops.read;
import static dev.pathpoint.modbus.internal.Ops.run;
import static dev.pathpoint.modbus.internal.Ops.value;
import static dev.pathpoint.modbus.internal.Ops.write;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointValue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Operations the engine has already ended (timed out) while they waited on the connection are not
 * sent: behind a slow device each would cost another response timeout.
 */
class ExpiredOperationsTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch firstRequestArrived = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private ScriptedServer server;
    private ModbusDriver driver;

    /** A device that holds its first answer until the test releases it, then answers every read with its address + 1. */
    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer(request -> {
            int address = ((request[8] & 0xFF) << 8) | (request[9] & 0xFF);
            if (requests.incrementAndGet() == 1) {
                firstRequestArrived.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if ((request[7] & 0xFF) == 16) {
                return ScriptedServer.reply(request, (byte) 16, request[8], request[9], request[10], request[11]);
            }
            return ScriptedServer.reply(request, (byte) 3, (byte) 2, (byte) 0, (byte) (address + 1));
        });
        driver = new ModbusDriver(ConnectionSettings.tcp("slow", "127.0.0.1", server.port()).withTimeouts(10_000, 0, 0));
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        driver.close();
        server.close();
    }

    private static void timeOut(DriverOperation... operations) {
        for (DriverOperation operation : operations) {
            operation.fail(new OperationFailedException(OperationFailedReason.TIMEOUT, "timed out by the engine"));
        }
    }

    @Test
    void queuedOperationsEndedMeanwhileAreNotPlannedNorSent() throws Exception {
        var blocking = read("W1r0");
        run(driver, blocking);
        firstRequestArrived.await(10, TimeUnit.SECONDS);
        var queuedRead = read("W1r10");
        var queuedOtherRead = read("W1r500");
        var queuedWrite = write("W1r20", PathpointValue.of(1));
        run(driver, queuedRead, queuedOtherRead, queuedWrite);
        timeOut(queuedRead, queuedOtherRead, queuedWrite);
        release.countDown();
        assertEquals(PathpointValue.of(1), value(blocking));
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.connection().droppedOperations() == 3);

        var later = read("W1r7");
        run(driver, later);
        assertEquals(PathpointValue.of(8), value(later));
        assertEquals(2, requests.get(), "only the blocking read and the later one reached the device");
        assertEquals(2, driver.connection().transactions());
    }

    @Test
    void plannedRequestsWhoseOperationsEndedMeanwhileAreNotSent() throws Exception {
        // one batch, planned as two requests (registers 0 and 500 are too far apart to merge)
        var first = read("W1r0");
        var second = read("W1r500");
        run(driver, first, second);
        firstRequestArrived.await(10, TimeUnit.SECONDS);
        timeOut(second);
        release.countDown();
        assertEquals(PathpointValue.of(1), value(first));
        var later = read("W1r7");
        run(driver, later);
        assertEquals(PathpointValue.of(8), value(later));
        assertEquals(2, requests.get(), "the request for register 500 was dropped, not sent");
        assertEquals(1, driver.connection().droppedOperations());
    }

    /** The queue bound is read at each submit: a changed queueCapacity applies to the next batch, with queued work kept. */
    @Test
    void queueCapacityAppliesLive() throws Exception {
        var blocking = read("W1r0");
        run(driver, blocking);
        firstRequestArrived.await(10, TimeUnit.SECONDS);
        driver.reconfigure(driver.settings().withQueueCapacity(1));
        var queued = read("W1r1");
        var refused = read("W1r2");
        run(driver, queued);
        run(driver, refused);
        assertEquals("connection slow has 1 batches queued already",
                dev.pathpoint.modbus.internal.Ops.failure(refused, OperationFailedReason.TIMEOUT).getMessage());
        driver.reconfigure(driver.settings().withQueueCapacity(2));
        var accepted = read("W1r3");
        run(driver, accepted);
        release.countDown();
        assertEquals(PathpointValue.of(1), value(blocking));
        assertEquals(PathpointValue.of(2), value(queued), "queued work survives the change");
        assertEquals(PathpointValue.of(4), value(accepted));
        assertEquals(1L, driver.connection().counters().get("rejectedBatches"));
    }
}
