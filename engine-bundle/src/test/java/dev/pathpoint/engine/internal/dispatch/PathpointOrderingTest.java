package dev.pathpoint.engine.internal.dispatch;

import static dev.pathpoint.engine.internal.dispatch.EngineHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.WriteOperation;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.testing.TestDriver;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PathpointOrderingTest {
    private EngineHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private static WriteOrder write(String pathpoint, long value) {
        return new WriteOrder(pathpoint, PathpointValue.of(value), AdviseLevel.FORCE);
    }

    private static ReadOrder read(String pathpoint) {
        return new ReadOrder(pathpoint, AdviseLevel.FORCE);
    }

    @Test
    void operationsOnOnePathpointTakeEffectInQueueOrderOneAtATime() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d").manual(), "W1.*");
        Section first = Section.of(write("W1r0", 1));
        Section second = Section.of(read("W1r0"));
        Section third = Section.of(write("W1r0", 2), read("W1r7"));

        harness.run(first, second, third);
        assertEquals(List.of("write W1r0 = 1", "read W1r7"), driver.operationNames(), "one operation per pathpoint in flight");

        for (int i = 0; i < 2; i++) {
            driver.completeHeld();
            harness.sync();
        }
        driver.completeHeld();

        assertEquals(List.of("write W1r0 = 1", "read W1r7", "read W1r0", "write W1r0 = 2"), driver.operationNames());
        assertEquals(PathpointValue.of(1), ((OrderOutcome.Done) result(second).outcome(0)).value().orElseThrow(),
                "a read queued after a write reads the written value");
        assertTrue(result(third).succeeded());
        assertEquals(List.of("W1r0=1", "W1r0=2"), driver.applied());
    }

    @Test
    void aBatchNeverHoldsTwoOperationsOnOnePathpoint() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1.*");
        Section section = Section.of(write("W1r0", 1), write("W1r1", 1), write("W1r0", 2), read("W1r1"), write("W1r0", 3));

        harness.run(section);

        assertTrue(result(section).succeeded());
        for (List<DriverOperation> batch : driver.batches()) {
            Set<String> pathpoints = new HashSet<>();
            batch.forEach(op -> assertTrue(pathpoints.add(op.pathpoint()), "two operations on " + op.pathpoint() + " in " + batch));
        }
        assertEquals(List.of("W1r0=1", "W1r1=1", "W1r0=2", "W1r0=3"), driver.applied());
    }

    @Test
    void identicalPendingReadsAreServedByOneDeviceRead() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d").manual(), "W1.*");
        driver.set("W1r5", PathpointValue.of(55));
        Section a = Section.of(read("W1r5"));
        Section b = Section.of(read("W1r5"), new ReadOrder("W1r5", AdviseLevel.ADVISE));

        harness.run(a, b);
        driver.completeHeld();

        assertEquals(1, driver.readCount());
        assertEquals(PathpointValue.of(55), ((OrderOutcome.Done) result(a).outcome(0)).value().orElseThrow());
        SectionResult both = result(b);
        assertEquals(PathpointValue.of(55), ((OrderOutcome.Done) both.outcome(0)).value().orElseThrow());
        assertEquals(PathpointValue.of(55), ((OrderOutcome.Done) both.outcome(1)).value().orElseThrow());
    }

    @Test
    void writeValuesAreCoercedToThePathpointTypeBeforeDispatch() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d"), ".*");
        Section section = Section.of(write("W1r0", 70_000), write("w1r0", -40_000),
                new WriteOrder("B1c0", PathpointValue.of(7), AdviseLevel.FORCE),
                new WriteOrder("W1r1", PathpointValue.of("12.5"), AdviseLevel.FORCE));

        harness.run(section);

        SectionResult result = result(section);
        assertTrue(result.succeeded());
        assertEquals(List.of("W1r0=65535", "w1r0=-32768", "B1c0=1", "W1r1=13"), driver.applied());
        assertEquals(PathpointValue.of(65535), ((OrderOutcome.Done) result.outcome(0)).value().orElseThrow(),
                "a write's outcome carries the value written");
    }

    @Test
    void valuesTheTypeCannotHoldAndBadNamesFailWithoutDispatch() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d"), ".*");
        Section section = Section.of(new WriteOrder("W1r0", PathpointValue.of("abc"), AdviseLevel.FORCE),
                new WriteOrder("W1r1", PathpointValue.of(Double.NaN), AdviseLevel.FORCE),
                read("X1r0"), new WriteOrder("Q1", PathpointValue.of(1), AdviseLevel.FORCE), read("W1r2"));

        harness.run(section);

        SectionResult result = result(section);
        assertEquals(OperationFailedReason.TYPE, assertInstanceOf(OrderOutcome.Failed.class, result.outcome(0)).reason());
        assertEquals(OperationFailedReason.TYPE, assertInstanceOf(OrderOutcome.Failed.class, result.outcome(1)).reason());
        OrderOutcome.Failed badName = assertInstanceOf(OrderOutcome.Failed.class, result.outcome(2));
        assertEquals(OperationFailedReason.INVALID, badName.reason());
        assertTrue(badName.message().contains("X1r0"), badName.message());
        assertEquals(OperationFailedReason.INVALID, assertInstanceOf(OrderOutcome.Failed.class, result.outcome(3)).reason());
        assertTrue(result.outcome(4).succeeded());
        assertEquals(List.of("read W1r2"), driver.operationNames(), "nothing invalid was sent");
    }

    @Test
    void aWritePastItsStaleAfterIsDiscardedNotSent() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1.*");
        Section section = Section.of(new WriteOrder("W1r0", PathpointValue.of(1), AdviseLevel.FORCE,
                EngineHarness.ORIGIN.minusSeconds(1)), write("W1r1", 2));

        harness.run(section);

        SectionResult result = result(section);
        assertInstanceOf(OrderOutcome.Stale.class, result.outcome(0));
        assertTrue(result.outcome(1).succeeded());
        assertEquals(List.of("W1r1=2"), driver.applied());
    }

    @Test
    void aWriteThatBecomesStaleWhileQueuedBehindAnotherIsDiscarded() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d").manual(), "W1.*");
        Section first = Section.of(write("W1r0", 1));
        Section second = Section.of(new WriteOrder("W1r0", PathpointValue.of(2), AdviseLevel.FORCE,
                EngineHarness.ORIGIN.plusMillis(500)));
        harness.run(first, second);

        harness.advance(Duration.ofMillis(600)); // the first write is still in flight, below the 1 s timeout
        driver.automatic().completeHeld();

        assertInstanceOf(OrderOutcome.Stale.class, result(second).outcome(0));
        assertEquals(List.of("W1r0=1"), driver.applied());
    }

    @Test
    void writeOperationsCarryThePathpointType() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d"), ".*");
        Section section = Section.of(new WriteOrder("f1r0", PathpointValue.of(1), AdviseLevel.FORCE));

        harness.run(section);

        assertTrue(result(section).succeeded());
        WriteOperation operation = (WriteOperation) driver.operations().get(0);
        assertEquals(PathpointValue.of(1.0), operation.value());
        assertEquals(dev.pathpoint.api.value.PathpointType.FLOAT_32, operation.type());
    }
}
