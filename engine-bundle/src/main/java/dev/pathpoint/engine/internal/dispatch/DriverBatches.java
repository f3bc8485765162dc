package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the operations that became ready for each driver during one drain of the dispatch loop
 * and hands them over in batches of at most {@code batchSize}, so that a driver sees many pathpoints
 * at once and can coalesce them. Dispatch thread only.
 */
final class DriverBatches {
    private static final Logger LOG = LoggerFactory.getLogger(DriverBatches.class);

    private final List<DriverEntry> driversWithWork = new ArrayList<>();

    void add(DriverEntry driver, DriverOperation operation) {
        List<DriverOperation> pending = driver.pendingBatch();
        if (pending.isEmpty()) {
            driversWithWork.add(driver);
        }
        pending.add(operation);
    }

    void flush(int batchSize) {
        if (driversWithWork.isEmpty()) {
            return;
        }
        for (DriverEntry driver : driversWithWork) {
            List<DriverOperation> pending = driver.pendingBatch();
            if (driver.isActive()) {
                for (int from = 0; from < pending.size(); from += batchSize) {
                    hand(driver, List.copyOf(pending.subList(from, Math.min(pending.size(), from + batchSize))));
                }
            }
            // a driver gone meanwhile: its operations are re-dispatched by the removal event
            pending.clear();
        }
        driversWithWork.clear();
    }

    private static void hand(DriverEntry driver, List<DriverOperation> batch) {
        try {
            driver.driver().execute(batch);
        } catch (RuntimeException e) {
            LOG.warn("Driver {} threw on a batch of {} operations", driver.name(), batch.size(), e);
            for (DriverOperation operation : batch) {
                operation.fail(new OperationFailedException(OperationFailedReason.ERROR,
                        "driver " + driver.name() + " threw " + e, e));
            }
        }
    }
}
