package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.order.PathpointOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.value.PathpointValue;

/**
 * A read or write order waiting in its pathpoint's lane: an order of a running section, or a read of
 * a reparse pathpoint's constituent. Dispatch thread only.
 */
final class LaneTask {
    final PathpointOrder order;
    /** Where the outcome goes, at {@link #index}. */
    final OrderTarget target;
    final int index;
    /** The value to write, already converted to the pathpoint's type; null for a read. */
    final PathpointValue value;
    /** If no driver serves the pathpoint until then (nanoTime), the order fails NO_DRIVER. */
    final long noDriverDeadline;

    LaneTask(PathpointOrder order, OrderTarget target, int index, PathpointValue value, long noDriverDeadline) {
        this.order = order;
        this.target = target;
        this.index = index;
        this.value = value;
        this.noDriverDeadline = noDriverDeadline;
    }

    boolean isWrite() {
        return value != null;
    }

    WriteOrder write() {
        return (WriteOrder) order;
    }

    void finish(OrderOutcome outcome) {
        target.finish(index, outcome);
    }

    @Override
    public String toString() {
        return order.toString();
    }
}
