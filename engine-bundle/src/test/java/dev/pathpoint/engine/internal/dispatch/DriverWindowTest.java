package dev.pathpoint.engine.internal.dispatch;

import static dev.pathpoint.engine.internal.dispatch.EngineHarness.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import dev.pathpoint.engine.internal.testing.TestDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bounded window of batches per driver: what is held back, when it goes out, and its timeouts. */
class DriverWindowTest {
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

    private static List<Integer> batchSizes(TestDriver driver) {
        return driver.batches().stream().map(List::size).toList();
    }

    private DriverEntry entry(String name) {
        return harness.engine.drivers().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theDefaultsHandAThousandReadSectionOverAsOneBatch() {
        harness = new EngineHarness(EngineSettings.from(Map.of("statisticsLogIntervalSeconds", 0L)));
        TestDriver driver = harness.addDriver(new TestDriver("d"), "W1.*");
        List<Order> reads = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            reads.add(new ReadOrder("W1r" + i, AdviseLevel.ADVISE));
        }
        Section section = new Section(reads);

        harness.run(section);

        assertTrue(result(section).succeeded());
        assertEquals(List.of(1_000), batchSizes(driver), "the driver can plan the whole section at once");
    }

    @Test
    void whileTheWindowIsFullReadyOperationsWaitAndThenGoOutAsOneBatch() {
        harness = new EngineHarness(); // window of 2 batches
        TestDriver driver = harness.addDriver(new TestDriver("d").manual(), "W1.*");
        driver.set("W1r1", PathpointValue.of(1));
        harness.run(read("W1r1"));
        harness.run(read("W1r2"));
        assertEquals(List.of(1, 1), batchSizes(driver), "two batches fill the window");

        List<Section> later = new ArrayList<>();
        for (int i = 3; i <= 6; i++) {
            Section section = read("W1r" + i);
            later.add(section);
            harness.run(section); // each on its own drain: without the window each would be a batch of one
        }

        assertEquals(List.of(1, 1), batchSizes(driver), "nothing more is handed while the window is full");
        assertEquals(4, entry("d").waiting());
        assertEquals(2, entry("d").inFlight(), "in flight counts what the driver holds, not what waits");
        assertEquals(Map.of("d", 2), harness.engine.statistics().inFlightByDriver());
        assertEquals(2, harness.state().operationsHanded());
        assertEquals(4, harness.state().operationsWaiting());

        assertTrue(driver.held().get(0).complete(PathpointValue.of(1))); // the first batch completes
        harness.sync();

        assertEquals(List.of(1, 1, 4), batchSizes(driver), "what waited goes out as one batch");
        assertEquals(List.of("read W1r3", "read W1r4", "read W1r5", "read W1r6"),
                driver.batches().get(2).stream().map(Object::toString).toList(), "in queue order");
        assertEquals(0, entry("d").waiting());
        assertEquals(5, entry("d").inFlight());

        driver.automatic().completeHeld();
        for (Section section : later) {
            assertTrue(result(section).succeeded());
        }
        harness.sync();
        assertEquals(0, entry("d").inFlight());
        assertTrue(harness.state().isIdle(), harness.state().toString());
    }

    @Test
    void whatWaitedGoesOutInBatchesOfAtMostTheSizeTheDriverDeclares() {
        harness = new EngineHarness(EngineHarness.settings("maxBatchesInFlightPerDriver", 1));
        TestDriver driver = harness.addDriver(new TestDriver("d").manual(), Map.of(PathpointDriver.PATHPOINT_PATTERN, "W1.*",
                PathpointDriver.DRIVER_NAME, "d", PathpointDriver.MAX_BATCH_SIZE, 3), 0);
        harness.run(read("W1r0"));
        List<Section> waiting = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            waiting.add(read("W1r" + i));
        }
        harness.run(waiting.toArray(Section[]::new));
        assertEquals(List.of(1), batchSizes(driver));

        assertEquals(1, driver.completeHeld());
        harness.sync();
        assertEquals(List.of(1, 3), batchSizes(driver), "one batch at a time, bounded by the declared size");
        assertEquals(3, driver.completeHeld());
        harness.sync();
        assertEquals(List.of(1, 3, 2), batchSizes(driver));
        driver.completeHeld();
        for (Section section : waiting) {
            assertTrue(result(section).succeeded());
        }
    }

    @Test
    void aBatchHoldsItsSlotUntilEveryOperationInItCompleted() {
        harness = new EngineHarness(EngineHarness.settings("maxBatchesInFlightPerDriver", 1));
        TestDriver driver = harness.addDriver(new TestDriver("d").manual(), "W1.*");
        harness.run(read("W1r1"), read("W1r2"));
        Section later = read("W1r3");
        harness.run(later);

        assertTrue(driver.held().get(0).complete(PathpointValue.of(1)));
        harness.sync();
        assertEquals(List.of(2), batchSizes(driver), "half a batch completed: the slot is still taken");

        assertTrue(driver.held().get(1).complete(PathpointValue.of(2)));
        harness.sync();
        assertEquals(List.of(2, 1), batchSizes(driver));
        driver.completeHeld();
        assertTrue(result(later).succeeded());
    }

    @Test
    void theTimeoutCountsFromTheHandOverAndAHangingBatchIsTimedOutToFreeItsSlot() {
        harness = new EngineHarness(EngineHarness.settings("maxBatchesInFlightPerDriver", 1)); // timeout 1 s
        TestDriver driver = harness.addDriver(new TestDriver("d").manual(), "W1.*");
        driver.set("W1r2", PathpointValue.of(22));
        Section hanging = Section.of(new WriteOrder("W1r1", PathpointValue.of(5), AdviseLevel.ADVISE)); // 1 try
        harness.run(hanging);
        Section behind = read("W1r2");
        harness.run(behind);
        assertEquals(List.of("write W1r1 = 5"), driver.operationNames(), "the read waits behind the write's batch");

        harness.advance(Duration.ofSeconds(1)); // the driver never answers: the engine times the batch out
        OrderOutcome.Failed failed = assertInstanceOf(OrderOutcome.Failed.class, result(hanging).outcome(0));
        assertEquals(OperationFailedReason.TIMEOUT, failed.reason());
        assertEquals(2, driver.batches().size(), "the freed slot takes the operation that waited");
        assertEquals("read W1r2", driver.batches().get(1).get(0).toString());

        harness.advance(Duration.ofMillis(900)); // 1.9 s since it became ready, 0.9 s since the hand-over
        DriverOperation read = driver.batches().get(1).get(0);
        assertFalse(read.isDone(), "not timed out: its time started at the hand-over");
        assertFalse(behind.future().isDone());
        assertTrue(read.complete(PathpointValue.of(22)), "the driver answers in time");

        assertEquals(PathpointValue.of(22), ((OrderOutcome.Done) result(behind).outcome(0)).value().orElseThrow());
        assertEquals(1L, harness.engine.statistics().failuresByReason().get(OperationFailedReason.TIMEOUT),
                "only the hanging write timed out");
    }

    @Test
    void aDriverThatThrowsFreesItsSlot() {
        harness = new EngineHarness(EngineHarness.settings("maxBatchesInFlightPerDriver", 1));
        AtomicInteger calls = new AtomicInteger();
        TestDriver healthy = new TestDriver("inner");
        PathpointDriver throwsOnce = batch -> {
            if (calls.getAndIncrement() == 0) {
                throw new IllegalStateException("broken once");
            }
            healthy.execute(batch);
        };
        harness.whiteboard.drivers().add(throwsOnce, harness.properties(Map.of(PathpointDriver.PATHPOINT_PATTERN, "W1.*",
                PathpointDriver.DRIVER_NAME, "flaky"), 0));
        Section first = Section.of(new WriteOrder("W1r1", PathpointValue.of(1), AdviseLevel.ADVISE));
        Section second = read("W1r2");

        harness.run(first);
        harness.run(second);

        assertEquals(OperationFailedReason.ERROR, assertInstanceOf(OrderOutcome.Failed.class, result(first).outcome(0)).reason());
        assertTrue(result(second).succeeded());
        assertEquals(List.of("read W1r2"), healthy.operationNames());
    }

    @Test
    void aRemovedDriversWaitingAndInFlightOperationsAllGoToItsReplacement() {
        harness = new EngineHarness(EngineHarness.settings("maxBatchesInFlightPerDriver", 1));
        Map<String, PathpointValue> device = new ConcurrentHashMap<>();
        TestDriver old = harness.addDriver(new TestDriver("old", device).manual(), "W1.*");
        Section inFlight = Section.of(new WriteOrder("W1r1", PathpointValue.of(7), AdviseLevel.ADVISE));
        harness.run(inFlight);
        Section waitingWrite = Section.of(new WriteOrder("W1r2", PathpointValue.of(8), AdviseLevel.ADVISE));
        Section waitingRead = read("W1r3");
        Section readAfterWrite = read("W1r1"); // waits in its pathpoint's lane behind the write in flight
        harness.run(waitingWrite, waitingRead, readAfterWrite);
        assertEquals(1, old.operations().size(), "one operation handed, two waiting for the window");
        assertEquals(2, entry("old").waiting());
        assertEquals(1, entry("old").inFlight());

        harness.removeDriver(old);
        harness.sync();
        TestDriver replacement = harness.addDriver(new TestDriver("new", device), "W1.*");

        assertTrue(result(inFlight).succeeded());
        assertTrue(result(waitingWrite).succeeded());
        assertTrue(result(waitingRead).succeeded());
        assertEquals(PathpointValue.of(7), ((OrderOutcome.Done) result(readAfterWrite).outcome(0)).value().orElseThrow(),
                "the read queued after the write still reads the written value");
        assertEquals(List.of("W1r1=7", "W1r2=8"), replacement.applied().stream().sorted().toList());
        assertEquals(1, old.operations().size(), "the old driver never saw the waiting operations");
        assertEquals(List.of("read W1r1", "read W1r3", "write W1r1 = 7", "write W1r2 = 8"),
                replacement.operationNames().stream().sorted().toList());
        harness.sync();
        assertEquals(Map.of("new", 0), harness.engine.statistics().inFlightByDriver());
        assertEquals(0, harness.engine.statistics().retries(), "a re-dispatch is not a retry");
    }

    /**
     * Like a Modbus connection: batches queue for one worker thread, and a batch that finds the queue
     * full is refused (its operations fail TIMEOUT). Records the most batches it ever held at once.
     */
    private static final class BoundedQueueDriver implements PathpointDriver {
        final int queueCapacity;
        final ExecutorService worker = Executors.newSingleThreadExecutor();
        final AtomicInteger queued = new AtomicInteger();
        final AtomicInteger outstanding = new AtomicInteger();
        final AtomicInteger mostOutstanding = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger batches = new AtomicInteger();
        final AtomicReference<Throwable> problem = new AtomicReference<>();

        BoundedQueueDriver(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        @Override
        public void execute(List<DriverOperation> batch) {
            batches.incrementAndGet();
            mostOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
            if (queued.incrementAndGet() > queueCapacity) {
                queued.decrementAndGet();
                refused.incrementAndGet();
                outstanding.decrementAndGet();
                batch.forEach(op -> op.fail(new OperationFailedException(OperationFailedReason.TIMEOUT,
                        "has " + queueCapacity + " batches queued already")));
                return;
            }
            worker.execute(() -> {
                queued.decrementAndGet();
                // done before completing: the engine may hand the next batch as soon as the last completes
                outstanding.decrementAndGet();
                try {
                    for (DriverOperation op : batch) {
                        op.complete(PathpointValue.of(op.pathpoint().length()));
                    }
                } catch (RuntimeException e) {
                    problem.set(e);
                }
            });
        }
    }

    @Test
    void aFloodOfSmallJoinableSectionsNeverOverflowsADriversBoundedQueue() {
        harness = new EngineHarness(EngineSettings.from(Map.of("statisticsLogIntervalSeconds", 0L)));
        BoundedQueueDriver driver = new BoundedQueueDriver(4);
        harness.whiteboard.drivers().add(driver, harness.properties(Map.of(PathpointDriver.PATHPOINT_PATTERN, "W1.*",
                PathpointDriver.DRIVER_NAME, "bounded"), 0));
        Section[] sections = new Section[10_000];
        for (int i = 0; i < sections.length; i++) {
            sections[i] = read("W1r" + i);
        }
        try {
            harness.engine.execute(sections);
            // a refused read is retried after a backoff that manual time never reaches: stop at the first refusal
            await().atMost(60, TimeUnit.SECONDS).until(() -> {
                harness.settle(); // takes the completions the driver's worker made
                return driver.refused.get() > 0 || Arrays.stream(sections).allMatch(s -> s.future().isDone());
            });

            assertEquals(0, driver.refused.get(), "no batch found the driver's queue full");
            for (Section section : sections) {
                assertTrue(section.future().join().succeeded(), () -> section.future().join().toString());
            }
            assertTrue(driver.mostOutstanding.get() <= 2,
                    "the driver never held more than the window's 2 batches: " + driver.mostOutstanding.get());
            assertTrue(driver.batches.get() < sections.length, "ready operations were gathered into batches: "
                    + driver.batches.get() + " batches");
            assertEquals(null, driver.problem.get());
        } finally {
            driver.worker.shutdownNow();
        }
    }

    @Test
    void aBatchOnWhichTheDriverKeepsCompletingDoesNotTimeOutAndOneThatStopsDoes() {
        harness = new EngineHarness(); // operation timeout 1 s
        TestDriver slow = harness.addDriver(new TestDriver("slow").manual(), "W1.*");
        Section working = new Section(List.of(read("W1r1").orders().get(0), read("W1r2").orders().get(0),
                read("W1r3").orders().get(0)));
        harness.run(working);
        List<DriverOperation> batch = slow.batches().get(0);

        for (DriverOperation operation : batch) {
            harness.advance(Duration.ofMillis(800)); // each answer within a timeout of the one before
            assertFalse(operation.isDone(), "not timed out at " + harness.time.now());
            assertTrue(operation.complete(PathpointValue.of(1)));
            harness.settle();
        }
        assertTrue(result(working).succeeded(), "2.4 s for the batch, never 1 s without progress");

        Section stalling = new Section(List.of(read("W1r4").orders().get(0), read("W1r5").orders().get(0)));
        harness.run(stalling);
        List<DriverOperation> second = slow.batches().get(1);
        harness.advance(Duration.ofMillis(800));
        assertTrue(second.get(0).complete(PathpointValue.of(1)));
        harness.settle();
        harness.advance(Duration.ofMillis(999));
        assertFalse(second.get(1).isDone(), "a second after the last progress, not before");
        harness.advance(Duration.ofMillis(1));
        assertTrue(second.get(1).isDone(), "timed out a second after the driver last completed one of the batch");
    }

    @Test
    void theDispatchThreadSpinsForCompletionsOnlyWhileDriversHoldFewOperationsAndYieldsWhileTheyHoldMany() {
        harness = new EngineHarness(EngineSettings.from(Map.of("statisticsLogIntervalSeconds", 0L)));
        TestDriver driver = harness.addDriver(new TestDriver("d").manual(), "W1.*");
        java.util.function.BooleanSupplier spins = harness.threads.dispatchSpinQuestion;
        java.util.function.BooleanSupplier streams = harness.threads.dispatchStreamQuestion;
        assertFalse(spins.getAsBoolean(), "nothing held: nothing to spin for");
        assertFalse(streams.getAsBoolean(), "nothing held: no stream");

        harness.run(read("W1r0"));
        assertTrue(spins.getAsBoolean(), "one read held: its completion is what a producer waits for");
        assertFalse(streams.getAsBoolean());
        driver.completeHeld();
        harness.settle();

        List<Order> many = new ArrayList<>();
        for (int i = 0; i <= DriverWindows.SPIN_AT_MOST_HANDED; i++) {
            many.add(new ReadOrder("W1r" + i, AdviseLevel.ADVISE));
        }
        harness.run(new Section(many));
        assertEquals(DriverWindows.SPIN_AT_MOST_HANDED + 1, driver.held().size());
        assertFalse(spins.getAsBoolean(), "a stream of completions to come: the dispatch thread parks between them");
        assertTrue(streams.getAsBoolean(), "a stream of completions to come: it yields to their poster before it parks");

        // the tail of the batch: few left, spinning again pays
        List<DriverOperation> held = driver.held();
        held.get(0).complete(dev.pathpoint.api.value.PathpointValue.of(1));
        harness.settle();
        assertTrue(spins.getAsBoolean());
        assertFalse(streams.getAsBoolean());
    }
}
