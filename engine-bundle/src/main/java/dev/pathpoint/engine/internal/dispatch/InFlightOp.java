package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import java.util.function.BiConsumer;

/**
 * A driver operation for the head of a lane: first waiting for a free batch slot of its driver
 * ({@link DriverBatches}), then, once handed over, in flight. It is its own completion callback
 * (called on whatever thread the driver completes on, it posts itself to the dispatch thread) and
 * its own node in the in-flight list that the timeout sweep walks, so an operation costs no extra
 * allocations.
 */
final class InFlightOp extends NodeList.Node<InFlightOp> implements BiConsumer<PathpointValue, Throwable>, Runnable {
    final PathpointLanes lanes;
    final Lane lane;
    final DriverEntry driver;
    final DriverOperation operation;
    /** The batch it was handed over in; null while it waits for a free batch slot. Dispatch thread only. */
    DriverBatches.HandedBatch batch;
    /** When the engine times it out, in {@code TimeSource} nanos; set at hand-over. Dispatch thread only. */
    long deadline;
    private PathpointValue value;
    private Throwable failure;

    InFlightOp(PathpointLanes lanes, Lane lane, DriverEntry driver, DriverOperation operation) {
        this.lanes = lanes;
        this.lane = lane;
        this.driver = driver;
        this.operation = operation;
    }

    boolean isHandedOver() {
        return batch != null;
    }

    /** The driver completed the operation (or the engine timed it out): hand it to the dispatch thread. */
    @Override
    public void accept(PathpointValue value, Throwable failure) {
        this.value = value;
        this.failure = failure;
        lanes.post(this);
    }

    @Override
    public void run() {
        lanes.completed(this);
    }

    PathpointValue value() {
        return value;
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public String toString() {
        return operation + " on " + driver;
    }
}
