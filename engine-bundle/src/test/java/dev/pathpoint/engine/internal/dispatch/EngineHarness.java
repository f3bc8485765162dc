package dev.pathpoint.engine.internal.dispatch;

import static org.awaitility.Awaitility.await;

import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.message.MessageHandler;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.sysctl.SysctlHandler;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.engine.internal.registry.DriverRegistry;
import dev.pathpoint.engine.internal.registry.HandlerRegistry;
import dev.pathpoint.engine.internal.registry.ListenerRegistry;
import dev.pathpoint.engine.internal.registry.ServiceProperties;
import dev.pathpoint.engine.internal.testing.ManualTimeSource;
import dev.pathpoint.engine.internal.testing.TestDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** An engine on manual time with in-memory drivers and handlers registered as the whiteboard would. */
public final class EngineHarness implements AutoCloseable {
    public static final Instant ORIGIN = Instant.parse("2030-01-01T00:00:00Z");

    public final ManualTimeSource time = new ManualTimeSource(ORIGIN);
    public final DriverRegistry drivers = new DriverRegistry();
    public final HandlerRegistry handlers = new HandlerRegistry();
    public final ListenerRegistry listeners = new ListenerRegistry();
    public final Engine engine;
    private long nextServiceId = 100;

    public EngineHarness() {
        this(settings());
    }

    public EngineHarness(EngineSettings settings) {
        engine = new Engine(settings, drivers, handlers, listeners, time, Executors.newSingleThreadExecutor(),
                "test-engine").start();
    }

    /** Defaults with round test values: 1 s timeout, 100 ms backoff, waits of 1 s / 10 s, no stats log. */
    public static EngineSettings settings() {
        return EngineSettings.defaults()
                .withOperationTimeout(Duration.ofSeconds(1))
                .withRetryBackoff(Duration.ofMillis(100))
                .withNoDriverWaits(Duration.ofSeconds(1), Duration.ofSeconds(10))
                .withStatisticsLogInterval(Duration.ZERO);
    }

    public TestDriver addDriver(TestDriver driver, String pattern) {
        return addDriver(driver, pattern, 0);
    }

    public TestDriver addDriver(TestDriver driver, String pattern, int ranking) {
        drivers.add(driver, properties(Map.of(PathpointDriver.PATHPOINT_PATTERN, pattern,
                PathpointDriver.DRIVER_NAME, driver.name()), ranking));
        return driver;
    }

    public void removeDriver(PathpointDriver driver) {
        drivers.remove(driver);
    }

    public void addSysctlHandler(SysctlHandler handler, Object ops, int ranking) {
        handlers.sysctlHandlers().add(handler, properties(Map.of(SysctlHandler.OP, ops), ranking));
    }

    public void addMessageHandler(MessageHandler handler, int ranking) {
        handlers.messageHandlers().add(handler, properties(Map.of(), ranking));
    }

    public Map<String, Object> properties(Map<String, Object> base, int ranking) {
        Map<String, Object> properties = new HashMap<>(base);
        properties.put(ServiceProperties.SERVICE_RANKING, ranking);
        properties.put(ServiceProperties.SERVICE_ID, nextServiceId++);
        return properties;
    }

    /** Queues the sections and waits until the engine has started what it can. */
    public void run(Section... sections) {
        engine.execute(sections);
        sync();
    }

    public void sync() {
        try {
            engine.sync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Moves manual time forward and waits until the engine has handled the timers that fired. */
    public void advance(Duration duration) {
        time.advance(duration);
        sync();
    }

    public static SectionResult result(Section section) {
        await().atMost(10, TimeUnit.SECONDS).until(() -> section.future().isDone());
        return section.future().join();
    }

    @Override
    public void close() {
        engine.close();
    }
}
