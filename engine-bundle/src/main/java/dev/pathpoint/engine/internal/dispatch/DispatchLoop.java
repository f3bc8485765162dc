package dev.pathpoint.engine.internal.dispatch;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's dispatch thread. Every change of the engine's state happens here, as an event posted
 * from any thread, so the state needs no locks. After each drain of the event queue the
 * {@code settle} hook runs: that is where sections start and driver batches are handed over, so that
 * everything that became ready in one drain shares batches. Never does device I/O.
 *
 * <p>While completions are expected (drivers hold operations), the thread polls for up to the spin
 * time before it parks: waking a parked thread costs tens of microseconds (more on a virtual
 * machine), which a fast device would otherwise add to every response. It only spins while events
 * come that fast: after a wait longer than the spin time (a slow device, an idle engine) the next
 * wait parks at once, so slow devices cost no spinning.
 *
 * <p>While completions come in a stream (drivers hold many operations: a large batch, a pipelined
 * connection), it does not spin, but yields once before it parks: a driver completes the operations
 * of one response one after another, and its thread, often on this core, then posts the rest of the
 * burst before the loop parks. Otherwise the loop would park after each completion and the driver's
 * next one would wake it again (measured: about 210 wake-ups for the 1,000 reads of 92 responses, 15
 * with the yield).
 *
 * <p>An idle loop can be run by its caller ({@link #postOrRun}): the caller takes the state, runs a
 * few passes (drain and settle) on its own thread and gives the state back. That saves the wake-up
 * of the parked thread, which on a virtual machine costs more than the work a one-read section
 * needs. Whoever works on the state holds {@link #held}; the loop's own thread takes it for each
 * stretch of work and gives it up before it parks, so the two never work on the state at once and
 * the hold's hand-over orders their writes.
 *
 * <p>Calls into drivers ({@link #callOut}) are watched: if one does not return within the watch's
 * limit, the state is handed to a thread of the loop (a fresh one if the loop's own thread is the
 * one blocked), which goes on serving everything else, and the blocked thread leaves the state alone
 * once the call returns (a caller's {@code postOrRun} returns). The state is safe to hand over: a
 * call out is the last thing the old thread does to it.
 */
final class DispatchLoop implements EventLoop {
    private static final Logger LOG = LoggerFactory.getLogger(DispatchLoop.class);

    /** Thrown to a thread whose loop was handed to another while it was blocked in a call out. */
    private static final class HandedOver extends Error {
        private static final long serialVersionUID = 1L;

        HandedOver() {
            super("the dispatch loop has been handed to another thread", null, false, false);
        }
    }

    private static final HandedOver HANDED_OVER = new HandedOver();

    /** Passes a caller runs at most before it leaves what is left to the loop's own thread. */
    static final int CALLER_PASSES = 4;
    /** Events a caller runs at most, over all its passes: events that keep coming are the own thread's. */
    static final int CALLER_EVENTS = 64;

    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    /** Held by whichever thread works on the state: the loop's own thread, or a caller of postOrRun. */
    private final AtomicBoolean held = new AtomicBoolean();
    /** Set, with the hold kept, when a caller blocked in a call out: the own thread takes the hold over. */
    private final AtomicBoolean heldForOwnThread = new AtomicBoolean();
    private final String threadName;
    private final Runnable settle;
    private final BooleanSupplier eventsExpected;
    private final BooleanSupplier streamExpected;
    /** What the loop does before it parks while a stream is expected; a test replaces it. */
    Runnable pauseBeforePark = Thread::yield;
    /** How often the own thread parked; read by tests. */
    private volatile long parks;
    private final CallWatch watch;
    private final AtomicInteger threads = new AtomicInteger();
    /** The loop's own thread, the one that parks. */
    private volatile Thread ownThread;
    /** The thread working on the state now, or null. */
    private volatile Thread holder;
    /** Set by a caller's pass for work only the own thread may do; cleared when the own thread takes the state. */
    private volatile boolean ownThreadWanted;
    private volatile long spinNanos;
    /** Whether the last wait for an event ended within the spin time; own thread only. */
    private boolean lastWaitWasShort = true;
    /** Whether the own thread is parked or about to; the first poster to see it clears it and unparks. */
    private final AtomicBoolean parked = new AtomicBoolean();
    private volatile boolean stopped;
    /** Counted down when the loop has ended (on whichever own thread ended it). */
    private final CountDownLatch terminated = new CountDownLatch(1);

    /**
     * @param settle runs on the loop's thread after each drain of the events
     * @param eventsExpected whether an event is due soon (asked on the loop's thread after a drain)
     * @param streamExpected whether events come in a stream, so that the loop yields before it parks
     * @param spin how long to poll for an expected event before parking; zero never spins
     * @param watch watches calls out, or null to call without watching
     */
    DispatchLoop(String threadName, Runnable settle, BooleanSupplier eventsExpected, BooleanSupplier streamExpected,
            Duration spin, CallWatch watch) {
        this.threadName = threadName;
        this.settle = settle;
        this.eventsExpected = eventsExpected;
        this.streamExpected = streamExpected;
        this.watch = watch;
        setSpin(spin);
    }

    @Override
    public void start() {
        startThread(false);
    }

    /** @param holding whether the new thread starts with the hold (taken over from a blocked one) */
    private void startThread(boolean holding) {
        int number = threads.incrementAndGet();
        Thread thread = new Thread(() -> run(holding), number == 1 ? threadName : threadName + "-" + number);
        thread.setDaemon(true);
        ownThread = thread;
        thread.start();
    }

    @Override
    public boolean post(Runnable event) {
        if (stopped) {
            return false;
        }
        events.offer(event);
        // a holder drains what it posts itself before it lets go; of the posters that find the own
        // thread parked, only the first unparks it (a burst of completions costs one wake-up call); while
        // a caller holds the state the own thread could not take it: the caller re-checks after release
        if (holder != Thread.currentThread() && !held.get() && parked.get() && parked.compareAndSet(true, false)) {
            LockSupport.unpark(ownThread);
        }
        return true;
    }

    /**
     * Posts the event; if no thread works on the state, the caller takes it and runs the event, and
     * what that posts, in at most {@link #CALLER_PASSES} passes (drain, settle) of at most
     * {@link #CALLER_EVENTS} events in all, before it gives the state back. What is left then goes to
     * the loop's own thread. Within the loop, only posts.
     */
    @Override
    public boolean postOrRun(Runnable event) {
        Thread caller = Thread.currentThread();
        if (stopped || holder == caller || !held.compareAndSet(false, true)) {
            return post(event);
        }
        holder = caller;
        events.offer(event);
        try {
            int budget = CALLER_EVENTS;
            for (int pass = 0; pass < CALLER_PASSES && budget > 0 && !stopped && !ownThreadWanted && !events.isEmpty();
                    pass++) {
                budget -= drainAndSettle(budget);
            }
        } catch (HandedOver handedOver) {
            // a call out blocked and the loop's own thread took the state over: it is not ours any more
            return true;
        }
        holder = null;
        held.set(false);
        // after letting go: events this caller left, or that others queued while it held the state
        // (they saw the hold taken and only queued), and work it may not do are the own thread's now
        if (ownThreadWanted || !events.isEmpty()) {
            LockSupport.unpark(ownThread);
        }
        return true;
    }

    /** Runs queued events, at most {@code maxEvents}, then the settle step; returns how many events ran. */
    private int drainAndSettle(int maxEvents) {
        int ran = 0;
        Runnable event;
        while (ran < maxEvents && !stopped && (event = events.poll()) != null) {
            runSafely(event);
            ran++;
        }
        if (!stopped) {
            runSafely(settle);
        }
        return ran;
    }

    @Override
    public void callOut(String who, Runnable call, Runnable onBlocked) {
        if (watch == null) {
            call.run();
            return;
        }
        boolean onOwnThread = Thread.currentThread() == ownThread;
        CallWatch.Call watched = watch.begin(who, () -> {
            // first, so that the next holder already sees the driver marked and does not call it again
            onBlocked.run();
            handOver(onOwnThread);
        });
        Throwable thrown = null;
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            thrown = e;
        }
        if (!watch.end(watched)) {
            // the loop went on on another thread meanwhile: this one must not touch the state again
            if (thrown != null) {
                LOG.warn("{} threw after it had blocked the dispatch thread", who, thrown);
            }
            throw HANDED_OVER;
        }
        if (thrown instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
    }

    /**
     * On the watch's thread: the holder is stuck in a call out and the state, hold and all, goes to a
     * thread of the loop: a fresh one if the own thread is stuck, else the own thread (which is not
     * working while a caller holds the state).
     */
    private void handOver(boolean fromOwnThread) {
        if (stopped) {
            return;
        }
        if (fromOwnThread) {
            startThread(true);
        } else {
            heldForOwnThread.set(true);
            LockSupport.unpark(ownThread);
        }
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == holder;
    }

    @Override
    public boolean onOwnThread() {
        return Thread.currentThread() == ownThread;
    }

    @Override
    public void wantOwnThread() {
        ownThreadWanted = true;
    }

    /** How often the loop's own thread parked so far. */
    long parks() {
        return parks;
    }

    void setSpin(Duration spin) {
        spinNanos = spin.toNanos();
    }

    @Override
    public void reconfigure(dev.pathpoint.engine.internal.EngineSettings settings) {
        setSpin(settings.dispatchSpin());
        if (watch != null) {
            watch.setLimit(settings.blockedCallLimit());
        }
    }

    @Override
    public void stop() {
        stopped = true;
        // stopped by a caller's pass: the own thread, parked, must see it and end
        LockSupport.unpark(ownThread);
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        if (ownThread == null) {
            return true; // never started
        }
        // the loop's end, not a thread's: the one that started may be blocked in a call out, handed over
        return terminated.await(Math.max(1, unit.toMillis(timeout)), TimeUnit.MILLISECONDS);
    }

    private void run(boolean holding) {
        try {
            loop(holding);
        } catch (HandedOver handedOver) {
            // the call out returned after another thread took the loop over: nothing left to do here
        }
    }

    private void loop(boolean holding) {
        Thread self = Thread.currentThread();
        while (!stopped) {
            if (!holding) {
                if (!heldForOwnThread.compareAndSet(true, false) && !held.compareAndSet(false, true)) {
                    // a caller works on the state; it wakes this thread if it leaves events behind
                    awaitEvents();
                    continue;
                }
                holding = true;
            }
            // also for a thread that started with the hold: the blocked one it replaces is not in the loop
            holder = self;
            ownThreadWanted = false;
            drainAndSettle(Integer.MAX_VALUE);
            if (stopped) {
                break;
            }
            if (!events.isEmpty()) {
                continue;
            }
            long spin = spinNanos;
            long waitStart = spin > 0 ? System.nanoTime() : 0;
            if (spin > 0 && lastWaitWasShort && eventsExpected.getAsBoolean()) {
                // spinning with the hold kept: callers queue for this thread, which is awake anyway
                spinFor(spin, waitStart);
            } else if (streamExpected.getAsBoolean()) {
                pauseBeforePark.run();
            }
            if (events.isEmpty()) {
                holder = null;
                held.set(false);
                holding = false;
                awaitEvents();
            }
            if (spin > 0) {
                lastWaitWasShort = System.nanoTime() - waitStart <= spin;
            }
        }
        events.clear();
        terminated.countDown();
    }

    /** Parks until an event may be there for this thread; the hold is not this thread's. */
    private void awaitEvents() {
        parked.set(true);
        // re-check after announcing the park: a producer that saw parked == false has already queued
        // its event, and a caller that let go of the state before this saw it free; one that acts
        // after it sees parked == true and unparks this thread
        if ((events.isEmpty() && !ownThreadWanted || held.get()) && !heldForOwnThread.get() && !stopped) {
            parks++; // one thread at a time parks here
            LockSupport.park(this);
        }
        parked.set(false);
    }

    private void spinFor(long spin, long start) {
        long end = start + spin;
        while (events.isEmpty() && !stopped && System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    private static void runSafely(Runnable event) {
        try {
            event.run();
        } catch (HandedOver handedOver) {
            throw handedOver;
        } catch (RuntimeException | Error e) {
            // a bug must not kill the dispatch thread and leave every future hanging
            LOG.error("Engine event failed: {}", event, e);
        }
    }
}
