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

    // ---- a producer's thread running an idle engine (Engine.execute -> DispatchLoop.postOrRun) ----

    private static Thread.State dispatchThreadState() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("isolation-dispatch")).findFirst()
                .map(Thread::getState).orElse(Thread.State.TERMINATED);
    }

    /** Runs a one-read section on an idle engine (its dispatch thread parked) and awaits its result. */
    private void readOnIdleEngine(String pathpoint) throws Exception {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> dispatchThreadState() == Thread.State.WAITING);
        Section section = Section.of(new ReadOrder(pathpoint, AdviseLevel.ADVISE));
        engine.execute(section);
        assertTrue(section.future().get(5, TimeUnit.SECONDS).succeeded());
    }

    private static List<String> names(List<Thread> threads) {
        return threads.stream().map(Thread::getName).toList();
    }

    @Test
    void aProducersThreadCallsADriverOnlyOnceItHasReturnedPromptlyOnTheEnginesThreadAgainAndAgain() throws Exception {
        TestDriver driver = new TestDriver("prompt");
        add(driver, "W1.*", "prompt");
        String producer = Thread.currentThread().getName();

        for (int i = 0; i < DriverWindows.TRUSTED_AFTER; i++) {
            readOnIdleEngine("W1r" + i);
        }
        assertEquals(java.util.Collections.nCopies(DriverWindows.TRUSTED_AFTER, "isolation-dispatch"),
                names(driver.callingThreads()), "not trusted yet: called on the engine's thread");

        // a return slower than prompt (the first call loads classes) starts the count again
        for (int i = 0; i < 2 * DriverWindows.TRUSTED_AFTER && !names(driver.callingThreads()).contains(producer); i++) {
            readOnIdleEngine("W1r0");
        }
        assertTrue(names(driver.callingThreads()).contains(producer),
                "trusted now: an idle engine's section is started and handed over on the producer's thread");

        // a large section is the dispatch thread's however idle the engine is
        List<dev.pathpoint.api.order.Order> reads = new java.util.ArrayList<>();
        for (int i = 0; i <= Engine.CALLER_RUN_MAX_ORDERS; i++) {
            reads.add(new ReadOrder("W1r" + i, AdviseLevel.ADVISE));
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> dispatchThreadState() == Thread.State.WAITING);
        Section large = new Section(reads);
        engine.execute(large);
        assertTrue(large.future().get(5, TimeUnit.SECONDS).succeeded());
        List<String> calls = names(driver.callingThreads());
        assertEquals("isolation-dispatch", calls.get(calls.size() - 1), "more than " + Engine.CALLER_RUN_MAX_ORDERS + " orders");
    }

    @Test
    void aTrustedDriverThatReturnsSlowlyOnceIsCalledOnTheEnginesThreadAgain() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean slowNext = new java.util.concurrent.atomic.AtomicBoolean();
        List<String> calledOn = new CopyOnWriteArrayList<>();
        PathpointDriver driver = batch -> {
            calledOn.add(Thread.currentThread().getName());
            if (slowNext.getAndSet(false)) {
                // the fault under test: an execute() that takes longer than returning at once
                java.util.concurrent.locks.LockSupport.parkNanos(3 * DriverWindows.PROMPT_RETURN_NANOS);
            }
            batch.forEach(operation -> operation.complete(PathpointValue.of(1)));
        };
        add(driver, "W1.*", "sometimes-slow");
        String producer = Thread.currentThread().getName();
        for (int i = 0; i < 3 * DriverWindows.TRUSTED_AFTER && !calledOn.contains(producer); i++) {
            readOnIdleEngine("W1r0");
        }
        assertEquals(producer, calledOn.get(calledOn.size() - 1), "trusted");

        slowNext.set(true);
        readOnIdleEngine("W1r0");
        readOnIdleEngine("W1r0");

        assertEquals(producer, calledOn.get(calledOn.size() - 2), "the slow call still ran where the trust allowed");
        assertEquals("isolation-dispatch", calledOn.get(calledOn.size() - 1), "trust taken away after one slow return");
    }

    @Test
    void aTrustedDriverThatBlocksAProducersThreadStallsNoOtherDevice() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean blockNext = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch inExecute = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> calledOn = new CopyOnWriteArrayList<>();
        PathpointDriver driver = batch -> {
            calledOn.add(Thread.currentThread().getName());
            if (blockNext.getAndSet(false)) {
                inExecute.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS); // against the SPI, after having been prompt
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            batch.forEach(operation -> operation.complete(PathpointValue.of(1)));
        };
        add(driver, "W1.*", "turns-stubborn");
        add(new TestDriver("two"), "W2.*", "two");
        String producer = Thread.currentThread().getName();
        for (int i = 0; i < 3 * DriverWindows.TRUSTED_AFTER && !calledOn.contains(producer); i++) {
            readOnIdleEngine("W1r0");
        }
        assertTrue(calledOn.contains(producer), "trusted: " + calledOn);
        blockNext.set(true);
        Section blocked = Section.of(new ReadOrder("W1r1", AdviseLevel.ADVISE));
        Thread victim = new Thread(() -> {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> dispatchThreadState() == Thread.State.WAITING);
            engine.execute(blocked);
        }, "victim-producer");
        victim.start();
        assertTrue(inExecute.await(5, TimeUnit.SECONDS));
        assertEquals("victim-producer", calledOn.get(calledOn.size() - 1));

        healthyDeviceKeepsItsPace(); // from this thread, while the victim's thread is held by the driver

        assertTrue(victim.isAlive(), "the producer whose thread the driver holds is still held");
        release.countDown();
        victim.join(10_000);
        assertFalse(victim.isAlive(), "its execute returned once the driver did");
        assertTrue(blocked.future().get(10, TimeUnit.SECONDS).succeeded());
        Section after = Section.of(new ReadOrder("W1r2", AdviseLevel.ADVISE));
        engine.execute(after);
        assertTrue(after.future().get(10, TimeUnit.SECONDS).succeeded(), "the driver, marked blocking, is still served");
    }
}
