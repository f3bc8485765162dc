package dev.pathpoint.engine.internal.dispatch;

import static dev.pathpoint.engine.internal.dispatch.EngineHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.store.PathpointListener;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.testing.TestDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading reparse pathpoints: constituents read in the section's batch, evaluated, stored, told to listeners. */
class ReparseReadTest {
    private EngineHarness harness;
    private TestDriver driver;

    @BeforeEach
    void start() {
        harness = new EngineHarness();
        driver = harness.addDriver(new TestDriver("d"), "W1.*");
    }

    @AfterEach
    void close() {
        harness.close();
    }

    private static ReadOrder read(String pathpoint) {
        return new ReadOrder(pathpoint, AdviseLevel.ADVISE);
    }

    private OrderOutcome only(Order order) {
        Section section = Section.of(order);
        harness.run(section);
        return result(section).outcome(0);
    }

    private PathpointValue value(OrderOutcome outcome) {
        return assertInstanceOf(OrderOutcome.Done.class, outcome, outcome.toString()).value().orElseThrow();
    }

    @Test
    void aReparseReadReadsItsConstituentsAndComputesItsValueOfItsType() {
        driver.set("W1r4002", PathpointValue.of(215)).set("W1r1", PathpointValue.of(3));

        assertEquals(PathpointValue.of(23.5), value(only(read("rf{W1r4002}*0.1+2"))));
        assertEquals(PathpointValue.of(5L), value(only(read("rW{W1r1}*1.5"))), "coerced to W: 4.5 rounded half away from zero");
        assertEquals(PathpointValue.of("hot"), value(only(read("ru'hot' if {W1r4002} > 200 else 'cold'"))));
    }

    @Test
    void constituentsJoinTheSectionsBatchAndOneReferencedTwiceIsReadOnce() {
        driver.set("W1r1", PathpointValue.of(1)).set("W1r2", PathpointValue.of(2));
        Section section = Section.of(read("rW{W1r1}+{W1r2}*{W1r1}"), read("W1r3"), read("rf{W1r2}/2"));

        harness.run(section);

        SectionResult result = result(section);
        assertTrue(result.succeeded(), result.toString());
        assertEquals(PathpointValue.of(3L), value(result.outcome(0)));
        assertEquals(PathpointValue.of(1.0), value(result.outcome(2)));
        assertEquals(1, driver.batches().size(), "one batch for the whole section");
        assertEquals(List.of("read W1r1", "read W1r2", "read W1r3"), driver.operationNames().stream().sorted().toList(),
                "each register read once");
    }

    @Test
    void aHundredReparseReadsCostTheRequestsOfTheirHundredRegisters() {
        List<Order> reparse = new ArrayList<>();
        List<Order> plain = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            reparse.add(read("rf{W1r" + i + "}*0.5"));
            plain.add(read("W1r" + (1000 + i)));
        }
        harness.run(new Section(reparse));
        harness.run(new Section(plain));

        assertEquals(List.of(100, 100), driver.batches().stream().map(List::size).toList());
    }

    @Test
    void aConstituentsFailureFailsTheReadWithItsReasonNamingIt() {
        driver.failNext("W1r7", OperationFailedReason.INVALID);

        OrderOutcome.Failed failed = assertInstanceOf(OrderOutcome.Failed.class, only(read("rf{W1r6}+{W1r7}")));

        assertEquals(OperationFailedReason.INVALID, failed.reason());
        assertEquals("reparse pathpoint 'rf{W1r6}+{W1r7}': constituent 'W1r7' failed: d: scripted INVALID on read W1r7",
                failed.message());
    }

    @Test
    void aFailedConstituentFailsTheReadEvenInABranchNotTaken() {
        driver.set("W1r8", PathpointValue.of(1));
        driver.failNext("W1r9", OperationFailedReason.INVALID);

        OrderOutcome.Failed failed = assertInstanceOf(OrderOutcome.Failed.class, only(read("rW{W1r8} if {W1r8} else {W1r9}")));

        assertEquals(OperationFailedReason.INVALID, failed.reason());
        assertTrue(failed.message().contains("constituent 'W1r9'"), failed.message());
    }

    @Test
    void aConstituentBeyondSixtyFourBitsFailsTheReadWithType() {
        driver.set("W1r30", PathpointValue.of(java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE)));

        OrderOutcome.Failed failed = assertInstanceOf(OrderOutcome.Failed.class, only(read("rf{W1r30}*2")));

        assertEquals(OperationFailedReason.TYPE, failed.reason());
        assertTrue(failed.message().contains("18446744073709551615, beyond the 64-bit whole numbers"), failed.message());
    }

    @Test
    void nestedReparseReferencesWorkAndTooDeepNestingIsRefusedAtOnce() {
        driver.set("W1r1", PathpointValue.of(4)).set("W1r2", PathpointValue.of(6));
        assertEquals(PathpointValue.of(7.5), value(only(read("rf{rW{W1r1}+{W1r2}}*0.75"))));

        String deep = "W1r1";
        for (int i = 0; i < 10; i++) {
            deep = "rW{" + deep + "}+1";
        }
        OrderOutcome.Failed failed = assertInstanceOf(OrderOutcome.Failed.class, only(read(deep)));
        assertEquals(OperationFailedReason.INVALID, failed.reason());
        assertEquals(List.of("read W1r1", "read W1r2"), driver.operationNames(), "nothing read for the refused one");
    }

    @Test
    void writesAndBadExpressionsEndInvalidAtOnce() {
        OrderOutcome.Failed write = assertInstanceOf(OrderOutcome.Failed.class,
                only(new WriteOrder("rf{W1r1}*2", PathpointValue.of(1), AdviseLevel.FORCE)));
        assertEquals(OperationFailedReason.INVALID, write.reason());
        assertTrue(write.message().contains("read-only"), write.message());

        OrderOutcome.Failed parse = assertInstanceOf(OrderOutcome.Failed.class, only(read("rf{W1r1}*(2+")));
        assertEquals(OperationFailedReason.INVALID, parse.reason());
        assertTrue(parse.message().contains("position"), parse.message());
        assertEquals(List.of(), driver.operationNames());
        assertTrue(harness.state().isIdle(), harness.state().toString());
    }

    @Test
    void reparseReadingsGoIntoTheStoreWithTheNewestConstituentsTimeAndListenersAreTold() {
        List<String> told = new CopyOnWriteArrayList<>();
        harness.listeners.add((PathpointListener) (previous, current) -> told.add(current.pathpoint()),
                harness.properties(Map.of(PathpointListener.PATHPOINT_PATTERN, "r.*"), 0));
        driver.set("W1r1", PathpointValue.of(10));
        only(read("W1r1"));
        harness.advance(Duration.ofSeconds(5));
        driver.set("W1r2", PathpointValue.of(20));
        only(read("W1r2"));
        harness.advance(Duration.ofSeconds(5));

        harness.run(Section.of(read("rW{W1r1}+{W1r2}")));

        Reading.Success reading = assertInstanceOf(Reading.Success.class,
                harness.engine.store().reading("rW{W1r1}+{W1r2}").orElseThrow());
        assertEquals(PathpointValue.of(30L), reading.value());
        assertEquals(EngineHarness.ORIGIN.plusSeconds(10), reading.timestamp(), "both were read again just now");
        assertEquals(List.of("rW{W1r1}+{W1r2}"), told);
    }
}
