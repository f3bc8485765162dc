package dev.pathpoint.engine.internal.dispatch;

import static dev.pathpoint.engine.internal.dispatch.EngineHarness.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.store.PathpointListener;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.testing.TestDriver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ValueStoreTest {
    private EngineHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private Section readNow(String pathpoint) {
        Section section = Section.of(new ReadOrder(pathpoint, AdviseLevel.ADVISE));
        harness.run(section);
        result(section);
        return section;
    }

    @Test
    void theStoreKeepsTheLastReadingOfEachPathpointWithItsTimestamp() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1.*");
        driver.set("W1r0", PathpointValue.of(4));
        readNow("W1r0");
        harness.advance(Duration.ofSeconds(3));
        driver.set("W1r0", PathpointValue.of(5));

        readNow("W1r0");

        Reading.Success reading = assertInstanceOf(Reading.Success.class, harness.engine.store().reading("W1r0").orElseThrow());
        assertEquals(PathpointValue.of(5), reading.value());
        assertEquals(EngineHarness.ORIGIN.plusSeconds(3), reading.timestamp());
        assertEquals(Map.of("W1r0", reading), harness.engine.store().readings());
        assertTrue(harness.engine.store().reading("W1r9").isEmpty());
    }

    @Test
    void listenersAreCalledOncePerChangeForThePathpointsTheirPatternSelects() {
        harness = new EngineHarness();
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1.*");
        List<String> all = new CopyOnWriteArrayList<>();
        List<String> selected = new CopyOnWriteArrayList<>();
        PathpointListener everything = (previous, current) -> all.add(current.pathpoint() + " "
                + previous.map(ValueStoreTest::text).orElse("-") + "->" + text(current));
        PathpointListener onlyR0 = (previous, current) -> selected.add(current.pathpoint() + "->" + text(current));
        harness.listeners.add(everything, harness.properties(Map.of(), 0));
        harness.listeners.add(onlyR0, harness.properties(Map.of(PathpointListener.PATHPOINT_PATTERN, "W1r0"), 0));

        driver.set("W1r0", PathpointValue.of(1)).set("W1r1", PathpointValue.of(8));
        readNow("W1r0");
        readNow("W1r1");
        await().atMost(10, TimeUnit.SECONDS).until(() -> all.size() == 2);
        readNow("W1r0"); // same value: no call
        driver.set("W1r0", PathpointValue.of(2));
        readNow("W1r0");
        driver.failNext("W1r0", OperationFailedReason.INVALID);
        readNow("W1r0");
        driver.failNext("W1r0", OperationFailedReason.INVALID);
        readNow("W1r0"); // same failure: no call

        await().atMost(10, TimeUnit.SECONDS).until(() -> all.size() == 4);
        assertEquals(List.of("W1r0 -->1", "W1r1 -->8", "W1r0 1->2", "W1r0 2->INVALID"), all);
        assertEquals(List.of("W1r0->1", "W1r0->2", "W1r0->INVALID"), selected);
    }

    private static String text(Reading reading) {
        return reading instanceof Reading.Success success ? success.value().asText() : ((Reading.Failure) reading).reason().name();
    }

    @Test
    void readsWithinTheMinimumIntervalAreAnsweredFromTheStore() {
        harness = new EngineHarness(EngineHarness.settings("minReadIntervals", new String[] {"W1r[0-4]=1000"}));
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1.*");
        driver.set("W1r0", PathpointValue.of(1));
        readNow("W1r0");
        readNow("W1r5");
        driver.set("W1r0", PathpointValue.of(2));

        harness.advance(Duration.ofMillis(999));
        Section cached = readNow("W1r0");
        readNow("W1r5");
        assertEquals(PathpointValue.of(1), ((OrderOutcome.Done) cached.future().join().outcome(0)).value().orElseThrow());
        assertEquals(List.of("read W1r0", "read W1r5", "read W1r5"), driver.operationNames(),
                "only the pathpoint without an interval was read again");

        harness.advance(Duration.ofMillis(1));
        Section fresh = readNow("W1r0");
        assertEquals(PathpointValue.of(2), ((OrderOutcome.Done) fresh.future().join().outcome(0)).value().orElseThrow());
        assertEquals(2, driver.operationNames().stream().filter("read W1r0"::equals).count());
    }

    @Test
    void aWriteInvalidatesTheRecentReadSoAReadAfterItReadsTheDevice() {
        harness = new EngineHarness(EngineHarness.settings("minReadIntervals", new String[] {".*=60000"}));
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1.*");
        readNow("W1r0");
        Section section = Section.of(new WriteOrder("W1r0", PathpointValue.of(6), AdviseLevel.FORCE),
                new ReadOrder("W1r0", AdviseLevel.FORCE));

        harness.run(section);

        assertEquals(PathpointValue.of(6), ((OrderOutcome.Done) result(section).outcome(1)).value().orElseThrow());
        assertEquals(2, driver.readCount());
    }
}
