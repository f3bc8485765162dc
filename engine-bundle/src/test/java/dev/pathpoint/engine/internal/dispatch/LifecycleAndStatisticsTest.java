package dev.pathpoint.engine.internal.dispatch;

import static dev.pathpoint.engine.internal.dispatch.EngineHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.executor.ExecutorStatistics;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WaitOrder;
import dev.pathpoint.api.section.Disposition;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.engine.internal.testing.TestDriver;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LifecycleAndStatisticsTest {
    private EngineHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private static Section read(String pathpoint) {
        return Section.of(new ReadOrder(pathpoint, AdviseLevel.FORCE));
    }

    @Test
    void aSectionWithWaitsLastsItsLongestWaitWithoutBlockingOtherWork() {
        harness = new EngineHarness();
        harness.addDriver(new TestDriver("d"), "W1.*");
        Section waiting = Section.of(new WaitOrder(Duration.ofSeconds(2)), new ReadOrder("W1r0", AdviseLevel.ADVISE),
                new WaitOrder(Duration.ofSeconds(5)));
        Section other = read("W1r1");

        harness.run(waiting, other);

        assertTrue(result(other).succeeded(), "other work is not held up by the wait");
        harness.advance(Duration.ofMillis(4_999));
        assertFalse(waiting.future().isDone());
        harness.advance(Duration.ofMillis(1));
        SectionResult result = result(waiting);
        assertTrue(result.succeeded());
        assertEquals(3, result.outcomes().size());
    }

    @Test
    void aBarrierWithAWaitHoldsBackLaterSectionsForTheWait() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1.*");
        Section pause = new Section(List.of(new WaitOrder(Duration.ofSeconds(1))), Disposition.CANNOT_JOIN);
        Section after = read("W1r0");

        harness.run(pause, after);
        assertEquals(List.of(), driver.operationNames());
        harness.advance(Duration.ofSeconds(1));

        assertTrue(result(after).succeeded());
    }

    @Test
    void stoppingCompletesEveryPendingFutureWithShutdown() {
        harness = new EngineHarness();
        harness.addDriver(new TestDriver("d").manual(), "W1.*");
        Section running = read("W1r0");
        Section barrier = new Section(List.of(new ReadOrder("W1r1", AdviseLevel.FORCE)), Disposition.CANNOT_JOIN);
        Section queued = read("W1r2");
        Section waiting = Section.of(new WaitOrder(Duration.ofHours(1)));
        harness.run(running, waiting, barrier, queued);

        harness.engine.close();

        for (Section section : List.of(running, waiting, barrier, queued)) {
            assertTrue(section.future().isDone(), section + " completed");
            OrderOutcome.Failed failed = assertInstanceOf(OrderOutcome.Failed.class, section.future().join().outcome(0));
            assertEquals(OperationFailedReason.SHUTDOWN, failed.reason());
        }
        Section late = read("W1r3");
        harness.engine.execute(late);
        assertEquals(OperationFailedReason.SHUTDOWN,
                assertInstanceOf(OrderOutcome.Failed.class, late.future().join().outcome(0)).reason());
    }

    @Test
    void statisticsShowQueueDepthInFlightRetriesFailuresAndLatency() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("plc").manual(), "W1.*");
        driver.failNext("W1r9", OperationFailedReason.TIMEOUT, OperationFailedReason.INVALID);
        Section first = Section.of(new ReadOrder("W1r0", AdviseLevel.FORCE), new ReadOrder("W1r1", AdviseLevel.FORCE));
        Section second = new Section(List.of(new ReadOrder("W1r2", AdviseLevel.ADVISE)), Disposition.CANNOT_JOIN);
        harness.run(first, second);

        ExecutorStatistics busy = harness.engine.statistics();
        assertEquals(1, busy.queuedSections());
        assertEquals(1, busy.runningSections());
        assertEquals(2, busy.inFlightByDriver().get("plc"));

        harness.advance(Duration.ofMillis(250));
        driver.automatic().completeHeld();
        result(first);
        result(second);
        Section failing = read("W1r9");
        harness.run(failing);
        harness.advance(Duration.ofMillis(120));
        result(failing);
        harness.sync();

        ExecutorStatistics done = harness.engine.statistics();
        assertEquals(0, done.queuedSections());
        assertEquals(0, done.runningSections());
        assertEquals(0, done.inFlightByDriver().get("plc"));
        assertEquals(4, done.ordersCompleted());
        assertEquals(1, done.retries());
        assertEquals(1L, done.failuresByReason().get(OperationFailedReason.INVALID));
        assertEquals(Duration.ofMillis(250), done.maxLatency());
        assertTrue(done.meanLatency().compareTo(Duration.ZERO) > 0);
    }

    @Test
    void reconfiguringKeepsQueuedWorkAndAppliesNewLimits() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d").manual(), "W1.*");
        Section running = read("W1r0");
        Section barrier = new Section(List.of(new ReadOrder("W1r1", AdviseLevel.FORCE), new ReadOrder("W1r2", AdviseLevel.FORCE),
                new ReadOrder("W1r3", AdviseLevel.FORCE)), Disposition.CANNOT_JOIN);
        harness.run(running, barrier);

        harness.engine.reconfigure(EngineHarness.settings("queueCapacity", 5, "maxBatchesInFlightPerDriver", 1));
        harness.sync();
        driver.completeHeld(); // the running section's read: the barrier starts
        harness.sync();
        driver.completeHeld(); // the barrier's reads
        harness.sync();
        Section first = read("W1r4");
        Section second = read("W1r5");
        harness.run(first);
        harness.run(second);
        assertEquals(List.of(1, 3, 1), driver.batches().stream().map(List::size).toList(),
                "the new window of one batch applies: the second read waits");
        driver.automatic().completeHeld();

        assertTrue(result(running).succeeded());
        assertTrue(result(barrier).succeeded(), "queued work survived the change");
        assertTrue(result(first).succeeded());
        assertTrue(result(second).succeeded());
        assertEquals(List.of(1, 3, 1, 1), driver.batches().stream().map(List::size).toList());
        assertEquals(5, harness.engine.settings().queueCapacity());
    }
}
