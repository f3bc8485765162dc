package dev.pathpoint.engine.internal.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispatchLoopTest {
    private static final AtomicInteger LOOP_NUMBER = new AtomicInteger();

    private final List<String> seen = new CopyOnWriteArrayList<>();
    /** How often the loop asked whether events are expected. */
    private final AtomicInteger asked = new AtomicInteger();
    private DispatchLoop loop;
    private String threadName;

    private DispatchLoop start(BooleanSupplier eventsExpected, Duration spin) {
        threadName = "dispatch-loop-test-" + LOOP_NUMBER.incrementAndGet();
        loop = new DispatchLoop(threadName, () -> seen.add("drained"), eventsExpected, spin);
        loop.start();
        return loop;
    }

    /** An eventsExpected answer that counts the questions in {@link #asked}. */
    private BooleanSupplier answering(boolean expected) {
        return () -> {
            asked.incrementAndGet();
            return expected;
        };
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (loop != null) {
            loop.post(loop::stop);
            assertTrue(loop.awaitTermination(5, TimeUnit.SECONDS), "loop thread ended");
        }
    }

    private Thread.State loopThreadState() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(threadName)).findFirst()
                .map(Thread::getState).orElse(Thread.State.TERMINATED);
    }

    private void awaitIdle() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        loop.post(ran::countDown);
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(5)).until(() -> loopThreadState() == Thread.State.WAITING);
    }

    @Test
    void eventsRunInOrderAndEachDrainEndsWithTheHook() throws InterruptedException {
        start(() -> false, Duration.ZERO);
        CountDownLatch gate = new CountDownLatch(1);
        loop.post(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.add("first");
        });
        loop.post(() -> seen.add("second"));
        loop.post(() -> seen.add("third"));
        gate.countDown();
        awaitIdle();

        // (the loop may have drained its empty queue once before the first event arrived)
        int first = seen.indexOf("first");
        assertEquals(List.of("first", "second", "third", "drained"), seen.subList(first, first + 4));
    }

    @Test
    void withNothingExpectedItAsksThenParks() throws InterruptedException {
        start(answering(false), Duration.ofMillis(1));

        awaitIdle();

        assertTrue(asked.get() > 0, "asked whether events are expected before parking");
    }

    @Test
    void whileEventsAreExpectedItSpinsForABoundedTimeThenParks() throws InterruptedException {
        // expected forever (a driver that never answers): the spin must still end and the thread park
        start(() -> true, Duration.ofMillis(1));

        awaitIdle();
        awaitIdle();
    }

    @Test
    void withoutASpinItNeverAsks() throws InterruptedException {
        start(answering(true), Duration.ZERO);

        awaitIdle();

        assertEquals(0, asked.get());
    }

    @Test
    void theSpinCanBeChangedWhileRunning() throws InterruptedException {
        start(answering(true), Duration.ZERO);
        awaitIdle();
        assertEquals(0, asked.get());

        loop.setSpin(Duration.ofMillis(1));
        awaitIdle();

        assertTrue(asked.get() > 0, "spins once configured");
    }

    @Test
    void aWaitEndedByAnEventWithinTheSpinKeepsItSpinning() {
        // a spin far longer than the test needs: every event below arrives while the loop spins
        start(answering(true), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(5)).until(() -> asked.get() == 1);

        loop.post(() -> seen.add("during the spin"));
        await().atMost(Duration.ofSeconds(5)).until(() -> asked.get() == 2);
        loop.post(() -> seen.add("during the next spin"));
        await().atMost(Duration.ofSeconds(5)).until(() -> asked.get() == 3);

        assertTrue(seen.containsAll(List.of("during the spin", "during the next spin")));
        assertEquals(Thread.State.RUNNABLE, loopThreadState(), "still spinning");
    }

    @Test
    void afterAWaitLongerThanTheSpinTheNextWaitParksAtOnce() throws InterruptedException {
        start(answering(true), Duration.ofMillis(1));
        // the first wait spins 1 ms, then parks until the next event: longer than the spin
        await().atMost(Duration.ofSeconds(5)).until(() -> loopThreadState() == Thread.State.WAITING);
        assertEquals(1, asked.get());

        awaitIdle();

        assertEquals(1, asked.get(), "a slow source of events is not spun for");
    }

}
