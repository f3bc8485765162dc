package dev.pathpoint.distribution.it;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds, failing after a limit (awaitility's shape; it is not a bundle). */
public final class Await {
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    private Await() {
    }

    public static void until(String what, Duration limit, BooleanSupplier condition) {
        until(what, limit, condition, () -> "");
    }

    /**
     * As {@link #until(String, Duration, BooleanSupplier)}, with the state at the time out in the
     * message (pax-exam reports only the innermost cause of a failure, so the state cannot be added
     * by wrapping).
     */
    public static void until(String what, Duration limit, BooleanSupplier condition, Supplier<String> state) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                String detail = state.get();
                throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting for " + what
                        + (detail.isEmpty() ? "" : "; " + detail));
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
