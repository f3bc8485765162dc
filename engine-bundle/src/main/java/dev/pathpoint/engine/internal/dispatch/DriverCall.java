package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import java.util.function.BiConsumer;

/**
 * A driver operation for the head of a lane: first waiting for a free batch slot of its driver
 * ({@link DriverWindows}), then handed over. It is its own completion callback: called on whatever
 * thread completes the operation, it posts itself to the dispatch thread, where the lane takes the
 * outcome. One object per device operation, nothing else allocated for it.
 */
final class DriverCall implements BiConsumer<PathpointValue, Throwable>, Runnable {
    final Lanes lanes;
    final Lane lane;
    final DriverEntry driver;
    final DriverOperation operation;
    /** For a write with a staleness limit: the instant after which it must not be sent; else null. */
    final java.time.Instant staleAfter;
    /** The batch it was handed over in; null while it waits for a free batch slot. Dispatch thread only. */
    DriverWindows.Batch batch;
    private PathpointValue value;
    private Throwable failure;

    DriverCall(Lanes lanes, Lane lane, DriverEntry driver, DriverOperation operation, java.time.Instant staleAfter) {
        this.lanes = lanes;
        this.lane = lane;
        this.driver = driver;
        this.operation = operation;
        this.staleAfter = staleAfter;
    }

    /** Whether it is a write that must not be sent any more at {@code now}. */
    boolean isStaleAt(java.time.Instant now) {
        return staleAfter != null && now.isAfter(staleAfter);
    }

    /** The operation completed (or the engine timed it out): the dispatch thread takes it from here. */
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
