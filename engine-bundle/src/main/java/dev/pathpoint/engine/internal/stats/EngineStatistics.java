package dev.pathpoint.engine.internal.stats;

import dev.pathpoint.api.executor.ExecutorStatistics;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of what the engine has done. Written by the dispatch thread only (single writer, so
 * plain volatile increments are safe); read from any thread.
 */
public final class EngineStatistics {
    private static final OperationFailedReason[] REASONS = OperationFailedReason.values();

    private volatile long ordersCompleted;
    private volatile long retries;
    private volatile long sectionsCompleted;
    private volatile long latencyTotalNanos;
    private volatile long latencyMaxNanos;
    private volatile int runningSections;
    private final AtomicLongArray failures = new AtomicLongArray(REASONS.length);

    public void orderFailed(OperationFailedReason reason) {
        failures.incrementAndGet(reason.ordinal());
    }

    public void ordersCompleted(int count) {
        ordersCompleted += count;
    }

    public void retried() {
        retries++;
    }

    public void sectionCompleted(long latencyNanos) {
        sectionsCompleted++;
        latencyTotalNanos += latencyNanos;
        if (latencyNanos > latencyMaxNanos) {
            latencyMaxNanos = latencyNanos;
        }
    }

    public void runningSections(int count) {
        runningSections = count;
    }

    public long retries() {
        return retries;
    }

    public ExecutorStatistics snapshot(int queuedSections, List<DriverEntry> drivers) {
        Map<String, Integer> inFlight = new LinkedHashMap<>();
        for (DriverEntry driver : drivers) {
            String key = inFlight.containsKey(driver.name()) ? driver.name() + "#" + driver.serviceId() : driver.name();
            inFlight.put(key, driver.inFlight());
        }
        Map<OperationFailedReason, Long> byReason = new EnumMap<>(OperationFailedReason.class);
        for (OperationFailedReason reason : REASONS) {
            long count = failures.get(reason.ordinal());
            if (count > 0) {
                byReason.put(reason, count);
            }
        }
        long sections = sectionsCompleted;
        Duration mean = sections == 0 ? Duration.ZERO : Duration.ofNanos(latencyTotalNanos / sections);
        return new ExecutorStatistics(queuedSections, runningSections, inFlight, ordersCompleted, retries, byReason,
                mean, Duration.ofNanos(latencyMaxNanos));
    }
}
