package dev.pathpoint.engine.internal.time;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Real time: {@link System#nanoTime()}, a {@link Clock}, and one daemon timer thread. */
public final class SystemTimeSource implements TimeSource, AutoCloseable {
    private final Clock clock;
    private final ScheduledThreadPoolExecutor timer;

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
        return clock.instant();
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
