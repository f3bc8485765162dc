package dev.pathpoint.api.section;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.SysctlOrder;
import dev.pathpoint.api.order.WaitOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.value.PathpointValue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SectionTest {

    private static ReadOrder read(String pathpoint) {
        return new ReadOrder(pathpoint, AdviseLevel.ADVISE);
    }

    private static SectionResult allDone(Section section) {
        return new SectionResult(section.orders().stream().map(o -> (OrderOutcome) OrderOutcome.done(o)).toList());
    }

    @Test
    void newSectionIsPendingAndJoinableByDefault() {
        Section section = Section.of(read("W1r0"));
        assertEquals(SectionState.PENDING, section.state());
        assertTrue(section.isJoinable());
        assertEquals(Disposition.JOINABLE, section.disposition());
        assertFalse(section.future().isDone());
    }

    @Test
    void cannotJoinSectionIsNotJoinable() {
        assertFalse(new Section(List.of(read("W1r0")), Disposition.CANNOT_JOIN).isJoinable());
    }

    @Test
    void futureCompletesWithTheResultWhenMarkedDone() throws Exception {
        Section section = Section.of(read("W1r0"));
        assertTrue(section.markAsBeingExecuted());
        assertEquals(SectionState.EXECUTING, section.state());
        SectionResult result = new SectionResult(List.of(OrderOutcome.done(section.orders().get(0), PathpointValue.of(7))));
        section.markAsDone(result);
        assertEquals(SectionState.DONE, section.state());
        assertSame(result, section.future().get(0, TimeUnit.SECONDS));
        assertTrue(result.succeeded());
    }

    @Test
    void cancelBeforeStartCancelsTheSectionAndItsFuture() {
        Section section = Section.of(read("W1r0"));
        assertTrue(section.cancel());
        assertEquals(SectionState.CANCELLED, section.state());
        assertTrue(section.future().isCancelled());
        assertThrows(CancellationException.class, () -> section.future().join());
        assertFalse(section.markAsBeingExecuted(), "a cancelled section must not run");
        assertTrue(section.cancel(), "cancelling twice still says cancelled");
    }

    @Test
    void cancellingTheFutureBeforeStartCancelsTheSection() {
        Section section = Section.of(read("W1r0"));
        assertTrue(section.future().cancel(true));
        assertEquals(SectionState.CANCELLED, section.state());
        assertFalse(section.markAsBeingExecuted());
    }

    @Test
    void cancelAfterStartChangesNothing() throws Exception {
        Section section = Section.of(read("W1r0"));
        assertTrue(section.markAsBeingExecuted());
        assertFalse(section.cancel());
        assertFalse(section.future().cancel(true));
        assertFalse(section.future().isCancelled());
        assertEquals(SectionState.EXECUTING, section.state());
        section.markAsDone(allDone(section));
        assertTrue(section.future().get().succeeded());
        assertFalse(section.cancel(), "nor after it is done");
    }

    @Test
    void onlyTheSectionCompletesItsFuture() {
        Section section = Section.of(read("W1r0"));
        CompletableFuture<SectionResult> future = section.future();
        SectionResult result = new SectionResult(List.of());
        assertThrows(UnsupportedOperationException.class, () -> future.complete(result));
        assertThrows(UnsupportedOperationException.class, () -> future.completeExceptionally(new RuntimeException()));
        assertThrows(UnsupportedOperationException.class, () -> future.obtrudeValue(result));
        assertThrows(UnsupportedOperationException.class, () -> future.obtrudeException(new RuntimeException()));
        CompletableFuture<SectionResult> timed = future.orTimeout(1, TimeUnit.MILLISECONDS);
        assertThrows(Exception.class, timed::join);
        assertFalse(future.isDone(), "a timeout on the copy leaves the section's future alone");
    }

    @Test
    void dependentStagesAreOrdinaryFutures() throws Exception {
        Section section = Section.of(read("W1r0"));
        CompletableFuture<Boolean> succeeded = section.future().thenApply(SectionResult::succeeded);
        assertTrue(succeeded.complete(false), "a dependent stage can be completed by its owner");
        section.markAsBeingExecuted();
        section.markAsDone(allDone(section));
        assertTrue(section.future().get().succeeded());
    }

    @Test
    void startingTwiceOrFinishingBeforeStartIsAnError() {
        Section section = Section.of(read("W1r0"));
        assertThrows(IllegalStateException.class, () -> section.markAsDone(allDone(section)));
        section.markAsBeingExecuted();
        assertThrows(IllegalStateException.class, section::markAsBeingExecuted);
        section.markAsDone(allDone(section));
        assertThrows(IllegalStateException.class, () -> section.markAsDone(allDone(section)));
    }

    @Test
    void resultMustHoldOneOutcomePerOrder() {
        Section section = Section.of(read("W1r0"), read("W1r1"));
        section.markAsBeingExecuted();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> section.markAsDone(new SectionResult(List.of(OrderOutcome.done(section.orders().get(0))))));
        assertTrue(e.getMessage().contains("1 outcomes for 2 orders"), e.getMessage());
        assertEquals(SectionState.EXECUTING, section.state(), "a rejected result changes nothing");
    }

    @Test
    void maxWaitIsTheLongestWait() {
        assertEquals(Duration.ZERO, Section.of(read("W1r0")).maxWait());
        Section section = Section.of(new WaitOrder(Duration.ofMillis(200)), read("W1r0"), new WaitOrder(Duration.ofSeconds(2)),
                new WaitOrder(Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(2), section.maxWait());
    }

    @Test
    void ordersAreCopiedAndImmutable() {
        List<Order> orders = new java.util.ArrayList<>(List.of(read("W1r0")));
        Section section = new Section(orders);
        orders.add(read("W1r1"));
        assertEquals(1, section.orders().size());
        assertThrows(UnsupportedOperationException.class, () -> section.orders().add(read("W1r2")));
    }

    @Test
    void nullOrdersAreRejectedWithTheirPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Section(java.util.Arrays.asList(read("W1r0"), null)));
        assertEquals("orders[1] is null", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Section(null));
        assertThrows(IllegalArgumentException.class, () -> new Section(List.of(), null));
    }

    @Test
    void joinedSectionCompletesEachOriginalWithItsSlice() throws Exception {
        Section first = Section.of(read("W1r0"), read("W1r1"));
        Section second = Section.of(new WriteOrder("W1r2", PathpointValue.of(3), AdviseLevel.FORCE));
        Section joined = Section.join(List.of(first, second));

        assertEquals(3, joined.orders().size());
        assertEquals(List.of(first, second), joined.parts());
        assertEquals(SectionState.JOINED, first.state());
        assertTrue(joined.markAsBeingExecuted());
        assertEquals(SectionState.EXECUTING, first.state());
        assertEquals(SectionState.EXECUTING, second.state());

        OperationFailedException timeout = new OperationFailedException(OperationFailedReason.TIMEOUT, "no answer");
        joined.markAsDone(new SectionResult(List.of(
                OrderOutcome.done(joined.orders().get(0), PathpointValue.of(1)),
                OrderOutcome.done(joined.orders().get(1), PathpointValue.of(2)),
                OrderOutcome.failed(joined.orders().get(2), timeout))));

        SectionResult firstResult = first.future().get(0, TimeUnit.SECONDS);
        assertEquals(2, firstResult.outcomes().size());
        assertSame(first.orders().get(1), firstResult.outcome(1).order());
        assertTrue(firstResult.succeeded());
        SectionResult secondResult = second.future().get(0, TimeUnit.SECONDS);
        assertEquals(OrderOutcome.Status.FAILED, secondResult.outcome(0).status());
        assertEquals(OperationFailedReason.TIMEOUT, ((OrderOutcome.Failed) secondResult.outcome(0)).reason());
        assertFalse(joined.future().get().succeeded());
        assertEquals(SectionState.DONE, second.state());
    }

    @Test
    void joinedPartsCannotBeCancelledOnTheirOwn() {
        Section part = Section.of(read("W1r0"));
        Section joined = Section.join(List.of(part));
        assertFalse(part.cancel(), "a joined part has been handed over");
        assertFalse(part.future().isCancelled());
        assertTrue(joined.markAsBeingExecuted());
    }

    @Test
    void cancellingTheJoinedSectionCancelsItsParts() {
        Section first = Section.of(read("W1r0"));
        Section second = Section.of(read("W1r1"));
        Section joined = Section.join(List.of(first, second));
        assertTrue(joined.future().cancel(false));
        assertTrue(first.future().isCancelled());
        assertTrue(second.future().isCancelled());
        assertEquals(SectionState.CANCELLED, second.state());
    }

    @Test
    void joinLeavesOutCancelledSections() {
        Section cancelled = Section.of(read("W1r0"));
        Section live = Section.of(read("W1r1"));
        cancelled.cancel();
        Section joined = Section.join(List.of(cancelled, live));
        assertEquals(List.of(live), joined.parts());
        assertEquals(live.orders(), joined.orders());
    }

    @Test
    void joinRefusesBarriersAndStartedSections() {
        Section barrier = new Section(List.of(read("W1r0")), Disposition.CANNOT_JOIN);
        Section pending = Section.of(read("W1r1"));
        assertThrows(IllegalArgumentException.class, () -> Section.join(List.of(pending, barrier)));
        assertEquals(SectionState.PENDING, pending.state(), "a refused join hands nothing over");

        Section started = Section.of(read("W1r2"));
        started.markAsBeingExecuted();
        assertThrows(IllegalStateException.class, () -> Section.join(List.of(pending, started)));
        assertEquals(SectionState.PENDING, pending.state(), "a refused join hands nothing over");
        assertThrows(IllegalStateException.class, () -> Section.join(List.of(Section.join(List.of(pending)).parts().get(0))));
    }

    @Test
    void joinedSectionsCanBeJoinedAgain() throws Exception {
        Section a = Section.of(read("W1r0"));
        Section b = Section.of(read("W1r1"));
        Section c = Section.of(new SysctlOrder("reboot", ""));
        Section ab = Section.join(List.of(a, b));
        Section abc = Section.join(List.of(ab, c));
        assertTrue(abc.markAsBeingExecuted());
        assertEquals(SectionState.EXECUTING, a.state());
        abc.markAsDone(new SectionResult(List.of(OrderOutcome.done(a.orders().get(0)), OrderOutcome.done(b.orders().get(0)),
                new OrderOutcome.Unhandled(c.orders().get(0)))));
        assertTrue(a.future().get().succeeded());
        assertTrue(b.future().get().succeeded());
        assertEquals(OrderOutcome.Status.UNHANDLED, c.future().get().outcome(0).status());
    }

    @Test
    void cancelRacingStartHasExactlyOneWinner() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 500; round++) {
                Section section = Section.of(read("W1r0"));
                CountDownLatch go = new CountDownLatch(1);
                Future<Boolean> started = pool.submit(() -> {
                    go.await();
                    return section.markAsBeingExecuted();
                });
                Future<Boolean> cancelled = pool.submit(() -> {
                    go.await();
                    return section.cancel();
                });
                go.countDown();
                assertTrue(started.get() ^ cancelled.get(), "exactly one of start and cancel wins");
                assertEquals(cancelled.get(), section.future().isCancelled());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void resultTellsEveryKindOfOutcome() {
        ReadOrder read = read("W1r0");
        SectionResult result = new SectionResult(List.of(OrderOutcome.done(read, PathpointValue.of(1)),
                new OrderOutcome.Failed(read, OperationFailedReason.NO_DRIVER, "no driver serves W1r0"),
                new OrderOutcome.Stale(read), new OrderOutcome.Cancelled(read), new OrderOutcome.Unhandled(read)));
        assertEquals(List.of(OrderOutcome.Status.DONE, OrderOutcome.Status.FAILED, OrderOutcome.Status.STALE,
                OrderOutcome.Status.CANCELLED, OrderOutcome.Status.UNHANDLED),
                result.outcomes().stream().map(OrderOutcome::status).toList());
        assertFalse(result.succeeded());
        assertEquals(PathpointValue.of(1), ((OrderOutcome.Done) result.outcome(0)).value().orElseThrow());
    }
}
