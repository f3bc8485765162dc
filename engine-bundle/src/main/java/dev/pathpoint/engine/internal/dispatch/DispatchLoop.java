package dev.pathpoint.engine.internal.dispatch;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
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
 * <p>Calls into drivers ({@link #callOut}) are watched: if one does not return within the watch's
 * limit, the loop is handed to a fresh thread, which goes on serving everything else, and the
 * blocked thread ends quietly once the call returns. The state is safe to hand over: a call out is
 * the last thing the old thread does to it.
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

    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final String threadName;
    private final Runnable settle;
    private final BooleanSupplier eventsExpected;
    private final CallWatch watch;
    private final AtomicInteger threads = new AtomicInteger();
    private volatile Thread owner;
    private volatile long spinNanos;
    /** Whether the last wait for an event ended within the spin time; owner thread only. */
    private boolean lastWaitWasShort = true;
    private volatile boolean parked;
    private volatile boolean stopped;

    /**
     * @param settle runs on the loop's thread after each drain of the events
     * @param eventsExpected whether an event is due soon (asked on the loop's thread after a drain)
     * @param spin how long to poll for an expected event before parking; zero never spins
     * @param watch watches calls out, or null to call without watching
     */
    DispatchLoop(String threadName, Runnable settle, BooleanSupplier eventsExpected, Duration spin, CallWatch watch) {
        this.threadName = threadName;
        this.settle = settle;
        this.eventsExpected = eventsExpected;
        this.watch = watch;
        setSpin(spin);
    }

    @Override
    public void start() {
        startThread();
    }

    private void startThread() {
        int number = threads.incrementAndGet();
        Thread thread = new Thread(this::run, number == 1 ? threadName : threadName + "-" + number);
        thread.setDaemon(true);
        owner = thread;
        thread.start();
    }

    @Override
    public boolean post(Runnable event) {
        if (stopped) {
            return false;
        }
        events.offer(event);
        if (parked) {
            LockSupport.unpark(owner);
        }
        return true;
    }

    @Override
    public void callOut(String who, Runnable call, Runnable onBlocked) {
        if (watch == null) {
            call.run();
            return;
        }
        CallWatch.Call watched = watch.begin(who, () -> {
            handOver();
            onBlocked.run();
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

    /** On the watch's thread: the owner is stuck in a call out; a new thread takes the loop over. */
    private void handOver() {
        if (!stopped) {
            startThread();
        }
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == owner;
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
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        Thread thread = owner;
        thread.join(Math.max(1, unit.toMillis(timeout)));
        return !thread.isAlive();
    }

    private void run() {
        try {
            loop();
        } catch (HandedOver handedOver) {
            // the call out returned after another thread took the loop over: nothing left to do here
        }
    }

    private void loop() {
        while (!stopped) {
            Runnable event;
            while (!stopped && (event = events.poll()) != null) {
                runSafely(event);
            }
            if (stopped) {
                break;
            }
            runSafely(settle);
            if (!events.isEmpty()) {
                continue;
            }
            long spin = spinNanos;
            long waitStart = spin > 0 ? System.nanoTime() : 0;
            if (spin > 0 && lastWaitWasShort && eventsExpected.getAsBoolean()) {
                spinFor(spin, waitStart);
            }
            if (events.isEmpty()) {
                parked = true;
                // re-check after announcing the park: a producer that saw parked == false has
                // already queued its event, and one that sees true will unpark us
                if (events.isEmpty() && !stopped) {
                    LockSupport.park(this);
                }
                parked = false;
            }
            if (spin > 0) {
                lastWaitWasShort = System.nanoTime() - waitStart <= spin;
            }
        }
        events.clear();
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
