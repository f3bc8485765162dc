package dev.pathpoint.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {

    /** A configuration as Config Admin would give it, with the defaults unless changed. */
    private static EngineConfig config(int queueCapacity, long timeoutMillis, String... intervals) {
        return config(queueCapacity, timeoutMillis, 2, intervals);
    }

    private static EngineConfig config(int queueCapacity, long timeoutMillis, int batchesInFlight, String... intervals) {
        return config(queueCapacity, timeoutMillis, batchesInFlight, 50, intervals);
    }

    private static EngineConfig config(int queueCapacity, long timeoutMillis, int batchesInFlight, long spinMicros,
            String... intervals) {
        return new EngineConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return EngineConfig.class;
            }

            @Override
            public int queueCapacity() {
                return queueCapacity;
            }

            @Override
            public int maxRunningSections() {
                return 1024;
            }

            @Override
            public int maxJoinedSections() {
                return 256;
            }

            @Override
            public int batchSize() {
                return 1000;
            }

            @Override
            public int maxBatchesInFlightPerDriver() {
                return batchesInFlight;
            }

            @Override
            public long operationTimeoutMillis() {
                return timeoutMillis;
            }

            @Override
            public long retryBackoffMillis() {
                return 50;
            }

            @Override
            public long noDriverWaitAdviseMillis() {
                return 2000;
            }

            @Override
            public long noDriverWaitForceMillis() {
                return 30000;
            }

            @Override
            public String[] minReadIntervals() {
                return intervals;
            }

            @Override
            public int handlerPoolSize() {
                return 2;
            }

            @Override
            public int handlerQueueCapacity() {
                return 1000;
            }

            @Override
            public long statisticsLogIntervalSeconds() {
                return 60;
            }

            @Override
            public long dispatchSpinMicros() {
                return spinMicros;
            }
        };
    }

    @Test
    void aValidConfigurationBecomesSettings() {
        EngineSettings settings = EngineSettings.from(config(5, 1500, "W1.*=250", "f.*=0"));

        assertEquals(5, settings.queueCapacity());
        assertEquals(1000, settings.batchSize());
        assertEquals(2, settings.maxBatchesInFlightPerDriver());
        assertEquals(Duration.ofMillis(1500), settings.operationTimeout());
        assertEquals(Duration.ofMillis(250), settings.minReadIntervals().intervalFor("W1r0"));
        assertEquals(Duration.ZERO, settings.minReadIntervals().intervalFor("f1r0"));
        assertEquals(Duration.ZERO, settings.minReadIntervals().intervalFor("B1c0"));
        assertEquals(Duration.ofNanos(50_000), settings.dispatchSpin());
        assertEquals(Duration.ZERO, EngineSettings.from(config(5, 1500, 2, 0)).dispatchSpin());
        assertEquals(Duration.ofMillis(1), EngineSettings.from(config(5, 1500, 2, 1000)).dispatchSpin());
    }

    @Test
    void badValuesAreRejectedNamingTheProperty() {
        assertEquals("dev.pathpoint.engine queueCapacity must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> EngineSettings.from(config(0, 1000))).getMessage());
        assertEquals("dev.pathpoint.engine operationTimeoutMillis must not be negative, was -5",
                assertThrows(IllegalArgumentException.class, () -> EngineSettings.from(config(1, -5))).getMessage());
        assertEquals("dev.pathpoint.engine operationTimeoutMillis must be positive, was 0",
                assertThrows(IllegalArgumentException.class, () -> EngineSettings.from(config(1, 0))).getMessage());
        assertEquals("dev.pathpoint.engine maxBatchesInFlightPerDriver must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> EngineSettings.from(config(1, 1000, 0))).getMessage());
        assertEquals("dev.pathpoint.engine dispatchSpinMicros must not be negative, was -1",
                assertThrows(IllegalArgumentException.class, () -> EngineSettings.from(config(1, 1000, 2, -1))).getMessage());
        assertEquals("dev.pathpoint.engine dispatchSpinMicros must be at most 1000, was 1001",
                assertThrows(IllegalArgumentException.class, () -> EngineSettings.from(config(1, 1000, 2, 1001))).getMessage());
    }

    @Test
    void theDefaultsMatchTheConfigurationDefaults() throws Exception {
        EngineSettings defaults = EngineSettings.defaults();
        assertEquals(EngineConfig.class.getMethod("batchSize").getDefaultValue(), defaults.batchSize());
        assertEquals(EngineConfig.class.getMethod("maxBatchesInFlightPerDriver").getDefaultValue(),
                defaults.maxBatchesInFlightPerDriver());
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
