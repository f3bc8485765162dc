package dev.pathpoint.engine.internal.dispatch;

import static dev.pathpoint.engine.internal.dispatch.EngineHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.store.PathpointListener;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.EngineState;
import dev.pathpoint.engine.internal.testing.TestDriver;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Names come from outside: what they create in the engine goes away, and the value store stays within its capacity. */
class BoundedStateTest {
    private static final int NAMES = 1_000_000;
    private static final int CHUNK = 10_000;
    private EngineHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aMillionReadsOfDistinctBogusOrUnservedNamesLeaveNothingBehind() {
        harness = new EngineHarness(EngineHarness.settings("noDriverWaitAdviseMillis", 0L));
        harness.addDriver(new TestDriver("served"), "W1r0");
        Section warmUp = Section.of(new ReadOrder("W1r0", AdviseLevel.ADVISE));
        harness.run(warmUp);
        assertTrue(result(warmUp).succeeded());
        EngineState baseline = harness.state();
        long heapBefore = usedHeapAfterGc();

        int failedInvalid = 0;
        int failedNoDriver = 0;
        for (int start = 0; start < NAMES; start += CHUNK) {
            Section[] sections = new Section[CHUNK];
            for (int i = 0; i < CHUNK; i++) {
                int n = start + i;
                // bogus (no type letter), or valid and served by nobody
                String name = n % 2 == 0 ? "Q" + n : "W9r" + n;
                sections[i] = Section.of(new ReadOrder(name, AdviseLevel.ADVISE));
            }
            harness.run(sections);
            for (Section section : sections) {
                OrderOutcome.Failed failed = assertInstanceOf(OrderOutcome.Failed.class, section.future().join().outcome(0));
                if (failed.reason() == OperationFailedReason.INVALID) {
                    failedInvalid++;
                } else if (failed.reason() == OperationFailedReason.NO_DRIVER) {
                    failedNoDriver++;
                }
            }
        }

        assertEquals(NAMES / 2, failedInvalid);
        assertEquals(NAMES / 2, failedNoDriver);
        EngineState after = harness.state();
        assertEquals(baseline, after, "lanes, timers and the value store are back at their baseline");
        assertEquals(0, after.lanes());
        assertEquals(1, after.storedReadings(), "only the served pathpoint's reading");
        long grown = usedHeapAfterGc() - heapBefore;
        assertTrue(grown < 8 << 20, "the heap is back at its baseline after a GC (grew by " + (grown >> 10) + " KiB)");
    }

    @Test
    void theValueStoreForgetsTheLeastRecentlyRecordedPathpointAndTellsListeners() {
        harness = new EngineHarness(EngineHarness.settings("valueStoreCapacity", 3));
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1.*");
        List<String> told = new CopyOnWriteArrayList<>();
        harness.listeners.add(new PathpointListener() {
            @Override
            public void readingChanged(Optional<Reading> previous, Reading current) {
                told.add("changed " + current.pathpoint());
            }

            @Override
            public void readingRemoved(Reading last) {
                told.add("removed " + last.pathpoint() + "=" + ((Reading.Success) last).value().asText());
            }
        }, harness.properties(Map.of(), 0));
        for (int i = 0; i < 3; i++) {
            driver.set("W1r" + i, PathpointValue.of(i));
            harness.run(Section.of(new ReadOrder("W1r" + i, AdviseLevel.ADVISE)));
        }
        harness.run(Section.of(new ReadOrder("W1r0", AdviseLevel.ADVISE))); // W1r0 recorded again: W1r1 is now the oldest

        harness.run(Section.of(new ReadOrder("W1r3", AdviseLevel.ADVISE)));
        harness.run(Section.of(new ReadOrder("W1r4", AdviseLevel.ADVISE)));

        assertEquals(List.of("W1r0", "W1r3", "W1r4"), List.copyOf(harness.engine.store().readings().keySet()));
        assertEquals(List.of("changed W1r0", "changed W1r1", "changed W1r2", "changed W1r3", "removed W1r1=1",
                "changed W1r4", "removed W1r2=2"), told);
        assertEquals(3, harness.state().storedReadings());
    }

    /** Used heap once repeated full GCs stop freeing anything. */
    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 256 * 1024) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}
