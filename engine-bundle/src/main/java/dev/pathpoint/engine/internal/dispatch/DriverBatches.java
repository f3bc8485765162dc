package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands operations to drivers in batches, through a bounded window per driver: a driver holds at
 * most {@code maxBatchesInFlight} batches (handed over and not every operation completed). While its
 * window is full, the operations that become ready for it wait here, and they go out together, up
 * to {@code batchSize} per batch, as soon as one of its batches has completed. So a driver sees many
 * pathpoints at once and can coalesce them, a flood of small sections reaches it as a few large
 * batches rather than as many one-operation batches, and its own queue stays short. Dispatch thread
 * only.
 */
final class DriverBatches {
    private static final Logger LOG = LoggerFactory.getLogger(DriverBatches.class);

    /** The engine's side of one driver: what waits for its window, and how many batches it holds. */
    private static final class DriverWindow {
        final DriverEntry driver;
        final ArrayDeque<InFlightOp> waiting = new ArrayDeque<>();
        int batchesInFlight;
        boolean flushQueued;

        DriverWindow(DriverEntry driver) {
            this.driver = driver;
        }
    }

    /** A batch handed to a driver; it holds a slot of the driver's window until every operation completed. */
    static final class HandedBatch {
        private final DriverWindow window;
        private int open;

        private HandedBatch(DriverWindow window, int size) {
            this.window = window;
            this.open = size;
        }
    }

    private final Map<DriverEntry, DriverWindow> windows = new IdentityHashMap<>();
    private final List<DriverWindow> withWork = new ArrayList<>();
    private final Consumer<InFlightOp> handedOver;

    /**
     * @param handedOver called for each operation as it is handed over, before the driver sees it
     *     (starts its timeout)
     */
    DriverBatches(Consumer<InFlightOp> handedOver) {
        this.handedOver = handedOver;
    }

    /** Queues an operation for the driver; it goes out at the next flush if the driver's window allows. */
    void add(DriverEntry driver, InFlightOp operation) {
        DriverWindow window = windows.get(driver);
        if (window == null) {
            window = new DriverWindow(driver);
            windows.put(driver, window);
        }
        window.waiting.addLast(operation);
        queueFlush(window);
    }

    private void queueFlush(DriverWindow window) {
        if (!window.flushQueued) {
            window.flushQueued = true;
            withWork.add(window);
        }
    }

    /** Hands each driver with work as many batches as its window allows. */
    void flush(int batchSize, int maxBatchesInFlight) {
        if (withWork.isEmpty()) {
            return;
        }
        for (int i = 0; i < withWork.size(); i++) {
            DriverWindow window = withWork.get(i);
            window.flushQueued = false;
            if (!window.driver.isActive()) {
                continue; // gone meanwhile: the removal event re-dispatches what waits here
            }
            while (window.batchesInFlight < maxBatchesInFlight && !window.waiting.isEmpty()) {
                hand(window, batchSize);
            }
            window.driver.setWaiting(window.waiting.size());
        }
        withWork.clear();
    }

    private void hand(DriverWindow window, int batchSize) {
        int size = Math.min(batchSize, window.waiting.size());
        HandedBatch batch = new HandedBatch(window, size);
        DriverOperation[] operations = new DriverOperation[size];
        for (int i = 0; i < size; i++) {
            InFlightOp operation = window.waiting.pollFirst();
            operation.batch = batch;
            handedOver.accept(operation);
            operations[i] = operation.operation;
        }
        window.batchesInFlight++;
        DriverEntry driver = window.driver;
        driver.addInFlight(size);
        List<DriverOperation> handed = Collections.unmodifiableList(Arrays.asList(operations));
        try {
            driver.driver().execute(handed);
        } catch (RuntimeException e) {
            LOG.warn("Driver {} threw on a batch of {} operations", driver.name(), size, e);
            // failing them completes the batch through the operations' callbacks, which frees the slot
            for (DriverOperation operation : operations) {
                operation.fail(new OperationFailedException(OperationFailedReason.ERROR,
                        "driver " + driver.name() + " threw " + e, e));
            }
        }
    }

    /**
     * A handed-over operation completed, failed or was timed out by the engine. When it was the last
     * open one of its batch, the driver's window has a free slot and what waits for it goes out at the
     * next flush.
     */
    void completed(InFlightOp operation) {
        HandedBatch batch = operation.batch;
        if (batch == null || --batch.open > 0) {
            return;
        }
        DriverWindow window = batch.window;
        window.batchesInFlight--;
        if (!window.waiting.isEmpty()) {
            queueFlush(window);
        }
    }

    /** The driver went away: forgets it and returns the operations that were waiting for its window. */
    List<InFlightOp> driverRemoved(DriverEntry driver) {
        DriverWindow window = windows.remove(driver);
        if (window == null) {
            return List.of();
        }
        List<InFlightOp> waiting = new ArrayList<>(window.waiting);
        window.waiting.clear();
        driver.setWaiting(0);
        return waiting;
    }

    /** Batches the driver holds (handed over, not completed); for tests. */
    int batchesInFlight(DriverEntry driver) {
        DriverWindow window = windows.get(driver);
        return window == null ? 0 : window.batchesInFlight;
    }
}
