package dev.pathpoint.engine.internal.dispatch;

import static dev.pathpoint.engine.internal.dispatch.EngineHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.testing.TestDriver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryAndTimeoutTest {
    private EngineHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aHangingDriverDoesNotDelayOrdersForOtherDrivers() {
        harness = new EngineHarness();
        TestDriver hanging = harness.addDriver(new TestDriver("hanging").manual(), "W1.*");
        harness.addDriver(new TestDriver("healthy"), "W2.*");
        Section stuck = Section.of(new ReadOrder("W1r0", AdviseLevel.ADVISE));
        Section other = Section.of(new ReadOrder("W2r0", AdviseLevel.ADVISE));
        Section both = Section.of(new ReadOrder("W2r1", AdviseLevel.ADVISE), new ReadOrder("W1r1", AdviseLevel.ADVISE));

        harness.run(stuck, other, both);

        assertTrue(result(other).succeeded(), "the healthy driver's section completes while the other hangs");
        assertFalse(stuck.future().isDone());
        assertEquals(2, hanging.held().size());
    }

    @Test
    void theEngineTimesOutAHangingOperationItselfAndRetries() {
        harness = new EngineHarness();
        TestDriver hanging = harness.addDriver(new TestDriver("hanging").manual(), "W1.*");
        Section section = Section.of(new ReadOrder("W1r0", AdviseLevel.ADVISE)); // 3 tries
        harness.run(section);
        DriverOperation firstTry = hanging.held().get(0);

        harness.advance(Duration.ofSeconds(1)); // timeout
        CompletableFuture<?> firstCompletion = firstTry.completion().toCompletableFuture();
        assertTrue(firstTry.isDone(), "the engine completed the operation itself");
        OperationFailedException timeout = (OperationFailedException) firstCompletion.handle((v, e) -> e.getCause() != null ? e.getCause() : e).join();
        assertEquals(OperationFailedReason.TIMEOUT, timeout.reason());
        assertEquals(1, hanging.readCount(), "no retry before the backoff");

        harness.advance(Duration.ofMillis(99)); // the first backoff: 100 ms, lengthened by up to 20 %
        assertEquals(1, hanging.readCount(), "not before the first backoff");
        harness.advance(Duration.ofMillis(21));
        assertEquals(2, hanging.readCount());
        harness.advance(Duration.ofSeconds(1));
        harness.advance(Duration.ofMillis(199)); // the second backoff: twice the first
        assertEquals(2, hanging.readCount(), "the backoff grows");
        harness.advance(Duration.ofMillis(41));
        assertEquals(3, hanging.readCount());
        harness.advance(Duration.ofSeconds(1));

        OrderOutcome.Failed failed = assertInstanceOf(OrderOutcome.Failed.class, result(section).outcome(0));
        assertEquals(OperationFailedReason.TIMEOUT, failed.reason());
        assertTrue(failed.message().contains("hanging"), failed.message());
        assertEquals(3, hanging.readCount(), "tries follow fail(): 3 under ADVISE");
        assertEquals(2, harness.engine.statistics().retries());
        assertEquals(1L, harness.engine.statistics().failuresByReason().get(OperationFailedReason.TIMEOUT));
    }

    @Test
    void aLateCompletionAfterTheTimeoutIsIgnored() {
        harness = new EngineHarness();
        TestDriver slow = harness.addDriver(new TestDriver("slow").manual(), "W1.*");
        Section section = Section.of(new WriteOrder("W1r0", PathpointValue.of(5), AdviseLevel.ADVISE)); // 1 try
        harness.run(section);

        harness.advance(Duration.ofSeconds(1));
        assertEquals(OperationFailedReason.TIMEOUT, assertInstanceOf(OrderOutcome.Failed.class, result(section).outcome(0)).reason());
        assertEquals(1, slow.completeHeld());
        harness.sync();
        assertEquals(OperationFailedReason.TIMEOUT, assertInstanceOf(OrderOutcome.Failed.class, section.future().join().outcome(0)).reason());
    }

    @Test
    void failuresAreRetriedAfterTheBackoffUntilTheySucceed() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1.*");
        driver.set("W1r0", PathpointValue.of(9)).failNext("W1r0", OperationFailedReason.MALFORMED, OperationFailedReason.TIMEOUT);
        Section section = Section.of(new ReadOrder("W1r0", AdviseLevel.FORCE));

        harness.run(section);
        assertEquals(1, driver.readCount());
        assertFalse(section.future().isDone());
        harness.advance(Duration.ofMillis(99));
        assertEquals(1, driver.readCount(), "the backoff is respected");
        harness.advance(Duration.ofMillis(21));
        assertEquals(2, driver.readCount());
        harness.advance(Duration.ofMillis(240));

        assertEquals(PathpointValue.of(9), ((OrderOutcome.Done) result(section).outcome(0)).value().orElseThrow());
        assertEquals(3, driver.readCount());
        assertEquals(2, harness.engine.statistics().retries());
    }

    @Test
    void whenTriesRunOutTheOrderFailsWithTheDriversReasonAndTheStoreRecordsIt() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1.*");
        driver.failNext("W1r0", OperationFailedReason.MALFORMED, OperationFailedReason.MALFORMED, OperationFailedReason.MALFORMED);
        Section section = Section.of(new ReadOrder("W1r0", AdviseLevel.ADVISE));

        harness.run(section);
        harness.advance(Duration.ofMillis(360)); // the two backoffs: 100 and 200 ms, each up to 20 % longer

        assertEquals(OperationFailedReason.MALFORMED, assertInstanceOf(OrderOutcome.Failed.class, result(section).outcome(0)).reason());
        assertEquals(3, driver.readCount());
        Reading.Failure recorded = assertInstanceOf(Reading.Failure.class, harness.engine.store().reading("W1r0").orElseThrow());
        assertEquals(OperationFailedReason.MALFORMED, recorded.reason());
        assertFalse(recorded.timestamp().isBefore(EngineHarness.ORIGIN.plusMillis(300)), recorded.toString());
        assertFalse(recorded.timestamp().isAfter(EngineHarness.ORIGIN.plusMillis(360)), recorded.toString());
    }

    @Test
    void nonRetryableReasonsAreNotRetried() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1.*");
        driver.failNext("W1r0", OperationFailedReason.INVALID);
        Section section = Section.of(new ReadOrder("W1r0", AdviseLevel.FORCE));

        harness.run(section);

        assertEquals(OperationFailedReason.INVALID, assertInstanceOf(OrderOutcome.Failed.class, result(section).outcome(0)).reason());
        assertEquals(1, driver.readCount());
    }

    @Test
    void retriesKeepQueueOrderOnThePathpoint() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1.*");
        driver.failNext("W1r0", OperationFailedReason.TIMEOUT);
        Section first = Section.of(new WriteOrder("W1r0", PathpointValue.of(1), AdviseLevel.FORCE));
        Section second = Section.of(new WriteOrder("W1r0", PathpointValue.of(2), AdviseLevel.FORCE));

        harness.run(first, second);
        assertEquals(List.of(), driver.applied(), "the second write waits for the first one's retry");
        harness.advance(Duration.ofMillis(120));

        assertTrue(result(first).succeeded());
        assertTrue(result(second).succeeded());
        assertEquals(List.of("W1r0=1", "W1r0=2"), driver.applied());
    }

    @Test
    void aWriteThatBecomesStaleBeforeItsRetryIsDiscarded() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1.*");
        driver.failNext("W1r0", OperationFailedReason.TIMEOUT);
        Section section = Section.of(new WriteOrder("W1r0", PathpointValue.of(1), AdviseLevel.FORCE,
                EngineHarness.ORIGIN.plusMillis(50)));

        harness.run(section);
        harness.advance(Duration.ofMillis(120));

        assertInstanceOf(OrderOutcome.Stale.class, result(section).outcome(0));
        assertEquals(1, driver.operations().size(), "the retry was never sent");
        assertEquals(List.of(), driver.applied());
    }

    @Test
    void aDriverThatThrowsFailsItsBatchWithError() {
        harness = new EngineHarness();
        harness.whiteboard.drivers().add(batch -> {
            throw new IllegalStateException("broken driver");
        }, harness.properties(java.util.Map.of("pathpoint.pattern", "W1.*", "pathpoint.driver.name", "broken"), 0));
        Section section = Section.of(new ReadOrder("W1r0", AdviseLevel.FORCE));

        harness.run(section);

        OrderOutcome.Failed failed = assertInstanceOf(OrderOutcome.Failed.class, result(section).outcome(0));
        assertEquals(OperationFailedReason.ERROR, failed.reason());
        assertTrue(failed.message().contains("broken driver"), failed.message());
    }
}
