package dev.pathpoint.engine.internal.dispatch;

import static dev.pathpoint.engine.internal.dispatch.EngineHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WaitOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.Disposition;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.testing.TestDriver;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever ends an order or a section, what waits behind it starts in the same pass, without an
 * unrelated event: the sections of issue 12 and the other ways a section can end while the engine
 * is already past starting queued sections.
 */
class QueueProgressTest {
    private EngineHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private static Section section(Disposition disposition, Order... orders) {
        return new Section(List.of(orders), disposition);
    }

    private static ReadOrder read(String pathpoint) {
        return new ReadOrder(pathpoint, AdviseLevel.ADVISE);
    }

    private void assertDoneWithoutAnotherEvent(Section section) {
        assertTrue(section.future().isDone(), "finished in the same pass, with no further event: " + harness.state());
        assertTrue(result(section).succeeded(), result(section).toString());
    }

    @Test
    void aBarrierEndingNoDriverStartsTheNextBarrier() {
        // the document: [{W9r0, advise 0, CANNOT_JOIN}, {W1r0, advise 0, CANNOT_JOIN}], W9 served by nobody
        harness = new EngineHarness();
        harness.addDriver(new TestDriver("simulator"), "W1.*");
        Section unserved = section(Disposition.CANNOT_JOIN, read("W9r0"));
        Section next = section(Disposition.CANNOT_JOIN, read("W1r0"));
        harness.run(unserved, next);
        assertFalse(next.future().isDone(), "waits behind the barrier");

        harness.advance(Duration.ofSeconds(1)); // the ADVISE no-driver wait

        assertEquals(OperationFailedReason.NO_DRIVER,
                assertInstanceOf(OrderOutcome.Failed.class, result(unserved).outcome(0)).reason());
        assertDoneWithoutAnotherEvent(next);
    }

    @Test
    void aJoinableSectionEndingNoDriverStartsTheBarrierBehindIt() {
        harness = new EngineHarness();
        harness.addDriver(new TestDriver("simulator"), "W1.*");
        Section unserved = section(Disposition.JOINABLE, read("W9r0"));
        Section next = section(Disposition.CANNOT_JOIN, read("W1r0"));
        harness.run(unserved, next);

        harness.advance(Duration.ofSeconds(1));

        assertDoneWithoutAnotherEvent(next);
    }

    @Test
    void aSecondSectionHoldingOnlyAWaitStartsAndLastsItsWait() {
        harness = new EngineHarness();
        Section unserved = section(Disposition.CANNOT_JOIN, read("W9r0"));
        Section waiting = section(Disposition.CANNOT_JOIN, new WaitOrder(Duration.ofMillis(500)));
        harness.run(unserved, waiting);

        harness.advance(Duration.ofSeconds(1));
        assertTrue(unserved.future().isDone());
        assertFalse(waiting.future().isDone(), "started when the first ended: its wait runs from then");
        harness.advance(Duration.ofMillis(499));
        assertFalse(waiting.future().isDone());
        harness.advance(Duration.ofMillis(1));

        assertDoneWithoutAnotherEvent(waiting);
    }

    @Test
    void withNoDriverAtAllEverySectionStillEnds() {
        harness = new EngineHarness();
        Section first = section(Disposition.CANNOT_JOIN, read("W9r0"));
        Section second = section(Disposition.CANNOT_JOIN, read("W1r0"));
        Section third = section(Disposition.JOINABLE, read("W1r1"));
        harness.run(first, second, third);

        harness.advance(Duration.ofSeconds(1));
        assertTrue(first.future().isDone());
        harness.advance(Duration.ofSeconds(1)); // the second barrier's wait, from when it started
        assertTrue(second.future().isDone(), harness.engine.describePendingWork());
        harness.advance(Duration.ofSeconds(1));

        assertTrue(third.future().isDone(), harness.engine.describePendingWork());
        assertTrue(harness.state().isIdle(), harness.state().toString());
    }

    @Test
    void barriersThatEndAtOnceLetTheWholeQueueThrough() {
        // bad names, a stale write, an empty section: each ends as it starts
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1.*");
        Section badName = section(Disposition.CANNOT_JOIN, read("Q1"));
        Section stale = section(Disposition.CANNOT_JOIN,
                new WriteOrder("W1r0", PathpointValue.of(1), AdviseLevel.FORCE, EngineHarness.ORIGIN.minusSeconds(1)));
        Section empty = section(Disposition.CANNOT_JOIN);
        Section last = section(Disposition.CANNOT_JOIN, read("W1r1"));

        harness.run(badName, stale, empty, last);

        assertEquals(OperationFailedReason.INVALID, assertInstanceOf(OrderOutcome.Failed.class, result(badName).outcome(0)).reason());
        assertInstanceOf(OrderOutcome.Stale.class, result(stale).outcome(0));
        assertTrue(result(empty).succeeded());
        assertDoneWithoutAnotherEvent(last);
        assertEquals(List.of("read W1r1"), driver.operationNames());
    }

    @Test
    void aReadAnsweredFromTheStoreEndsItsBarrierAndStartsTheNext() {
        harness = new EngineHarness(EngineHarness.settings("minReadIntervals", new String[] {"W1r0=60000"}));
        harness.addDriver(new TestDriver("d"), "W1.*");
        harness.run(section(Disposition.JOINABLE, read("W1r0")));
        Section cached = section(Disposition.CANNOT_JOIN, read("W1r0"));
        Section next = section(Disposition.CANNOT_JOIN, read("W1r1"));

        harness.run(cached, next);

        assertTrue(result(cached).succeeded());
        assertDoneWithoutAnotherEvent(next);
    }

    @Test
    void cancellingAQueuedBarrierLetsTheSectionsBehindItStart() {
        harness = new EngineHarness();
        TestDriver slow = harness.addDriver(new TestDriver("slow").manual(), "W1.*");
        harness.addDriver(new TestDriver("fast"), "W2.*");
        Section running = section(Disposition.JOINABLE, read("W1r0"));
        Section barrier = section(Disposition.CANNOT_JOIN, read("W2r0"));
        Section behind = section(Disposition.JOINABLE, read("W2r1"));
        harness.run(running, barrier, behind);
        assertFalse(behind.future().isDone(), "held by the barrier");

        assertTrue(barrier.cancel());
        harness.settle();

        assertDoneWithoutAnotherEvent(behind);
        assertFalse(running.future().isDone());
        slow.completeHeld();
        assertTrue(result(running).succeeded());
    }
}
