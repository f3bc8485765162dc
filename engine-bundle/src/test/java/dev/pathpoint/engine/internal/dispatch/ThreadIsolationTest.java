package dev.pathpoint.engine.internal.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.engine.internal.registry.ServiceProperties;
import dev.pathpoint.engine.internal.registry.Whiteboard;
import dev.pathpoint.engine.internal.testing.TestDriver;
import dev.pathpoint.engine.internal.time.SystemTimeSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On real threads: a producer's callback that blocks, and a driver whose execute() blocks, stall
 * nobody else. Waits are bounded by latches, never by sleeps.
 */
class ThreadIsolationTest {
    private static final int OTHER_SECTIONS = 200;
    private final Whiteboard whiteboard = Whiteboard.driversOnly();
    private SystemTimeSource time;
    private Engine engine;
    private long serviceId = 1;

    @BeforeEach
    void start() {
        time = new SystemTimeSource(Clock.systemUTC(), "isolation-timer");
        engine = new Engine(EngineSettings.from(Map.of("statisticsLogIntervalSeconds", 0L, "blockedCallLimitMillis", 100L)),
                whiteboard, time, "isolation").start();
    }

    @AfterEach
    void stop() {
        engine.close();
        time.close();
    }

    private void add(PathpointDriver driver, String pattern, String name) {
        whiteboard.drivers().add(driver, Map.of(PathpointDriver.PATHPOINT_PATTERN, pattern, PathpointDriver.DRIVER_NAME, name,
                ServiceProperties.SERVICE_ID, serviceId++));
    }

    /** Runs sections on the healthy device, one after the other, each awaited: all must complete. */
    private void healthyDeviceKeepsItsPace() throws Exception {
        for (int i = 0; i < OTHER_SECTIONS; i++) {
            Section section = Section.of(new ReadOrder("W2r" + (i % 10), AdviseLevel.ADVISE));
            engine.execute(section);
            assertTrue(section.future().get(5, TimeUnit.SECONDS).succeeded());
        }
    }

    @Test
    void aCallbackThatBlocksForTenSecondsDelaysNoOtherSection() throws Exception {
        add(new TestDriver("one"), "W1.*", "one");
        add(new TestDriver("two"), "W2.*", "two");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch callbackRunning = new CountDownLatch(1);
        List<String> callbackThreads = new CopyOnWriteArrayList<>();
        Section blocked = Section.of(new ReadOrder("W1r0", AdviseLevel.ADVISE));
        blocked.future().whenComplete((result, failure) -> {
            callbackThreads.add(Thread.currentThread().getName());
            callbackRunning.countDown();
            try {
                release.await(10, TimeUnit.SECONDS); // a database write, a network publish...
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        engine.execute(blocked);
        assertTrue(callbackRunning.await(5, TimeUnit.SECONDS));

        healthyDeviceKeepsItsPace();

        assertEquals(1, release.getCount(), "the callback was still blocking throughout");
        release.countDown();
        assertFalse(callbackThreads.get(0).contains("dispatch"), "not on the dispatch thread: " + callbackThreads);
        assertTrue(callbackThreads.get(0).startsWith("isolation-results"), callbackThreads.toString());
    }

    @Test
    void aDriverWhoseExecuteBlocksIsReportedOnceAndTheOthersAreServed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch inExecute = new CountDownLatch(1);
        PathpointDriver blocking = batch -> {
            inExecute.countDown();
            try {
                release.await(30, TimeUnit.SECONDS); // I/O done inside execute(), against the SPI
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (DriverOperation operation : batch) {
                operation.complete(PathpointValue.of(1));
            }
        };
        add(blocking, "W1.*", "stubborn");
        add(new TestDriver("two"), "W2.*", "two");
        PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            Section first = Section.of(new ReadOrder("W1r0", AdviseLevel.ADVISE));
            engine.execute(first);
            assertTrue(inExecute.await(5, TimeUnit.SECONDS));

            healthyDeviceKeepsItsPace();
            Section second = Section.of(new ReadOrder("W1r1", AdviseLevel.ADVISE));
            engine.execute(second); // handed on the driver's own thread now, behind the blocked call

            release.countDown();
            assertTrue(first.future().get(10, TimeUnit.SECONDS).succeeded());
            assertTrue(second.future().get(10, TimeUnit.SECONDS).succeeded());
        } finally {
            System.setErr(original);
        }
        String text = log.toString(StandardCharsets.UTF_8);
        long warnings = text.lines().filter(line -> line.contains("WARN") && line.contains("driver stubborn")).count();
        assertEquals(1, warnings, "one WARN for the incident, naming the driver:\n" + text);
    }
}
