package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.section.OrderOutcome;

/**
 * Where the outcome of a read or write waiting in a lane goes: the running section the order belongs
 * to, or the reparse read it is a constituent of. Dispatch thread only.
 */
interface OrderTarget {

    /** The order at {@code index} ended; an index that already has an outcome keeps it. */
    void finish(int index, OrderOutcome outcome);
}
