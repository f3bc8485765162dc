package dev.pathpoint.engine.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine's settings, validated. Built from an {@link EngineConfig} (Config Admin), whose
 * annotation defaults are the only place the defaults are written down.
 */
public record EngineSettings(
        int queueCapacity,
        int maxBatchesInFlightPerDriver,
        Duration operationTimeout,
        Duration retryBackoff,
        Duration maxRetryBackoff,
        Duration noDriverWaitAdvise,
        Duration noDriverWaitForce,
        MinReadIntervals minReadIntervals,
        int valueStoreCapacity,
        int handlerPoolSize,
        int handlerQueueCapacity,
        Duration blockedCallLimit,
        Duration statisticsLogInterval,
        Duration dispatchSpin) {

    /** A longer spin would only burn CPU: by then a sleeping thread's wake-up cost no longer matters. */
    public static final long MAX_DISPATCH_SPIN_MICROS = 1_000;

    public EngineSettings {
        atLeast("queueCapacity", queueCapacity, 1);
        atLeast("maxBatchesInFlightPerDriver", maxBatchesInFlightPerDriver, 1);
        positive("operationTimeoutMillis", operationTimeout);
        notNegative("retryBackoffMillis", retryBackoff);
        notNegative("maxRetryBackoffMillis", maxRetryBackoff);
        if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException(EngineConfig.PID + " maxRetryBackoffMillis (" + maxRetryBackoff.toMillis()
                    + ") must not be below retryBackoffMillis (" + retryBackoff.toMillis() + ")");
        }
        notNegative("noDriverWaitAdviseMillis", noDriverWaitAdvise);
        notNegative("noDriverWaitForceMillis", noDriverWaitForce);
        if (minReadIntervals == null) {
            throw new IllegalArgumentException("minReadIntervals must not be null");
        }
        atLeast("valueStoreCapacity", valueStoreCapacity, 1);
        atLeast("handlerPoolSize", handlerPoolSize, 1);
        atLeast("handlerQueueCapacity", handlerQueueCapacity, 1);
        positive("blockedCallLimitMillis", blockedCallLimit);
        notNegative("statisticsLogIntervalSeconds", statisticsLogInterval);
        notNegative("dispatchSpinMicros", dispatchSpin);
        if (dispatchSpin.toNanos() > MAX_DISPATCH_SPIN_MICROS * 1_000) {
            throw new IllegalArgumentException(EngineConfig.PID + " dispatchSpinMicros must be at most " + MAX_DISPATCH_SPIN_MICROS
                    + ", was " + dispatchSpin.toNanos() / 1_000);
        }
    }

    /** The defaults of {@link EngineConfig}. */
    public static EngineSettings defaults() {
        return from(Map.of());
    }

    /**
     * Settings from configuration properties (as Config Admin holds them: names of {@link EngineConfig}'s
     * methods), the defaults for the others.
     *
     * @throws IllegalArgumentException naming the property that is wrong or unknown
     */
    public static EngineSettings from(Map<String, ?> properties) {
        Set<String> known = new HashSet<>();
        for (Method method : EngineConfig.class.getDeclaredMethods()) {
            known.add(method.getName());
        }
        for (String key : properties.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(EngineConfig.PID + " has no property '" + key + "'");
            }
        }
        EngineConfig config = (EngineConfig) Proxy.newProxyInstance(EngineConfig.class.getClassLoader(),
                new Class<?>[] {EngineConfig.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? EngineConfig.PID + properties : method.invoke(properties, args);
                    }
                    Object value = properties.get(method.getName());
                    return value == null ? method.getDefaultValue() : convert(method, value);
                });
        return from(config);
    }

    private static Object convert(Method method, Object value) {
        Class<?> type = method.getReturnType();
        if (type == int.class && value instanceof Number number) {
            return number.intValue();
        }
        if (type == long.class && value instanceof Number number) {
            return number.longValue();
        }
        if (type == String[].class && value instanceof String[]) {
            return value;
        }
        if (type == String[].class && value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toArray(String[]::new);
        }
        if (type == String[].class && value instanceof String text) {
            return new String[] {text};
        }
        throw new IllegalArgumentException(EngineConfig.PID + " " + method.getName() + ": expected "
                + type.getSimpleName() + ", got " + value);
    }

    /**
     * Validates a configuration.
     *
     * @throws IllegalArgumentException naming the property that is wrong
     */
    public static EngineSettings from(EngineConfig config) {
        return new EngineSettings(config.queueCapacity(), config.maxBatchesInFlightPerDriver(),
                millis("operationTimeoutMillis", config.operationTimeoutMillis()),
                millis("retryBackoffMillis", config.retryBackoffMillis()),
                millis("maxRetryBackoffMillis", config.maxRetryBackoffMillis()),
                millis("noDriverWaitAdviseMillis", config.noDriverWaitAdviseMillis()),
                millis("noDriverWaitForceMillis", config.noDriverWaitForceMillis()),
                MinReadIntervals.parse(List.of(config.minReadIntervals() == null ? new String[0] : config.minReadIntervals())),
                config.valueStoreCapacity(), config.handlerPoolSize(), config.handlerQueueCapacity(),
                millis("blockedCallLimitMillis", config.blockedCallLimitMillis()),
                seconds("statisticsLogIntervalSeconds", config.statisticsLogIntervalSeconds()),
                micros("dispatchSpinMicros", config.dispatchSpinMicros()));
    }

    /** How long an order of the advise level waits for a driver. */
    public Duration noDriverWait(dev.pathpoint.api.order.AdviseLevel advise) {
        return advise == dev.pathpoint.api.order.AdviseLevel.FORCE ? noDriverWaitForce : noDriverWaitAdvise;
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
