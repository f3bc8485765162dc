package dev.pathpoint.engine.internal.dispatch;

import static dev.pathpoint.engine.internal.dispatch.EngineHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.Disposition;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.section.SectionState;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.testing.TestDriver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueueingAndJoiningTest {
    private EngineHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private static Section read(String pathpoint) {
        return Section.of(new ReadOrder(pathpoint, AdviseLevel.ADVISE));
    }

    private static Section barrier(String pathpoint) {
        return new Section(List.of(new ReadOrder(pathpoint, AdviseLevel.ADVISE)), Disposition.CANNOT_JOIN);
    }

    @Test
    void executeReturnsWithoutWaitingForTheDevice() {
        harness = new EngineHarness();
        TestDriver hanging = harness.addDriver(new TestDriver("hanging").manual(), "W1.*");
        Section section = read("W1r0");

        harness.run(section); // returns although the device never answers

        assertFalse(section.future().isDone());
        assertEquals(SectionState.EXECUTING, section.state());
        assertEquals(List.of("read W1r0"), hanging.operationNames());
        hanging.completeHeld();
        assertTrue(result(section).succeeded());
    }

    @Test
    void joinableSectionsShareOneBatchAndEachCompletesWithItsOwnSlice() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d").manual(), "W1.*");
        driver.set("W1r1", PathpointValue.of(11)).set("W1r2", PathpointValue.of(22)).set("W1r3", PathpointValue.of(33));
        Section first = read("W1r1");
        Section second = new Section(List.of(new ReadOrder("W1r2", AdviseLevel.ADVISE), new ReadOrder("W1r3", AdviseLevel.ADVISE)));

        harness.run(first, second);

        assertEquals(1, driver.batches().size(), "both sections' operations in one batch");
        assertEquals(List.of("read W1r1", "read W1r2", "read W1r3"), driver.operationNames(), "in queue order");
        driver.completeHeld();
        SectionResult firstResult = result(first);
        SectionResult secondResult = result(second);
        assertEquals(1, firstResult.outcomes().size());
        assertEquals(PathpointValue.of(11), ((OrderOutcome.Done) firstResult.outcome(0)).value().orElseThrow());
        assertEquals(2, secondResult.outcomes().size());
        assertEquals(PathpointValue.of(22), ((OrderOutcome.Done) secondResult.outcome(0)).value().orElseThrow());
        assertEquals(PathpointValue.of(33), ((OrderOutcome.Done) secondResult.outcome(1)).value().orElseThrow());
    }

    @Test
    void batchesAreBoundedByTheSizeTheDriverDeclares() {
        harness = new EngineHarness(EngineHarness.settings("maxBatchesInFlightPerDriver", 3));
        TestDriver driver = harness.addDriver(new TestDriver("d"), Map.of(PathpointDriver.PATHPOINT_PATTERN, "W1.*",
                PathpointDriver.DRIVER_NAME, "d", PathpointDriver.MAX_BATCH_SIZE, 2), 0);
        Section section = new Section(List.of(new ReadOrder("W1r1", AdviseLevel.ADVISE), new ReadOrder("W1r2", AdviseLevel.ADVISE),
                new ReadOrder("W1r3", AdviseLevel.ADVISE), new ReadOrder("W1r4", AdviseLevel.ADVISE),
                new ReadOrder("W1r5", AdviseLevel.ADVISE)));

        harness.run(section);

        assertTrue(result(section).succeeded());
        assertEquals(List.of(2, 2, 1), driver.batches().stream().map(List::size).toList());
    }

    @Test
    void everyJoinableSectionThatCanStartShareOneBatch() {
        // a window wide enough for several batches: only what can start together cuts them
        harness = new EngineHarness(EngineHarness.settings("maxBatchesInFlightPerDriver", 3));
        TestDriver driver = harness.addDriver(new TestDriver("d").manual(), "W1.*");

        harness.run(read("W1r1"), read("W1r2"), read("W1r3"), read("W1r4"), read("W1r5"));

        assertEquals(List.of(5), driver.batches().stream().map(List::size).toList());
        assertEquals(List.of("read W1r1", "read W1r2", "read W1r3", "read W1r4", "read W1r5"), driver.operationNames());
    }

    @Test
    void eachDriverGetsItsOwnBatch() {
        harness = new EngineHarness();
        TestDriver one = harness.addDriver(new TestDriver("one"), "W1.*");
        TestDriver two = harness.addDriver(new TestDriver("two"), "W2.*");
        Section section = new Section(List.of(new ReadOrder("W1r1", AdviseLevel.ADVISE), new ReadOrder("W2r1", AdviseLevel.ADVISE),
                new ReadOrder("W1r2", AdviseLevel.ADVISE)));

        harness.run(section);

        assertTrue(result(section).succeeded());
        assertEquals(List.of(List.of("read W1r1", "read W1r2")),
                one.batches().stream().map(batch -> batch.stream().map(Object::toString).toList()).toList());
        assertEquals(List.of("read W2r1"), two.operationNames());
    }

    @Test
    void aCannotJoinSectionWaitsForEarlierWorkRunsAloneAndHoldsBackLaterWork() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d").manual(), "W1.*");
        Section before = read("W1r1");
        Section barrier = barrier("W1r2");
        Section after = read("W1r3");

        harness.run(before, barrier, after);
        assertEquals(List.of("read W1r1"), driver.operationNames(), "the barrier waits for the section before it");
        assertEquals(SectionState.PENDING, barrier.state());

        driver.completeHeld();
        result(before);
        harness.sync();
        assertEquals(List.of("read W1r1", "read W1r2"), driver.operationNames(), "the barrier runs, alone");
        assertEquals(SectionState.PENDING, after.state(), "nothing after the barrier starts before it ends");

        driver.completeHeld();
        result(barrier);
        harness.sync();
        assertEquals(List.of("read W1r1", "read W1r2", "read W1r3"), driver.operationNames());
        driver.completeHeld();
        assertTrue(result(after).succeeded());
        assertEquals(List.of(1, 1, 1), driver.batches().stream().map(List::size).toList());
    }

    @Test
    void laterJoinableSectionsDoNotWaitForSlowEarlierOnes() {
        harness = new EngineHarness();
        TestDriver slow = harness.addDriver(new TestDriver("slow").manual(), "W1.*");
        harness.addDriver(new TestDriver("fast"), "W2.*");
        Section slowSection = read("W1r1");
        harness.run(slowSection);
        Section fastSection = read("W2r1");

        harness.run(fastSection);

        assertTrue(result(fastSection).succeeded(), "a joinable section is not held up by a slow one before it");
        assertFalse(slowSection.future().isDone());
        slow.completeHeld();
        assertTrue(result(slowSection).succeeded());
    }

    @Test
    void aFullQueueRejectsAtOnceWithEveryOrderFailedRejected() {
        // the capacity counts sections accepted and not finished: running ones too
        harness = new EngineHarness(EngineHarness.settings("queueCapacity", 3));
        TestDriver driver = harness.addDriver(new TestDriver("d").manual(), "W1.*");
        Section running = read("W1r1");
        harness.run(running);
        Section queued1 = read("W1r2");
        Section queued2 = read("W1r3");
        harness.run(queued1, queued2);
        Section rejected = new Section(List.of(new ReadOrder("W1r4", AdviseLevel.FORCE), new WriteOrder("W1r5",
                PathpointValue.of(1), AdviseLevel.FORCE)));

        harness.engine.execute(rejected);
        harness.settle(); // the results thread delivers it

        assertTrue(rejected.future().isDone(), "completed at once, without being queued");
        for (OrderOutcome outcome : rejected.future().join().outcomes()) {
            assertEquals(OperationFailedReason.REJECTED, assertInstanceOf(OrderOutcome.Failed.class, outcome).reason());
        }
        assertEquals(3, harness.state().runningSections());
        driver.automatic().completeHeld();
        assertTrue(result(queued1).succeeded(), "queued work is not lost");
        assertTrue(result(queued2).succeeded());
    }

    @Test
    void aSectionCancelledBeforeItStartsNeverRuns() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d").manual(), "W1.*");
        Section running = read("W1r1");
        Section barrier = barrier("W1r2");
        Section later = read("W1r3");
        harness.run(running, barrier, later);

        assertTrue(barrier.future().cancel(false));
        driver.automatic().completeHeld();

        assertTrue(result(later).succeeded());
        assertTrue(barrier.future().isCancelled());
        assertEquals(SectionState.CANCELLED, barrier.state());
        assertEquals(List.of("read W1r1", "read W1r3"), driver.operationNames(), "the cancelled section never ran");
    }

    @Test
    void cancellingAfterTheStartChangesNothing() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d").manual(), "W1.*");
        Section section = read("W1r1");
        harness.run(section);

        assertFalse(section.future().cancel(false));
        driver.completeHeld();

        assertTrue(result(section).succeeded());
    }

    @Test
    void sectionsAlreadyStartedOrNullAreRefused() {
        harness = new EngineHarness();
        harness.addDriver(new TestDriver("d"), "W1.*");
        Section section = read("W1r1");
        harness.run(section);
        result(section);

        IllegalArgumentException started = assertThrows(IllegalArgumentException.class, () -> harness.engine.execute(section));
        assertTrue(started.getMessage().contains("sections[0] is DONE"), started.getMessage());
        IllegalArgumentException nullSection = assertThrows(IllegalArgumentException.class,
                () -> harness.engine.execute(read("W1r1"), null));
        assertTrue(nullSection.getMessage().contains("sections[1] is null"), nullSection.getMessage());
    }

    @Test
    void anEmptySectionCompletesAtOnce() {
        harness = new EngineHarness();
        Section empty = new Section(List.of());

        harness.run(empty);

        assertEquals(List.of(), result(empty).outcomes());
    }
}
