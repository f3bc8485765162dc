package dev.pathpoint.engine.internal;

import java.time.Duration;
import java.util.List;

/**
 * The engine's settings, validated. Built from an {@link EngineConfig} (Config Admin) or directly
 * in tests.
 */
public record EngineSettings(
        int queueCapacity,
        int maxRunningSections,
        int maxJoinedSections,
        int batchSize,
        int maxBatchesInFlightPerDriver,
        Duration operationTimeout,
        Duration retryBackoff,
        Duration noDriverWaitAdvise,
        Duration noDriverWaitForce,
        MinReadIntervals minReadIntervals,
        int handlerPoolSize,
        int handlerQueueCapacity,
        Duration statisticsLogInterval,
        Duration dispatchSpin) {

    /** A longer spin would only burn CPU: by then a sleeping thread's wake-up cost no longer matters. */
    public static final long MAX_DISPATCH_SPIN_MICROS = 1_000;

    public EngineSettings {
        atLeast("queueCapacity", queueCapacity, 1);
        atLeast("maxRunningSections", maxRunningSections, 1);
        atLeast("maxJoinedSections", maxJoinedSections, 1);
        atLeast("batchSize", batchSize, 1);
        atLeast("maxBatchesInFlightPerDriver", maxBatchesInFlightPerDriver, 1);
        positive("operationTimeoutMillis", operationTimeout);
        notNegative("retryBackoffMillis", retryBackoff);
        notNegative("noDriverWaitAdviseMillis", noDriverWaitAdvise);
        notNegative("noDriverWaitForceMillis", noDriverWaitForce);
        if (minReadIntervals == null) {
            throw new IllegalArgumentException("minReadIntervals must not be null");
        }
        atLeast("handlerPoolSize", handlerPoolSize, 1);
        atLeast("handlerQueueCapacity", handlerQueueCapacity, 1);
        notNegative("statisticsLogIntervalSeconds", statisticsLogInterval);
        notNegative("dispatchSpinMicros", dispatchSpin);
        if (dispatchSpin.toNanos() > MAX_DISPATCH_SPIN_MICROS * 1_000) {
            throw new IllegalArgumentException(EngineConfig.PID + " dispatchSpinMicros must be at most " + MAX_DISPATCH_SPIN_MICROS
                    + ", was " + dispatchSpin.toNanos() / 1_000);
        }
    }

    /** The defaults of {@link EngineConfig}. */
    public static EngineSettings defaults() {
        return new EngineSettings(10_000, 1_024, 256, 1_000, 2, Duration.ofSeconds(5), Duration.ofMillis(50),
                Duration.ofSeconds(2), Duration.ofSeconds(30), MinReadIntervals.NONE, 2, 1_000, Duration.ofSeconds(60),
                Duration.ofNanos(200_000));
    }

    /**
     * Validates a configuration.
     *
     * @throws IllegalArgumentException naming the property that is wrong
     */
    public static EngineSettings from(EngineConfig config) {
        return new EngineSettings(config.queueCapacity(), config.maxRunningSections(), config.maxJoinedSections(),
                config.batchSize(), config.maxBatchesInFlightPerDriver(),
                millis("operationTimeoutMillis", config.operationTimeoutMillis()),
                millis("retryBackoffMillis", config.retryBackoffMillis()),
                millis("noDriverWaitAdviseMillis", config.noDriverWaitAdviseMillis()),
                millis("noDriverWaitForceMillis", config.noDriverWaitForceMillis()),
                MinReadIntervals.parse(List.of(config.minReadIntervals() == null ? new String[0] : config.minReadIntervals())),
                config.handlerPoolSize(), config.handlerQueueCapacity(),
                seconds("statisticsLogIntervalSeconds", config.statisticsLogIntervalSeconds()),
                micros("dispatchSpinMicros", config.dispatchSpinMicros()));
    }

    public EngineSettings withQueueCapacity(int value) {
        return new EngineSettings(value, maxRunningSections, maxJoinedSections, batchSize,
                maxBatchesInFlightPerDriver, operationTimeout, retryBackoff, noDriverWaitAdvise, noDriverWaitForce,
                minReadIntervals, handlerPoolSize, handlerQueueCapacity, statisticsLogInterval, dispatchSpin);
    }

    public EngineSettings withMaxRunningSections(int value) {
        return new EngineSettings(queueCapacity, value, maxJoinedSections, batchSize, maxBatchesInFlightPerDriver,
                operationTimeout, retryBackoff, noDriverWaitAdvise, noDriverWaitForce, minReadIntervals,
                handlerPoolSize, handlerQueueCapacity, statisticsLogInterval, dispatchSpin);
    }

    public EngineSettings withMaxJoinedSections(int value) {
        return new EngineSettings(queueCapacity, maxRunningSections, value, batchSize, maxBatchesInFlightPerDriver,
                operationTimeout, retryBackoff, noDriverWaitAdvise, noDriverWaitForce, minReadIntervals,
                handlerPoolSize, handlerQueueCapacity, statisticsLogInterval, dispatchSpin);
    }

    public EngineSettings withBatchSize(int value) {
        return new EngineSettings(queueCapacity, maxRunningSections, maxJoinedSections, value,
                maxBatchesInFlightPerDriver, operationTimeout, retryBackoff, noDriverWaitAdvise, noDriverWaitForce,
                minReadIntervals, handlerPoolSize, handlerQueueCapacity, statisticsLogInterval, dispatchSpin);
    }

    public EngineSettings withMaxBatchesInFlightPerDriver(int value) {
        return new EngineSettings(queueCapacity, maxRunningSections, maxJoinedSections, batchSize, value,
                operationTimeout, retryBackoff, noDriverWaitAdvise, noDriverWaitForce, minReadIntervals,
                handlerPoolSize, handlerQueueCapacity, statisticsLogInterval, dispatchSpin);
    }

    public EngineSettings withOperationTimeout(Duration value) {
        return new EngineSettings(queueCapacity, maxRunningSections, maxJoinedSections, batchSize,
                maxBatchesInFlightPerDriver, value, retryBackoff, noDriverWaitAdvise, noDriverWaitForce,
                minReadIntervals, handlerPoolSize, handlerQueueCapacity, statisticsLogInterval, dispatchSpin);
    }

    public EngineSettings withRetryBackoff(Duration value) {
        return new EngineSettings(queueCapacity, maxRunningSections, maxJoinedSections, batchSize,
                maxBatchesInFlightPerDriver, operationTimeout, value, noDriverWaitAdvise, noDriverWaitForce,
                minReadIntervals, handlerPoolSize, handlerQueueCapacity, statisticsLogInterval, dispatchSpin);
    }

    public EngineSettings withNoDriverWaits(Duration advise, Duration force) {
        return new EngineSettings(queueCapacity, maxRunningSections, maxJoinedSections, batchSize,
                maxBatchesInFlightPerDriver, operationTimeout, retryBackoff, advise, force, minReadIntervals,
                handlerPoolSize, handlerQueueCapacity, statisticsLogInterval, dispatchSpin);
    }

    public EngineSettings withMinReadIntervals(MinReadIntervals value) {
        return new EngineSettings(queueCapacity, maxRunningSections, maxJoinedSections, batchSize,
                maxBatchesInFlightPerDriver, operationTimeout, retryBackoff, noDriverWaitAdvise, noDriverWaitForce,
                value, handlerPoolSize, handlerQueueCapacity, statisticsLogInterval, dispatchSpin);
    }

    public EngineSettings withHandlerPool(int size, int queueCapacity) {
        return new EngineSettings(this.queueCapacity, maxRunningSections, maxJoinedSections, batchSize,
                maxBatchesInFlightPerDriver, operationTimeout, retryBackoff, noDriverWaitAdvise, noDriverWaitForce,
                minReadIntervals, size, queueCapacity, statisticsLogInterval, dispatchSpin);
    }

    public EngineSettings withStatisticsLogInterval(Duration value) {
        return new EngineSettings(queueCapacity, maxRunningSections, maxJoinedSections, batchSize,
                maxBatchesInFlightPerDriver, operationTimeout, retryBackoff, noDriverWaitAdvise, noDriverWaitForce,
                minReadIntervals, handlerPoolSize, handlerQueueCapacity, value, dispatchSpin);
    }

    public EngineSettings withDispatchSpin(Duration value) {
        return new EngineSettings(queueCapacity, maxRunningSections, maxJoinedSections, batchSize,
                maxBatchesInFlightPerDriver, operationTimeout, retryBackoff, noDriverWaitAdvise, noDriverWaitForce,
                minReadIntervals, handlerPoolSize, handlerQueueCapacity, statisticsLogInterval, value);
    }

    private static void atLeast(String property, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(EngineConfig.PID + " " + property + " must be at least " + min + ", was " + value);
        }
    }

    private static void positive(String property, Duration value) {
        notNegative(property, value);
        if (value.isZero()) {
            throw new IllegalArgumentException(EngineConfig.PID + " " + property + " must be positive, was 0");
        }
    }

    private static void notNegative(String property, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(EngineConfig.PID + " " + property + " must not be negative, was " + value);
        }
    }

    private static Duration millis(String property, long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException(EngineConfig.PID + " " + property + " must not be negative, was " + millis);
        }
        return Duration.ofMillis(millis);
    }

    private static Duration micros(String property, long micros) {
        if (micros < 0) {
            throw new IllegalArgumentException(EngineConfig.PID + " " + property + " must not be negative, was " + micros);
        }
        return Duration.ofNanos(micros * 1_000);
    }

    private static Duration seconds(String property, long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException(EngineConfig.PID + " " + property + " must not be negative, was " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }
}
