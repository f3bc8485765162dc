package dev.pathpoint.api.executor;

import dev.pathpoint.api.failure.OperationFailedReason;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What an executor is doing and has done since it started.
 *
 * @param queuedSections sections queued and not yet started
 * @param runningSections sections started and not yet finished
 * @param inFlightByDriver operations handed to each driver and not yet completed, by driver name
 * @param ordersCompleted orders finished, whatever their outcome
 * @param retries tries repeated after a failure
 * @param failuresByReason orders that ended failed, by reason
 * @param meanLatency mean time from queueing a section to its completion
 * @param maxLatency longest such time
 */
public record ExecutorStatistics(
        int queuedSections,
        int runningSections,
        Map<String, Integer> inFlightByDriver,
        long ordersCompleted,
        long retries,
        Map<OperationFailedReason, Long> failuresByReason,
        Duration meanLatency,
        Duration maxLatency) {

    public ExecutorStatistics {
        inFlightByDriver = Map.copyOf(Objects.requireNonNull(inFlightByDriver, "inFlightByDriver"));
        failuresByReason = Map.copyOf(Objects.requireNonNull(failuresByReason, "failuresByReason"));
        Objects.requireNonNull(meanLatency, "meanLatency");
        Objects.requireNonNull(maxLatency, "maxLatency");
    }
}
