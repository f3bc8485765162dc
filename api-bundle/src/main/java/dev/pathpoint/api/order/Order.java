package dev.pathpoint.api.order;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Something to do: read or write a pathpoint, wait, run a sysctl command or acknowledge a message.
 * Orders are immutable apart from their failure count, and safe to hand between threads.
 */
public abstract sealed class Order permits PathpointOrder, WaitOrder, SysctlOrder, MessageOrder {
    private final int tries;
    private final AtomicInteger failures = new AtomicInteger();

    Order(int tries) {
        this.tries = tries;
    }

    /**
     * Records that a try of this order failed.
     *
     * @return whether the order should be queued again: true while it has tries left (reads 3 under
     *         ADVISE and 20 under FORCE, writes 1 and 10, messages 3; waits and sysctls 1). Of any
     *         number of calls, from any threads, exactly {@code tries() - 1} return true.
     */
    public final boolean fail() {
        return failures.incrementAndGet() < tries;
    }

    /** How many times {@link #fail()} has been called. */
    public final int failures() {
        return failures.get();
    }

    /** How many tries this order has in all. */
    public final int tries() {
        return tries;
    }

    static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }

    static <T> T requireNonNull(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }
}
