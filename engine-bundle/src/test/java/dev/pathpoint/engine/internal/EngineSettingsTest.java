package dev.pathpoint.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pathpoint.api.order.AdviseLevel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {

    private static String refused(Map<String, ?> properties) {
        return assertThrows(IllegalArgumentException.class, () -> EngineSettings.from(properties)).getMessage();
    }

    @Test
    void aValidConfigurationBecomesSettings() {
        EngineSettings settings = EngineSettings.from(Map.of("queueCapacity", 5, "operationTimeoutMillis", 1500L,
                "minReadIntervals", new String[] {"W1.*=250", "f.*=0"}, "dispatchSpinMicros", 50L,
                "retryBackoffMillis", 10L, "maxRetryBackoffMillis", 640L));

        assertEquals(5, settings.queueCapacity());
        assertEquals(2, settings.maxBatchesInFlightPerDriver());
        assertEquals(Duration.ofMillis(1500), settings.operationTimeout());
        assertEquals(Duration.ofMillis(10), settings.retryBackoff());
        assertEquals(Duration.ofMillis(640), settings.maxRetryBackoff());
        assertEquals(Duration.ofMillis(250), settings.minReadIntervals().intervalFor("W1r0"));
        assertEquals(Duration.ZERO, settings.minReadIntervals().intervalFor("f1r0"));
        assertEquals(Duration.ZERO, settings.minReadIntervals().intervalFor("B1c0"));
        assertEquals(Duration.ofNanos(50_000), settings.dispatchSpin());
        assertEquals(Duration.ZERO, EngineSettings.from(Map.of("dispatchSpinMicros", 0L)).dispatchSpin());
        assertEquals(Duration.ofMillis(1), EngineSettings.from(Map.of("dispatchSpinMicros", 1000L)).dispatchSpin());
        assertEquals(Duration.ofSeconds(30), settings.noDriverWait(AdviseLevel.FORCE));
        assertEquals(Duration.ofSeconds(2), settings.noDriverWait(AdviseLevel.ADVISE));
    }

    @Test
    void badValuesAreRejectedNamingTheProperty() {
        assertEquals("dev.pathpoint.engine queueCapacity must be at least 1, was 0", refused(Map.of("queueCapacity", 0)));
        assertEquals("dev.pathpoint.engine operationTimeoutMillis must not be negative, was -5",
                refused(Map.of("operationTimeoutMillis", -5L)));
        assertEquals("dev.pathpoint.engine operationTimeoutMillis must be positive, was 0",
                refused(Map.of("operationTimeoutMillis", 0L)));
        assertEquals("dev.pathpoint.engine maxBatchesInFlightPerDriver must be at least 1, was 0",
                refused(Map.of("maxBatchesInFlightPerDriver", 0)));
        assertEquals("dev.pathpoint.engine dispatchSpinMicros must not be negative, was -1",
                refused(Map.of("dispatchSpinMicros", -1L)));
        assertEquals("dev.pathpoint.engine dispatchSpinMicros must be at most 1000, was 1001",
                refused(Map.of("dispatchSpinMicros", 1001L)));
        assertEquals("dev.pathpoint.engine maxRetryBackoffMillis (100) must not be below retryBackoffMillis (200)",
                refused(Map.of("maxRetryBackoffMillis", 100L)));
        assertEquals("dev.pathpoint.engine valueStoreCapacity must be at least 1, was 0",
                refused(Map.of("valueStoreCapacity", 0)));
        assertEquals("dev.pathpoint.engine blockedCallLimitMillis must be positive, was 0",
                refused(Map.of("blockedCallLimitMillis", 0L)));
        assertEquals("dev.pathpoint.engine has no property 'batchSize'", refused(Map.of("batchSize", 10)));
        assertEquals("dev.pathpoint.engine queueCapacity: expected int, got many", refused(Map.of("queueCapacity", "many")));
    }

    @Test
    void theDefaultsAreTheConfigurationDefaults() throws Exception {
        EngineSettings defaults = EngineSettings.defaults();
        assertEquals(EngineConfig.class.getMethod("queueCapacity").getDefaultValue(), defaults.queueCapacity());
        assertEquals(EngineConfig.class.getMethod("maxBatchesInFlightPerDriver").getDefaultValue(),
                defaults.maxBatchesInFlightPerDriver());
        assertEquals(EngineConfig.class.getMethod("retryBackoffMillis").getDefaultValue(), defaults.retryBackoff().toMillis());
        assertEquals(EngineConfig.class.getMethod("maxRetryBackoffMillis").getDefaultValue(),
                defaults.maxRetryBackoff().toMillis());
        assertEquals(EngineConfig.class.getMethod("valueStoreCapacity").getDefaultValue(), defaults.valueStoreCapacity());
        assertEquals(EngineConfig.class.getMethod("dispatchSpinMicros").getDefaultValue(), defaults.dispatchSpin().toNanos() / 1_000);
    }

    @Test
    void badMinReadIntervalsAreRejectedNamingTheEntry() {
        assertEquals("minReadIntervals[1] 'W1.*': expected 'regex=millis'", assertThrows(IllegalArgumentException.class,
                () -> MinReadIntervals.parse(List.of("a=1", "W1.*"))).getMessage());
        assertEquals("minReadIntervals[0] 'W1=soon': 'soon' is not a whole number of milliseconds",
                assertThrows(IllegalArgumentException.class, () -> MinReadIntervals.parse(List.of("W1=soon"))).getMessage());
        assertEquals("minReadIntervals[0] '([=5': not a valid regular expression: Unclosed character class",
                assertThrows(IllegalArgumentException.class, () -> MinReadIntervals.parse(List.of("([=5"))).getMessage());
        assertEquals("minReadIntervals[0] 'W=-1': milliseconds must not be negative",
                assertThrows(IllegalArgumentException.class, () -> MinReadIntervals.parse(List.of("W=-1"))).getMessage());
    }
}
