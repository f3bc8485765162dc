package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import dev.pathpoint.engine.internal.time.TimeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands operations to drivers in batches, through a bounded window per driver: a driver holds at
 * most {@code maxBatchesInFlight} batches (handed over and not every operation completed). While its
 * window is full, the operations that become ready for it wait here, and they all go out together,
 * up to the size the driver declares, as soon as one of its batches has completed. So a driver sees
 * everything runnable at once and can plan it as one, and its own queue stays short.
 *
 * <p>A batch on which the driver completes nothing for the operation timeout has its remaining
 * operations failed TIMEOUT: the time counts from the hand-over and again from each completion, so a
 * large batch on a slow device that is working does not time out, and one that never answers does.
 *
 * <p>Drivers are called on the dispatch thread through the loop's {@link EventLoop#callOut watched
 * call}; a driver that once blocked there gets its batches on a thread of its own. Completing
 * operations from here (time-outs, a driver that threw) happens on the {@code completer}, so that
 * code a driver hooked onto its operations never runs on the dispatch thread. Dispatch thread only.
 */
final class DriverWindows {
    private static final Logger LOG = LoggerFactory.getLogger(DriverWindows.class);
    /**
     * Calls in a row a driver must have returned promptly from, on the engine's own thread, before a
     * producer's thread running the engine (see {@link EventLoop#postOrRun}) may call it: a driver that
     * blocks, against the SPI, must not hold up a producer, whose thread the engine cannot replace. One
     * slow return takes the trust away again.
     */
    static final int TRUSTED_AFTER = 16;
    static final long PROMPT_RETURN_NANOS = 1_000_000;
    /**
     * The dispatch thread spins for completions only while drivers hold this many operations or fewer:
     * then the next completion is likely what a producer waits for. With more in flight (a large
     * batch, a pipelined connection) completions come in a stream, a single one's wake-up does not
     * matter, and a spinning thread would take a core from the drivers' and devices' threads.
     */
    static final int SPIN_AT_MOST_HANDED = 16;

    /** The engine's side of one driver: what waits for its window, and how many batches it holds. */
    private static final class Window {
        final DriverEntry driver;
        final ArrayDeque<DriverCall> waiting = new ArrayDeque<>();
        int batchesInFlight;
        boolean flushQueued;
        /** Calls the driver's execute when it has once blocked the dispatch thread. */
        ExecutorService ownThread;
        /** Calls in a row that returned within {@link #PROMPT_RETURN_NANOS}, at most {@link #TRUSTED_AFTER}. */
        int promptReturns;

        Window(DriverEntry driver) {
            this.driver = driver;
        }
    }

    /** A batch handed to a driver; it holds a slot of the driver's window until every operation completed. */
    static final class Batch extends NodeList.Node<Batch> {
        private final Window window;
        private final DriverCall[] calls;
        private int open;
        /** When its open operations time out, unless the driver completed one since {@link #progressAt}. */
        private long deadline;
        /** When the driver last completed one of its operations (or it was handed over). */
        private long progressAt;
        private boolean timedOut;

        private Batch(Window window, DriverCall[] calls, long handedAt, long timeoutNanos) {
            this.window = window;
            this.calls = calls;
            this.open = calls.length;
            this.progressAt = handedAt;
            this.deadline = handedAt + timeoutNanos;
        }
    }

    private final EventLoop loop;
    private final Timers timers;
    private final TimeSource time;
    private final Executor completer;
    private final CallWatch ownThreadWatch;
    private final Map<DriverEntry, Window> windows = new IdentityHashMap<>();
    private final List<Window> withWork = new ArrayList<>();
    /**
     * Batches with open operations, oldest first. One whose driver made progress goes to the end with its
     * later deadline when the sweep reaches it, so a time-out fires at most one operation timeout late.
     */
    private final NodeList<Batch> open = new NodeList<>();
    private Timers.Timer sweep;
    private long timeoutNanos;
    private int maxBatchesInFlight;
    private int handed;

    DriverWindows(EventLoop loop, Timers timers, TimeSource time, Executor completer, CallWatch ownThreadWatch) {
        this.loop = loop;
        this.timers = timers;
        this.time = time;
        this.completer = completer;
        this.ownThreadWatch = ownThreadWatch;
    }

    void reconfigure(long operationTimeoutNanos, int maxBatchesInFlightPerDriver) {
        timeoutNanos = operationTimeoutNanos;
        maxBatchesInFlight = maxBatchesInFlightPerDriver;
    }

    /** Queues a call for the driver; it goes out at the next flush if the driver's window allows. */
    void add(DriverEntry driver, DriverCall call) {
        Window window = windows.computeIfAbsent(driver, Window::new);
        window.waiting.addLast(call);
        queueFlush(window);
    }

    private void queueFlush(Window window) {
        if (!window.flushQueued) {
            window.flushQueued = true;
            withWork.add(window);
        }
    }

    /** Hands each driver with work as many batches as its window allows. */
    void flush() {
        boolean onProducersThread = !loop.onOwnThread();
        int deferred = 0;
        for (int i = 0; i < withWork.size(); i++) {
            Window window = withWork.get(i);
            if (onProducersThread && !window.driver.isBlocking() && window.promptReturns < TRUSTED_AFTER) {
                withWork.set(deferred++, window); // stays queued for the engine's own thread
                continue;
            }
            window.flushQueued = false;
            if (!window.driver.isActive()) {
                continue; // gone meanwhile: the removal event re-dispatches what waits here
            }
            while (window.batchesInFlight < maxBatchesInFlight && !window.waiting.isEmpty()) {
                hand(window);
            }
            window.driver.setWaiting(window.waiting.size());
        }
        withWork.subList(deferred, withWork.size()).clear();
        if (deferred > 0) {
            loop.wantOwnThread();
        }
    }

    private void hand(Window window) {
        DriverEntry driver = window.driver;
        dropStaleWrites(window);
        if (window.waiting.isEmpty()) {
            return;
        }
        int size = Math.min(driver.maxBatchSize(), window.waiting.size());
        DriverCall[] calls = new DriverCall[size];
        DriverOperation[] operations = new DriverOperation[size];
        Batch batch = new Batch(window, calls, time.nanoTime(), timeoutNanos);
        for (int i = 0; i < size; i++) {
            DriverCall call = window.waiting.pollFirst();
            call.batch = batch;
            calls[i] = call;
            operations[i] = call.operation;
        }
        window.batchesInFlight++;
        handed += size;
        driver.addInFlight(size);
        open.addLast(batch);
        armSweep();
        List<DriverOperation> list = Collections.unmodifiableList(Arrays.asList(operations));
        if (driver.isBlocking()) {
            handOnOwnThread(window, list);
        } else {
            long calledAt = System.nanoTime();
            try {
                loop.callOut("driver " + driver.name(), () -> driver.driver().execute(list), driver::markBlocking);
            } catch (RuntimeException e) {
                threw(driver, list, e);
            }
            window.promptReturns = System.nanoTime() - calledAt <= PROMPT_RETURN_NANOS
                    ? Math.min(window.promptReturns + 1, TRUSTED_AFTER) : 0;
        }
    }

    /** Writes that became stale while they waited for the window are not sent: they end STALE. */
    private void dropStaleWrites(Window window) {
        Instant now = time.now();
        List<DriverOperation> stale = null;
        for (Iterator<DriverCall> it = window.waiting.iterator(); it.hasNext(); ) {
            DriverCall call = it.next();
            if (call.isStaleAt(now)) {
                it.remove();
                if (stale == null) {
                    stale = new ArrayList<>();
                }
                stale.add(call.operation);
            }
        }
        if (stale != null) {
            fail(stale, new OperationFailedException(OperationFailedReason.STALE,
                    "the write became stale while it waited for driver " + window.driver.name()));
        }
    }

    private void handOnOwnThread(Window window, List<DriverOperation> batch) {
        DriverEntry driver = window.driver;
        if (window.ownThread == null) {
            window.ownThread = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "pathpoint-driver-" + driver.name());
                thread.setDaemon(true);
                return thread;
            });
        }
        try {
            window.ownThread.execute(() -> {
                CallWatch.Call call = ownThreadWatch == null ? null
                        : ownThreadWatch.begin("driver " + driver.name(), () -> { });
                try {
                    driver.driver().execute(batch);
                } catch (RuntimeException e) {
                    threw(driver, batch, e);
                } finally {
                    if (call != null) {
                        ownThreadWatch.end(call);
                    }
                }
            });
        } catch (RejectedExecutionException stopped) {
            fail(batch, new OperationFailedException(OperationFailedReason.ERROR, "driver " + driver.name() + " is gone"));
        }
    }

    private void threw(DriverEntry driver, List<DriverOperation> batch, RuntimeException e) {
        LOG.warn("Driver {} threw on a batch of {} operations", driver.name(), batch.size(), e);
        // failing them completes the batch through the operations' callbacks, which frees the slot
        fail(batch, new OperationFailedException(OperationFailedReason.ERROR, "driver " + driver.name() + " threw " + e, e));
    }

    private void fail(List<DriverOperation> operations, OperationFailedException failure) {
        completer.execute(() -> operations.forEach(operation -> operation.fail(failure)));
    }

    /**
     * A handed-over operation completed, failed or timed out. The driver made progress on its batch,
     * which restarts the batch's time-out; when it was the last open one, the driver's window has a
     * free slot and what waits for it goes out at the next flush.
     */
    void completed(DriverCall call) {
        Batch batch = call.batch;
        if (batch == null) {
            return;
        }
        call.batch = null;
        handed--;
        call.driver.addInFlight(-1);
        if (--batch.open > 0) {
            batch.progressAt = time.nanoTime(); // the sweep moves its deadline when it comes to it
            return;
        }
        open.remove(batch);
        if (open.isEmpty() && sweep != null) {
            sweep.cancel();
            sweep = null;
        }
        Window window = batch.window;
        window.batchesInFlight--;
        if (!window.waiting.isEmpty()) {
            queueFlush(window);
        }
    }

    private void armSweep() {
        Batch first = open.first();
        if (first != null && (sweep == null || !sweep.isPending() || sweep.deadline() - first.deadline > 0)) {
            if (sweep != null) {
                sweep.cancel();
            }
            sweep = timers.at(first.deadline, this::sweepTimeouts);
        }
    }

    /** Fails the open operations of batches on which the driver made no progress in time. */
    private void sweepTimeouts() {
        sweep = null;
        long now = time.nanoTime();
        Batch oldest;
        while ((oldest = open.first()) != null && oldest.deadline - now <= 0) {
            open.remove(oldest);
            if (oldest.progressAt + timeoutNanos - now > 0) {
                // the driver completed some of it meanwhile: its time counts from then, behind the others
                oldest.deadline = oldest.progressAt + timeoutNanos;
                open.addLast(oldest);
                continue;
            }
            oldest.timedOut = true;
            List<DriverOperation> late = new ArrayList<>();
            for (DriverCall call : oldest.calls) {
                if (call.batch == oldest && !call.operation.isDone()) {
                    late.add(call.operation);
                }
            }
            DriverEntry driver = oldest.window.driver;
            long millis = timeoutNanos / 1_000_000;
            completer.execute(() -> {
                for (DriverOperation operation : late) {
                    operation.fail(new OperationFailedException(OperationFailedReason.TIMEOUT, "driver " + driver.name()
                            + " did not complete " + operation + " (it completed nothing of its batch for " + millis + " ms)"));
                }
            });
        }
        armSweep();
    }

    /**
     * The driver went away: forgets it, and returns every call it had, waiting or handed over, so that
     * they go back to waiting for a driver. Late completions of the handed ones are ignored.
     */
    List<DriverCall> driverRemoved(DriverEntry driver) {
        Window window = windows.remove(driver);
        if (window == null) {
            return List.of();
        }
        List<DriverCall> calls = new ArrayList<>(window.waiting);
        window.waiting.clear();
        for (Batch batch : open.snapshot()) {
            if (batch.window == window) {
                open.remove(batch);
                for (DriverCall call : batch.calls) {
                    if (call.batch == batch) {
                        call.batch = null;
                        handed--;
                        calls.add(call);
                    }
                }
            }
        }
        if (window.ownThread != null) {
            window.ownThread.shutdown();
        }
        if (open.isEmpty() && sweep != null) {
            sweep.cancel();
            sweep = null;
        }
        driver.setWaiting(0);
        driver.addInFlight(-driver.inFlight());
        return calls;
    }

    /** Operations handed to drivers and not completed. */
    int handed() {
        return handed;
    }

    /** Operations waiting for a free slot in their driver's window. */
    int waiting() {
        int waiting = 0;
        for (Window window : windows.values()) {
            waiting += window.waiting.size();
        }
        return waiting;
    }

    /** Batches the driver holds (handed over, not every operation completed). */
    int batchesInFlight(DriverEntry driver) {
        Window window = windows.get(driver);
        return window == null ? 0 : window.batchesInFlight;
    }

    /** Whether drivers hold a few operations, whose completions are worth spinning for. */
    boolean expectingCompletions() {
        return handed > 0 && handed <= SPIN_AT_MOST_HANDED;
    }

    /** Whether drivers hold so many operations that their completions come in a stream. */
    boolean completionsStreaming() {
        return handed > SPIN_AT_MOST_HANDED;
    }
}
