package dev.pathpoint.engine.internal.dispatch;

import static org.awaitility.Awaitility.await;

import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.driver.PathpointGrammar;
import dev.pathpoint.api.message.MessageHandler;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.sysctl.SysctlHandler;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.engine.internal.EngineState;
import dev.pathpoint.api.store.PathpointListener;
import dev.pathpoint.engine.internal.registry.DriverRegistry;
import dev.pathpoint.engine.internal.registry.GrammarRegistry;
import dev.pathpoint.engine.internal.registry.HandlerRegistry;
import dev.pathpoint.engine.internal.registry.ListenerRegistry;
import dev.pathpoint.engine.internal.registry.ServiceProperties;
import dev.pathpoint.engine.internal.testing.ServiceList;
import dev.pathpoint.engine.internal.registry.Whiteboard;
import dev.pathpoint.engine.internal.testing.ManualTimeSource;
import dev.pathpoint.engine.internal.testing.TestDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An engine on manual time and manual threads, with in-memory drivers and handlers registered as the
 * whiteboard would. Everything the engine does happens on the test's thread, inside {@link #run},
 * {@link #settle} and {@link #advance}: a test is deterministic, and when one of those returns the
 * engine has done everything it can do without time passing.
 */
public final class EngineHarness implements AutoCloseable {
    public static final Instant ORIGIN = Instant.parse("2030-01-01T00:00:00Z");

    public final ManualTimeSource time = new ManualTimeSource(ORIGIN);
    public final ServiceList<SysctlHandler> sysctlHandlers = new ServiceList<>();
    public final ServiceList<MessageHandler> messageHandlers = new ServiceList<>();
    public final ServiceList<PathpointListener> listeners = new ServiceList<>();
    public final ServiceList<PathpointGrammar> grammars = new ServiceList<>();
    public final Whiteboard whiteboard = new Whiteboard(new DriverRegistry(),
            new HandlerRegistry(sysctlHandlers.services(), messageHandlers.services()), new ListenerRegistry(listeners.services()),
            new GrammarRegistry(grammars.services()));
    /** The harness a test thread works with, so that {@link #result} can let it settle first. */
    private static final ThreadLocal<EngineHarness> CURRENT = new ThreadLocal<>();

    final ManualThreads threads;
    public final Engine engine;
    private long nextServiceId = 100;

    public EngineHarness() {
        this(settings());
    }

    public EngineHarness(EngineSettings settings) {
        this(settings, 1L);
    }

    public EngineHarness(EngineSettings settings, long seed) {
        this(settings, seed, java.util.Set.of());
    }

    /** @param threadedPools pools that get real threads ({@code handler}, {@code results}) */
    public EngineHarness(EngineSettings settings, long seed, java.util.Set<String> threadedPools) {
        threads = new ManualThreads(seed, threadedPools);
        engine = new Engine(settings, whiteboard, time, threads).start();
        CURRENT.set(this);
    }

    /**
     * Round test values: 1 s operation timeout, 100 ms first retry backoff (capped at 1 s), no-driver
     * waits of 1 s / 10 s, no statistics log; then the given overrides, as property name and value pairs.
     */
    public static EngineSettings settings(Object... overrides) {
        Map<String, Object> properties = new HashMap<>(Map.of(
                "operationTimeoutMillis", 1_000L,
                "retryBackoffMillis", 100L,
                "maxRetryBackoffMillis", 1_000L,
                "noDriverWaitAdviseMillis", 1_000L,
                "noDriverWaitForceMillis", 10_000L,
                "statisticsLogIntervalSeconds", 0L));
        for (int i = 0; i < overrides.length; i += 2) {
            properties.put((String) overrides[i], overrides[i + 1]);
        }
        return EngineSettings.from(properties);
    }

    public TestDriver addDriver(TestDriver driver, String pattern) {
        return addDriver(driver, pattern, 0);
    }

    public TestDriver addDriver(TestDriver driver, String pattern, int ranking) {
        return addDriver(driver, Map.of(PathpointDriver.PATHPOINT_PATTERN, pattern, PathpointDriver.DRIVER_NAME, driver.name()),
                ranking);
    }

    public TestDriver addDriver(TestDriver driver, Map<String, Object> properties, int ranking) {
        whiteboard.drivers().add(driver, properties(properties, ranking));
        settle();
        return driver;
    }

    public void removeDriver(PathpointDriver driver) {
        whiteboard.drivers().remove(driver);
        settle();
    }

    public void addGrammar(PathpointGrammar grammar, String pattern) {
        grammars.add(grammar, properties(Map.of(PathpointGrammar.PATHPOINT_PATTERN, pattern), 0));
    }

    public void addSysctlHandler(SysctlHandler handler, Object ops, int ranking) {
        sysctlHandlers.add(handler, properties(Map.of(SysctlHandler.OP, ops), ranking));
    }

    public void addMessageHandler(MessageHandler handler, int ranking) {
        messageHandlers.add(handler, properties(Map.of(), ranking));
    }

    public Map<String, Object> properties(Map<String, Object> base, int ranking) {
        Map<String, Object> properties = new HashMap<>(base);
        properties.put(ServiceProperties.SERVICE_RANKING, ranking);
        properties.put(ServiceProperties.SERVICE_ID, nextServiceId++);
        return properties;
    }

    /** Queues the sections and lets the engine do what it can. */
    public void run(Section... sections) {
        engine.execute(sections);
        settle();
    }

    /** Lets the engine do everything it can without time passing: events, handlers, results, listeners. */
    public void settle() {
        threads.runUntilQuiet();
    }

    /** Same as {@link #settle()}. */
    public void sync() {
        settle();
    }

    /**
     * Moves manual time forward step by step: to each timer that comes due on the way (including those
     * scheduled meanwhile), letting the engine do what it can at each step.
     */
    public void advance(Duration duration) {
        long target = time.nanoTime() + duration.toNanos();
        while (time.advanceToNextDue(target)) {
            settle();
        }
        settle();
    }

    public EngineState state() {
        return engine.state();
    }

    /**
     * The section's result, after the test thread's harness has done what it can (completions a
     * driver made from another thread are taken too, within 10 s).
     */
    public static SectionResult result(Section section) {
        EngineHarness harness = CURRENT.get();
        await().atMost(10, TimeUnit.SECONDS).until(() -> {
            if (harness != null) {
                harness.settle();
            }
            return section.future().isDone();
        });
        return section.future().join();
    }

    @Override
    public void close() {
        engine.close();
        settle();
        if (CURRENT.get() == this) {
            CURRENT.remove();
        }
    }
}
