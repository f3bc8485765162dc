package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.order.PathpointOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.value.PathpointValue;

/** A read or write order of a running section, waiting in its pathpoint's lane. Dispatch thread only. */
final class PathpointTask {
    static final long NO_DEADLINE = Long.MIN_VALUE;

    final PathpointOrder order;
    final RunningSection section;
    final int index;
    /** The value to write, already converted to the pathpoint's type; null for a read. */
    final PathpointValue value;
    /** When waiting for a driver: the moment it gives up (nanoTime), else NO_DEADLINE. */
    long noDriverDeadline = NO_DEADLINE;

    PathpointTask(PathpointOrder order, RunningSection section, int index, PathpointValue value) {
        this.order = order;
        this.section = section;
        this.index = index;
        this.value = value;
    }

    boolean isWrite() {
        return value != null;
    }

    WriteOrder write() {
        return (WriteOrder) order;
    }

    @Override
    public String toString() {
        return order.toString();
    }
}
