package dev.pathpoint.engine.internal.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
        loop = new DispatchLoop(threadName, () -> seen.add("drained"), eventsExpected, spin, null);
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

    @Test
    void aCallOutThatBlocksHandsTheLoopToANewThreadAndTheOldOneEndsWhenItReturns() throws Exception {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        try (CallWatch watch = new CallWatch(watchdog, Duration.ofMillis(20))) {
            threadName = "dispatch-loop-test-" + LOOP_NUMBER.incrementAndGet();
            loop = new DispatchLoop(threadName, () -> { }, () -> false, Duration.ZERO, watch);
            loop.start();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blockedToldTheCaller = new CountDownLatch(1);
            List<String> afterTheCall = new CopyOnWriteArrayList<>();
            loop.post(() -> {
                loop.callOut("blocking driver", () -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, blockedToldTheCaller::countDown);
                afterTheCall.add("the blocked thread went on"); // must never run: the loop is someone else's now
            });
            assertTrue(blockedToldTheCaller.await(5, TimeUnit.SECONDS), "the caller was told the call blocks");

            CountDownLatch served = new CountDownLatch(1);
            AtomicReference<String> servedOn = new AtomicReference<>();
            loop.post(() -> {
                servedOn.set(Thread.currentThread().getName());
                served.countDown();
            });
            assertTrue(served.await(5, TimeUnit.SECONDS), "events are served while the call still blocks");
            assertEquals(threadName + "-2", servedOn.get());

            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> loopThreadState() == Thread.State.TERMINATED);
            CountDownLatch stillServed = new CountDownLatch(1);
            loop.post(stillServed::countDown);
            assertTrue(stillServed.await(5, TimeUnit.SECONDS));
            assertEquals(List.of(), afterTheCall);
        } finally {
            watchdog.shutdownNow();
        }
    }

    @Test
    void aCallOutThatReturnsInTimeStaysOnTheLoopThread() throws Exception {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        try (CallWatch watch = new CallWatch(watchdog, Duration.ofSeconds(30))) {
            threadName = "dispatch-loop-test-" + LOOP_NUMBER.incrementAndGet();
            loop = new DispatchLoop(threadName, () -> { }, () -> false, Duration.ZERO, watch);
            loop.start();
            CountDownLatch done = new CountDownLatch(1);
            AtomicReference<String> ranOn = new AtomicReference<>();
            loop.post(() -> {
                loop.callOut("quick driver", () -> ranOn.set(Thread.currentThread().getName()),
                        () -> ranOn.set("told it blocked"));
                done.countDown();
            });
            assertTrue(done.await(5, TimeUnit.SECONDS));
            assertEquals(threadName, ranOn.get());
        } finally {
            watchdog.shutdownNow();
        }
    }
}
