package dev.pathpoint.engine.internal.time;

import java.time.Instant;

/**
 * The engine's view of time: a monotonic clock for deadlines, a wall clock for timestamps and
 * staleness, and a way to run something later. Injected so that tests can drive time by hand.
 */
public interface TimeSource {

    /** Monotonic nanoseconds, for deadlines and latencies. */
    long nanoTime();

    /** Wall-clock time, for reading timestamps and {@code staleAfter} checks. */
    Instant now();

    /**
     * Runs {@code task} once, on a timer thread, after {@code delayNanos}, unless cancelled first. The
     * task must be short: the engine's tasks only post an event to the dispatch thread.
     */
    Scheduled schedule(Runnable task, long delayNanos);

    /** A task that {@link #schedule} will run. */
    interface Scheduled {
        /** The task will not run, unless it already has started (or has run). */
        void cancel();
    }
}
