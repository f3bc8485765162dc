package dev.pathpoint.engine.internal.stats;

import dev.pathpoint.api.executor.ExecutorStatistics;
import dev.pathpoint.engine.internal.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the statistics periodically: at INFO when they changed since the last log, else at DEBUG. */
public final class StatisticsLogger {
    private static final Logger LOG = LoggerFactory.getLogger("dev.pathpoint.engine.statistics");

    private final TimeSource time;
    private final Supplier<ExecutorStatistics> statistics;
    private final Supplier<Duration> interval;
    private final Object lock = new Object();
    // guarded by lock
    private TimeSource.Scheduled next;
    private boolean stopped;
    // timer thread only
    private ExecutorStatistics lastLogged;

    public StatisticsLogger(TimeSource time, Supplier<ExecutorStatistics> statistics, Supplier<Duration> interval) {
        this.time = time;
        this.statistics = statistics;
        this.interval = interval;
    }

    /** (Re)starts the periodic log with the current interval; a zero interval turns it off. */
    public void start() {
        synchronized (lock) {
            if (!stopped) {
                scheduleNext();
            }
        }
    }

    public void stop() {
        synchronized (lock) {
            stopped = true;
            if (next != null) {
                next.cancel();
                next = null;
            }
        }
    }

    /** Replaces the next tick (one started by a concurrent {@link #start} included), so one chain of ticks runs. */
    private void scheduleNext() {
        if (next != null) {
            next.cancel();
        }
        Duration every = interval.get();
        next = every.isZero() ? null : time.schedule(this::tick, every.toNanos());
    }

    private void tick() {
        synchronized (lock) {
            if (stopped) {
                return;
            }
        }
        ExecutorStatistics now = statistics.get();
        if (changed(lastLogged, now)) {
            LOG.info("Pathpoint engine: {}", now);
        } else {
            LOG.debug("Pathpoint engine: {}", now);
        }
        lastLogged = now;
        synchronized (lock) {
            if (!stopped) {
                scheduleNext();
            }
        }
    }

    static boolean changed(ExecutorStatistics before, ExecutorStatistics now) {
        return before == null || before.queuedSections() != now.queuedSections()
                || before.runningSections() != now.runningSections()
                || before.ordersCompleted() != now.ordersCompleted()
                || before.retries() != now.retries()
                || !Objects.equals(before.failuresByReason(), now.failuresByReason())
                || !Objects.equals(before.inFlightByDriver(), now.inFlightByDriver());
    }
}
