package dev.pathpoint.engine.internal.time;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Real time: {@link System#nanoTime()}, a {@link Clock}, and one daemon timer thread.
 *
 * <p>The clock is read at most once per {@link #CLOCK_READ_INTERVAL_NANOS}; in between, {@link #now}
 * is the last reading advanced by the monotonic time. Every completed read is stamped with the time,
 * and reading the system clock costs a call into the VM (about 100 ns here) against about 25 ns for
 * the monotonic time. A step of the system clock shows within that interval.
 */
public final class SystemTimeSource implements TimeSource, AutoCloseable {
    static final long CLOCK_READ_INTERVAL_NANOS = 1_000_000;

    /** A reading of the clock and the monotonic time it was taken at. */
    private record ClockReading(Instant instant, long nanoTime) {
    }

    private final Clock clock;
    private final ScheduledThreadPoolExecutor timer;
    private volatile ClockReading lastReading;

    public SystemTimeSource(Clock clock, String threadName) {
        this.clock = clock;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant now() {
        long nanoTime = System.nanoTime();
        ClockReading reading = lastReading;
        if (reading != null) {
            long since = nanoTime - reading.nanoTime();
            if (since < 0) {
                return reading.instant(); // another thread read the clock after this one took nanoTime
            }
            if (since < CLOCK_READ_INTERVAL_NANOS) {
                return reading.instant().plusNanos(since);
            }
        }
        Instant instant = clock.instant();
        // the monotonic time of the reading is taken after it, so that a thread preempted in between
        // does not put every later answer ahead of the clock
        lastReading = new ClockReading(instant, System.nanoTime());
        return instant;
    }

    @Override
    public Scheduled schedule(Runnable task, long delayNanos) {
        try {
            java.util.concurrent.ScheduledFuture<?> future = timer.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException stopped) {
            // closed: the engine is stopping and completes its work without timers
            return () -> { };
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
