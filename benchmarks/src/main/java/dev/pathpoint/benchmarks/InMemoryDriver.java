package dev.pathpoint.benchmarks;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.driver.WriteOperation;
import dev.pathpoint.api.value.PathpointValue;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A driver whose device is memory: every read completes at once, on the caller's thread, with the
 * same value; a write completes with its value. Counts batches and operations so both callers can be
 * shown to hand it the same batches.
 */
final class InMemoryDriver implements PathpointDriver {
    private static final PathpointValue VALUE = PathpointValue.of(42);
    final AtomicLong batches = new AtomicLong();
    final AtomicLong operations = new AtomicLong();

    @Override
    public void execute(List<DriverOperation> batch) {
        batches.incrementAndGet();
        operations.addAndGet(batch.size());
        for (DriverOperation operation : batch) {
            operation.complete(operation instanceof WriteOperation write ? write.value() : VALUE);
        }
    }
}
