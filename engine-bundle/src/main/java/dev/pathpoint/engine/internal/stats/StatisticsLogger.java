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
    private int generation;
    private boolean stopped;
    private ExecutorStatistics lastLogged;

    public StatisticsLogger(TimeSource time, Supplier<ExecutorStatistics> statistics, Supplier<Duration> interval) {
        this.time = time;
        this.statistics = statistics;
        this.interval = interval;
    }

    /** (Re)starts the periodic log with the current interval; a zero interval turns it off. */
    public void start() {
        synchronized (lock) {
            int current = ++generation;
            Duration every = interval.get();
            if (!stopped && !every.isZero()) {
                time.schedule(() -> tick(current), every.toNanos());
            }
        }
    }

    public void stop() {
        synchronized (lock) {
            stopped = true;
            generation++;
        }
    }

    private void tick(int scheduledGeneration) {
        Duration every;
        synchronized (lock) {
            if (stopped || scheduledGeneration != generation) {
                return;
            }
            every = interval.get();
        }
        ExecutorStatistics now = statistics.get();
        if (changed(lastLogged, now)) {
            LOG.info("Pathpoint engine: {}", now);
        } else {
            LOG.debug("Pathpoint engine: {}", now);
        }
        lastLogged = now;
        if (!every.isZero()) {
            time.schedule(() -> tick(scheduledGeneration), every.toNanos());
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
