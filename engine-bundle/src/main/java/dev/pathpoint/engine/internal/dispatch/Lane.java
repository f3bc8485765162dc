package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import java.util.ArrayDeque;

/**
 * The read and write orders of one pathpoint, in queue order. At most one driver operation per
 * pathpoint is in flight, for the orders at the head: a write alone, or every read up to the next
 * write (identical pending reads share one device read). That keeps same-pathpoint operations in
 * queue order, retries included, and two operations on one pathpoint out of one batch. A lane exists
 * only while it has orders, an operation in flight or a retry pending: idle, it is forgotten, so
 * names from outside leave nothing behind. Dispatch thread only.
 */
final class Lane {
    final String pathpoint;
    final PathpointType type;
    final ArrayDeque<LaneTask> pending = new ArrayDeque<>(4);
    /** Reads within this long of the last successful one are answered from the value store. */
    long minReadIntervalNanos;

    /** The operation in flight for the first {@link #callCount} tasks, or null. */
    DriverCall call;
    int callCount;
    /** The retry scheduled after a failure: nothing is sent until it fires. */
    Timers.Timer retry;
    /** No driver serves the pathpoint: fires at the earliest no-driver deadline of the head tasks. */
    Timers.Timer noDriver;
    /** The driver the pathpoint was routed to; null until routed, and again when drivers change. */
    DriverEntry route;
    /** In the list of lanes to dispatch. */
    boolean ready;

    Lane(String pathpoint, PathpointType type, long minReadIntervalNanos) {
        this.pathpoint = pathpoint;
        this.type = type;
        this.minReadIntervalNanos = minReadIntervalNanos;
    }

    /** Whether the head may be sent now: nothing in flight and no retry pending. */
    boolean canSend() {
        return call == null && retry == null;
    }

    /** Whether the lane holds nothing at all and can be forgotten. */
    boolean isIdle() {
        return pending.isEmpty() && call == null && retry == null && noDriver == null;
    }

    @Override
    public String toString() {
        return "lane " + pathpoint + " " + pending;
    }
}
