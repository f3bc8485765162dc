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
import java.util.concurrent.atomic.AtomicBoolean;
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
        loop = new DispatchLoop(threadName, () -> seen.add("drained"), eventsExpected, () -> false, spin, null);
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
    void whileAStreamIsExpectedItPausesBeforeParkingAndRunsWhatCameMeanwhileWithoutParking() throws InterruptedException {
        threadName = "dispatch-loop-test-" + LOOP_NUMBER.incrementAndGet();
        AtomicInteger pauses = new AtomicInteger();
        AtomicBoolean streaming = new AtomicBoolean();
        AtomicReference<Runnable> restOfBurst = new AtomicReference<>();
        loop = new DispatchLoop(threadName, () -> { }, () -> false, streaming::get, Duration.ZERO, null);
        // the pause stands for the yield to a driver's thread that posts the rest of its burst meanwhile
        loop.pauseBeforePark = () -> {
            pauses.incrementAndGet();
            Runnable rest = restOfBurst.getAndSet(null);
            if (rest != null) {
                loop.post(rest);
            }
        };
        loop.start();
        awaitIdle();
        assertEquals(0, pauses.get(), "no stream expected: it parks without a pause");

        streaming.set(true);
        CountDownLatch restRan = new CountDownLatch(1);
        AtomicReference<Long> parksWhenFirstRan = new AtomicReference<>();
        AtomicReference<Long> parksWhenRestRan = new AtomicReference<>();
        Runnable rest = () -> {
            parksWhenRestRan.set(loop.parks());
            restRan.countDown();
        };
        // armed by the first event, so that a spurious wake-up before it cannot post the rest early
        loop.post(() -> {
            parksWhenFirstRan.set(loop.parks());
            restOfBurst.set(rest);
        });
        assertTrue(restRan.await(5, TimeUnit.SECONDS));

        assertEquals(parksWhenFirstRan.get(), parksWhenRestRan.get(), "what came during the pause ran before any park");
        assertTrue(pauses.get() >= 1);
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
            loop = new DispatchLoop(threadName, () -> { }, () -> false, () -> false, Duration.ZERO, watch);
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
            AtomicReference<Boolean> servedInLoop = new AtomicReference<>();
            loop.post(() -> {
                servedOn.set(Thread.currentThread().getName());
                servedInLoop.set(loop.inLoop());
                served.countDown();
            });
            assertTrue(served.await(5, TimeUnit.SECONDS), "events are served while the call still blocks");
            assertEquals(threadName + "-2", servedOn.get());
            assertTrue(servedInLoop.get(), "the new thread is the loop's holder from its first event");

            // a stop is the loop's end, though the thread it started on is still blocked
            loop.post(loop::stop);
            assertTrue(loop.awaitTermination(5, TimeUnit.SECONDS), "ended while the old thread still blocks");
            assertEquals(Thread.State.WAITING, loopThreadState(), "the old thread is still in the call");
            loop = null;

            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> loopThreadState() == Thread.State.TERMINATED);
            assertEquals(List.of(), afterTheCall);
        } finally {
            watchdog.shutdownNow();
        }
    }

    @Test
    void theCallerIsToldACallOutBlocksBeforeTheNextHolderServesAnything() throws Exception {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        try (CallWatch watch = new CallWatch(watchdog, Duration.ofMillis(20))) {
            threadName = "dispatch-loop-test-" + LOOP_NUMBER.incrementAndGet();
            java.util.concurrent.atomic.AtomicBoolean markedBlocking = new java.util.concurrent.atomic.AtomicBoolean();
            List<Boolean> markedWhenSettled = new CopyOnWriteArrayList<>();
            loop = new DispatchLoop(threadName, () -> markedWhenSettled.add(markedBlocking.get()), () -> false, () -> false,
                    Duration.ZERO, watch);
            loop.start();
            awaitIdle();
            markedWhenSettled.clear();
            CountDownLatch release = new CountDownLatch(1);
            loop.post(() -> loop.callOut("blocking driver", () -> awaitQuietly(release), () -> markedBlocking.set(true)));

            await().atMost(Duration.ofSeconds(5)).until(() -> !markedWhenSettled.isEmpty());

            // the driver's engine-side mark (onBlocked) is what keeps the next holder from calling it again
            assertEquals(true, markedWhenSettled.get(0), "the new holder's first settle already saw the mark");
            release.countDown();
        } finally {
            watchdog.shutdownNow();
        }
    }

    @Test
    void aCallOutThatReturnsInTimeStaysOnTheLoopThread() throws Exception {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        try (CallWatch watch = new CallWatch(watchdog, Duration.ofSeconds(30))) {
            threadName = "dispatch-loop-test-" + LOOP_NUMBER.incrementAndGet();
            loop = new DispatchLoop(threadName, () -> { }, () -> false, () -> false, Duration.ZERO, watch);
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

    // ---- a caller running an idle loop (postOrRun) ----

    /** A loop whose settle records the thread it ran on, and asks for the own thread when told to. */
    private final List<String> settledOn = new CopyOnWriteArrayList<>();
    private volatile boolean settleWantsOwnThread;
    /** Runs at the end of each settle of a recording loop. */
    private volatile Runnable alsoOnSettle = () -> { };

    private DispatchLoop startRecording(CallWatch watch) {
        threadName = "dispatch-loop-test-" + LOOP_NUMBER.incrementAndGet();
        loop = new DispatchLoop(threadName, () -> {
            settledOn.add(Thread.currentThread().getName());
            if (settleWantsOwnThread && !loop.onOwnThread()) {
                loop.wantOwnThread();
            }
            alsoOnSettle.run();
        }, () -> false, () -> false, Duration.ZERO, watch);
        loop.start();
        return loop;
    }

    @Test
    void anIdleLoopRunsTheEventAndItsSettleOnTheCallersThreadBeforePostOrRunReturns() throws InterruptedException {
        startRecording(null);
        awaitIdle();
        settledOn.clear();
        String caller = Thread.currentThread().getName();
        AtomicReference<String> ranOn = new AtomicReference<>();
        AtomicReference<Boolean> inLoop = new AtomicReference<>();
        AtomicReference<Boolean> onOwnThread = new AtomicReference<>();

        assertTrue(loop.postOrRun(() -> {
            ranOn.set(Thread.currentThread().getName());
            inLoop.set(loop.inLoop());
            onOwnThread.set(loop.onOwnThread());
        }));

        assertEquals(caller, ranOn.get(), "ran before postOrRun returned, on the caller's thread");
        assertEquals(List.of(caller), settledOn);
        assertTrue(inLoop.get(), "the caller is in the loop while it runs it");
        assertEquals(false, onOwnThread.get());
        assertEquals(false, loop.inLoop(), "and no longer once it returned");
    }

    @Test
    void whileTheOwnThreadWorksPostOrRunOnlyQueuesAndTheEventRunsThereInOrder() throws InterruptedException {
        startRecording(null);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        loop.post(() -> {
            busy.countDown();
            awaitQuietly(release);
            order.add("first");
        });
        assertTrue(busy.await(5, TimeUnit.SECONDS));
        AtomicReference<String> ranOn = new AtomicReference<>();

        loop.postOrRun(() -> {
            ranOn.set(Thread.currentThread().getName());
            order.add("second");
        });

        assertEquals(null, ranOn.get(), "queued, not run: the loop is busy");
        release.countDown();
        awaitIdle();
        assertEquals(List.of("first", "second"), order);
        assertEquals(threadName, ranOn.get());
    }

    @Test
    void aCallerRunsABoundedNumberOfPassesAndLeavesTheRestToTheOwnThread() throws InterruptedException {
        startRecording(null);
        awaitIdle();
        settledOn.clear();
        String caller = Thread.currentThread().getName();
        CountDownLatch reachedTheOwnThread = new CountDownLatch(1);
        AtomicInteger onTheCaller = new AtomicInteger();
        // an event that posts the next one from within the loop, forever until it reaches the own thread
        Runnable[] chain = new Runnable[1];
        chain[0] = () -> {
            if (loop.onOwnThread()) {
                reachedTheOwnThread.countDown();
            } else {
                onTheCaller.incrementAndGet();
                loop.post(chain[0]);
            }
        };

        loop.postOrRun(chain[0]);

        int ran = onTheCaller.get();
        assertTrue(ran >= 1 && ran <= DispatchLoop.CALLER_EVENTS, ran + " events on the caller");
        assertTrue(settledOn.stream().filter(caller::equals).count() <= DispatchLoop.CALLER_PASSES);
        assertTrue(reachedTheOwnThread.await(5, TimeUnit.SECONDS), "the rest went on on the loop's own thread");
        assertEquals(ran, onTheCaller.get(), "nothing more ran on the caller once postOrRun returned");
    }

    @Test
    void aCallerPassesAsManyTimesAsEventsLeadToEventsWithinItsBound() throws InterruptedException {
        startRecording(null);
        awaitIdle();
        settledOn.clear();
        String caller = Thread.currentThread().getName();
        // each settle posts one event (a driver completing at once), for more passes than a caller runs
        AtomicInteger settles = new AtomicInteger();
        alsoOnSettle = () -> {
            if (settles.incrementAndGet() < 2 * DispatchLoop.CALLER_PASSES) {
                loop.post(() -> { });
            }
        };

        loop.postOrRun(() -> { });

        assertEquals(DispatchLoop.CALLER_PASSES, settledOn.stream().filter(caller::equals).count());
        await().atMost(Duration.ofSeconds(5)).until(() -> settles.get() >= 2 * DispatchLoop.CALLER_PASSES);
    }

    @Test
    void workACallerMayNotDoEndsItsPassAndTheOwnThreadSettles() throws InterruptedException {
        startRecording(null);
        awaitIdle();
        settledOn.clear();
        settleWantsOwnThread = true;
        String caller = Thread.currentThread().getName();

        loop.postOrRun(() -> { });

        await().atMost(Duration.ofSeconds(5)).until(() -> settledOn.contains(threadName));
        assertEquals(List.of(caller, threadName), settledOn.subList(0, 2), "one pass on the caller, then the own thread");
    }

    @Test
    void aCallerBlockedInACallOutHandsTheStateToTheOwnThreadAndReturnsOnceTheCallDoes() throws Exception {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        try (CallWatch watch = new CallWatch(watchdog, Duration.ofMillis(20))) {
            startRecording(watch);
            awaitIdle();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch toldItBlocks = new CountDownLatch(1);
            List<String> afterTheCall = new CopyOnWriteArrayList<>();
            Thread caller = new Thread(() -> loop.postOrRun(() -> {
                loop.callOut("blocking driver", () -> awaitQuietly(release), toldItBlocks::countDown);
                afterTheCall.add("the blocked caller went on"); // must never run: the state is the loop's again
            }), "blocked-caller");
            caller.start();
            assertTrue(toldItBlocks.await(5, TimeUnit.SECONDS), "the call was declared blocked");

            CountDownLatch served = new CountDownLatch(1);
            AtomicReference<String> servedOn = new AtomicReference<>();
            loop.post(() -> {
                servedOn.set(Thread.currentThread().getName());
                served.countDown();
            });
            assertTrue(served.await(5, TimeUnit.SECONDS), "events are served while the caller is still blocked");
            assertEquals(threadName, servedOn.get(), "by the loop's own thread: no fresh thread was needed");
            assertTrue(caller.isAlive());

            release.countDown();
            caller.join(5_000);
            assertEquals(false, caller.isAlive(), "postOrRun returned once the call did");
            assertEquals(List.of(), afterTheCall);
            CountDownLatch stillServed = new CountDownLatch(1);
            loop.postOrRun(stillServed::countDown);
            assertTrue(stillServed.await(5, TimeUnit.SECONDS));
        } finally {
            watchdog.shutdownNow();
        }
    }

    @Test
    void aStopRunByACallerEndsTheOwnThread() throws InterruptedException {
        startRecording(null);
        awaitIdle();

        loop.postOrRun(loop::stop);

        assertTrue(loop.awaitTermination(5, TimeUnit.SECONDS), "the parked own thread saw the stop and ended");
        assertEquals(false, loop.post(() -> { }));
        loop = null; // stopped already
    }

    @Test
    void callersAndTheOwnThreadNeverWorkAtOnceAndNoEventIsLostOrReordered() throws InterruptedException {
        startRecording(null);
        int producers = 4;
        int eventsEach = 20_000;
        AtomicInteger working = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger[] lastSeen = new AtomicInteger[producers];
        AtomicInteger outOfOrder = new AtomicInteger();
        CountDownLatch allRan = new CountDownLatch(producers * eventsEach);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new java.util.ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            lastSeen[p] = new AtomicInteger(-1);
            Thread thread = new Thread(() -> {
                awaitQuietly(go);
                for (int i = 0; i < eventsEach; i++) {
                    int number = i;
                    Runnable event = () -> {
                        if (working.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        if (lastSeen[producer].getAndSet(number) != number - 1) {
                            outOfOrder.incrementAndGet();
                        }
                        working.decrementAndGet();
                        allRan.countDown();
                    };
                    // half the producers run idle loops themselves, each waiting for its event now and then
                    // (so that the loop falls idle between bursts), the others only queue
                    if (producer % 2 == 0) {
                        loop.postOrRun(event);
                        if (number % 64 == 63) {
                            CountDownLatch ran = new CountDownLatch(1);
                            loop.post(ran::countDown);
                            awaitQuietly(ran);
                        }
                    } else {
                        loop.post(event);
                    }
                }
            }, "producer-" + p);
            threads.add(thread);
            thread.start();
        }
        go.countDown();

        assertTrue(allRan.await(60, TimeUnit.SECONDS), allRan.getCount() + " events never ran");
        for (Thread thread : threads) {
            thread.join(5_000);
        }
        assertEquals(0, overlaps.get(), "two threads worked on the loop at once");
        assertEquals(0, outOfOrder.get(), "a producer's events ran out of order");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
