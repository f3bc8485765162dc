package dev.pathpoint.engine.internal.dispatch;

import static dev.pathpoint.engine.internal.dispatch.EngineHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.testing.TestDriver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DriverLifecycleTest {
    private EngineHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void withoutADriverAnAdviseOrderWaitsTheShortTimeThenFailsNoDriver() {
        harness = new EngineHarness();
        Section advise = Section.of(new ReadOrder("W1r0", AdviseLevel.ADVISE));
        Section force = Section.of(new ReadOrder("W2r0", AdviseLevel.FORCE));
        harness.run(advise, force);

        harness.advance(Duration.ofMillis(999));
        assertFalse(advise.future().isDone());
        harness.advance(Duration.ofMillis(1));

        OrderOutcome.Failed failed = assertInstanceOf(OrderOutcome.Failed.class, result(advise).outcome(0));
        assertEquals(OperationFailedReason.NO_DRIVER, failed.reason());
        assertTrue(failed.message().contains("W1r0"), failed.message());
        assertFalse(force.future().isDone(), "FORCE waits longer");
        harness.advance(Duration.ofSeconds(9));
        assertEquals(OperationFailedReason.NO_DRIVER, assertInstanceOf(OrderOutcome.Failed.class, result(force).outcome(0)).reason());
    }

    @Test
    void aDriverThatAppearsInTimeServesTheWaitingOrders() {
        harness = new EngineHarness();
        Section section = Section.of(new WriteOrder("W1r0", PathpointValue.of(3), AdviseLevel.FORCE),
                new ReadOrder("W1r0", AdviseLevel.ADVISE), new ReadOrder("W1r1", AdviseLevel.FORCE));
        harness.run(section);
        harness.advance(Duration.ofSeconds(5)); // past the ADVISE wait, but the read is behind a FORCE write

        TestDriver late = harness.addDriver(new TestDriver("late"), "W1.*");

        assertTrue(result(section).succeeded(), "the orders are served by the driver that appeared");
        assertEquals(List.of("W1r0=3"), late.applied());
        assertEquals(PathpointValue.of(3), ((OrderOutcome.Done) result(section).outcome(1)).value().orElseThrow());
    }

    @Test
    void theHighestRankedMatchingDriverServes() {
        harness = new EngineHarness();
        TestDriver low = harness.addDriver(new TestDriver("low"), "W1.*", 1);
        TestDriver high = harness.addDriver(new TestDriver("high"), "W1r.*", 5);
        TestDriver other = harness.addDriver(new TestDriver("other"), "W2.*", 10);
        Section section = Section.of(new ReadOrder("W1r0", AdviseLevel.FORCE), new ReadOrder("W1c0", AdviseLevel.FORCE));

        harness.run(section);

        assertTrue(result(section).succeeded());
        assertEquals(List.of("read W1r0"), high.operationNames());
        assertEquals(List.of("read W1c0"), low.operationNames());
        assertEquals(List.of(), other.operationNames());
    }

    @Test
    void thePatternMustMatchTheWholeName() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1");
        Section section = Section.of(new ReadOrder("W1r0", AdviseLevel.ADVISE));

        harness.run(section);
        harness.advance(Duration.ofSeconds(1));

        assertEquals(OperationFailedReason.NO_DRIVER, assertInstanceOf(OrderOutcome.Failed.class, result(section).outcome(0)).reason());
        assertEquals(List.of(), driver.operationNames());
    }

    @Test
    void operationsInFlightOnADriverThatGoesAwayAreRedispatchedToItsReplacement() {
        harness = new EngineHarness();
        Map<String, PathpointValue> device = new ConcurrentHashMap<>();
        TestDriver old = harness.addDriver(new TestDriver("old", device).manual(), "W1.*");
        Section section = Section.of(new WriteOrder("W1r0", PathpointValue.of(7), AdviseLevel.ADVISE),
                new ReadOrder("W1r1", AdviseLevel.ADVISE));
        harness.run(section);
        assertEquals(2, old.held().size());

        harness.removeDriver(old);
        harness.sync();
        TestDriver replacement = harness.addDriver(new TestDriver("new", device), "W1.*");

        assertTrue(result(section).succeeded());
        assertEquals(List.of("W1r0=7"), replacement.applied(), "the write is applied by the replacement");
        assertEquals(0, old.completeHeld() - 2, "the old driver still had both operations");
        harness.sync();
        assertTrue(section.future().join().succeeded(), "its late completions are ignored");
        assertEquals(0, harness.engine.statistics().retries(), "a re-dispatch is not a retry");
    }

    @Test
    void aRemovedDriversOrdersWaitForAReplacementWithinTheNoDriverWait() {
        harness = new EngineHarness();
        TestDriver old = harness.addDriver(new TestDriver("old").manual(), "W1.*");
        Section section = Section.of(new ReadOrder("W1r0", AdviseLevel.ADVISE));
        harness.run(section);

        harness.removeDriver(old);
        harness.sync();
        harness.advance(Duration.ofSeconds(1));

        OrderOutcome.Failed failed = assertInstanceOf(OrderOutcome.Failed.class, result(section).outcome(0));
        assertEquals(OperationFailedReason.NO_DRIVER, failed.reason());
    }

    @Test
    void aLateCompletionFromADepartedDriverIsIgnored() {
        harness = new EngineHarness();
        Map<String, PathpointValue> device = new ConcurrentHashMap<>();
        TestDriver old = harness.addDriver(new TestDriver("old", device).manual(), "W1.*");
        TestDriver replacement = new TestDriver("new", device).manual();
        device.put("W1r0", PathpointValue.of(1));
        Section section = Section.of(new ReadOrder("W1r0", AdviseLevel.ADVISE));
        harness.run(section);
        harness.removeDriver(old);
        harness.addDriver(replacement, "W1.*");
        harness.sync();

        device.put("W1r0", PathpointValue.of(2));
        old.held().get(0).complete(PathpointValue.of(99));
        harness.sync();
        assertFalse(section.future().isDone(), "the departed driver's answer is not taken");
        replacement.completeHeld();

        assertEquals(PathpointValue.of(2), ((OrderOutcome.Done) result(section).outcome(0)).value().orElseThrow());
    }

    @Test
    void changedDriverPropertiesReRoute() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1.*");
        harness.whiteboard.drivers().update(driver, harness.properties(Map.of(PathpointDriver.PATHPOINT_PATTERN, "W2.*"), 0));
        harness.sync();
        Section section = Section.of(new ReadOrder("W2r0", AdviseLevel.ADVISE));

        harness.run(section);

        assertTrue(result(section).succeeded());
        assertEquals(List.of("read W2r0"), driver.operationNames());
    }

    @Test
    void aDriverWithAnInvalidPatternServesNothing() {
        harness = new EngineHarness();
        TestDriver broken = harness.addDriver(new TestDriver("broken"), "W1[");
        Section section = Section.of(new ReadOrder("W1[", AdviseLevel.ADVISE));

        harness.run(section);
        harness.advance(Duration.ofSeconds(1));

        assertEquals(OperationFailedReason.NO_DRIVER, assertInstanceOf(OrderOutcome.Failed.class, result(section).outcome(0)).reason());
        assertEquals(List.of(), broken.operationNames());
        assertTrue(harness.engine.drivers().get(0).patternProblem().contains("not a valid regular expression"));
    }
}
