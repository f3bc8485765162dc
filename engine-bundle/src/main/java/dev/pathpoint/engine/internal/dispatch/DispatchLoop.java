package dev.pathpoint.engine.internal.dispatch;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's single dispatch thread. Every change of the engine's state happens here, as an event
 * posted from any thread, so the state needs no locks. After each drain of the event queue the
 * {@code afterDrain} hook runs: that is where sections start and driver batches are flushed, so that
 * everything that became ready in one drain shares batches. Never does device I/O.
 *
 * <p>While completions are expected (drivers hold operations), the thread polls for up to the spin
 * time before it parks: waking a parked thread costs tens of microseconds (more on a virtual
 * machine), which a fast device would otherwise add to every response. It only spins while events
 * come that fast: after a wait longer than the spin time (a slow device, an idle engine) the next
 * wait parks at once, so slow devices cost no spinning.
 */
final class DispatchLoop {
    private static final Logger LOG = LoggerFactory.getLogger(DispatchLoop.class);

    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final Runnable afterDrain;
    private final BooleanSupplier eventsExpected;
    private volatile long spinNanos;
    /** Whether the last wait for an event ended within the spin time; dispatch thread only. */
    private boolean lastWaitWasShort = true;
    private volatile boolean parked;
    private volatile boolean stopped;

    /**
     * @param eventsExpected whether an event is due soon (asked on the dispatch thread after a drain)
     * @param spin how long to poll for an expected event before parking; zero never spins
     */
    DispatchLoop(String threadName, Runnable afterDrain, BooleanSupplier eventsExpected, Duration spin) {
        this.afterDrain = afterDrain;
        this.eventsExpected = eventsExpected;
        setSpin(spin);
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues an event; returns false (and drops it) once the loop has stopped. */
    boolean post(Runnable event) {
        if (stopped) {
            return false;
        }
        events.offer(event);
        if (parked) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    void setSpin(Duration spin) {
        spinNanos = spin.toNanos();
    }

    boolean hasPendingEvents() {
        return !events.isEmpty();
    }

    boolean isDispatchThread() {
        return Thread.currentThread() == thread;
    }

    /** Ends the loop after the current event; call on the dispatch thread. */
    void stop() {
        stopped = true;
    }

    boolean isStopped() {
        return stopped;
    }

    /** Waits for the thread to end; returns whether it did in time. */
    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        thread.join(Math.max(1, unit.toMillis(timeout)));
        return !thread.isAlive();
    }

    private void run() {
        while (!stopped) {
            Runnable event;
            while (!stopped && (event = events.poll()) != null) {
                runSafely(event);
            }
            if (stopped) {
                break;
            }
            runSafely(afterDrain);
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
        } catch (RuntimeException | Error e) {
            // a bug must not kill the dispatch thread and leave every future hanging
            LOG.error("Engine event failed: {}", event, e);
        }
    }
}
