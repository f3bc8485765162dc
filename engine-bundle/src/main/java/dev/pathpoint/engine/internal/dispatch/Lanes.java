package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.ReadOperation;
import dev.pathpoint.api.driver.WriteOperation;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.PathpointOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import dev.pathpoint.engine.internal.registry.DriverRegistry;
import dev.pathpoint.engine.internal.registry.GrammarRegistry;
import dev.pathpoint.engine.internal.stats.EngineStatistics;
import dev.pathpoint.engine.internal.store.PathpointValueStore;
import dev.pathpoint.engine.internal.time.TimeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The pathpoint orders of running sections, in one {@link Lane} per pathpoint: their path from the
 * section to a driver and back. An order is checked and converted when it arrives ({@link #submit});
 * when its lane may send, a stale write is dropped, a read inside the minimum read interval is
 * answered from the value store, and otherwise the head goes to the driver that serves the pathpoint
 * ({@link DriverWindows}), or waits for one until its no-driver deadline. The outcome comes back in
 * {@link #completed}: done, failed, or retried after a backoff. Dispatch thread only (except
 * {@link #post}).
 */
final class Lanes {
    private final EventLoop loop;
    private final Timers timers;
    private final TimeSource time;
    private final GrammarRegistry grammars;
    private final DriverRegistry drivers;
    private final DriverWindows windows;
    private final PathpointValueStore store;
    private final RetryBackoff backoff;
    private final EngineStatistics statistics;
    private final Map<String, Lane> lanes = new HashMap<>();
    private final List<Lane> ready = new ArrayList<>();
    private EngineSettings settings;

    Lanes(EventLoop loop, Timers timers, TimeSource time, GrammarRegistry grammars, DriverRegistry drivers,
            DriverWindows windows, PathpointValueStore store, RetryBackoff backoff, EngineStatistics statistics,
            EngineSettings settings) {
        this.loop = loop;
        this.timers = timers;
        this.time = time;
        this.grammars = grammars;
        this.drivers = drivers;
        this.windows = windows;
        this.store = store;
        this.backoff = backoff;
        this.statistics = statistics;
        reconfigure(settings);
    }

    void reconfigure(EngineSettings next) {
        settings = next;
        backoff.reconfigure(next.retryBackoff(), next.maxRetryBackoff());
        for (Lane lane : lanes.values()) {
            lane.minReadIntervalNanos = minReadIntervalNanos(lane.pathpoint);
        }
    }

    void post(DriverCall completed) {
        loop.post(completed);
    }

    /**
     * Queues a read or write (of a starting section, or a constituent of a {@link ReparseReads reparse
     * read}) in its pathpoint's lane. A name that is not valid (INVALID) or a value its type cannot
     * hold (TYPE) ends the order at once, without a lane.
     */
    void submit(OrderTarget target, int index, PathpointOrder order) {
        String pathpoint = order.pathpoint();
        Lane lane = lanes.get(pathpoint);
        PathpointValue value = null;
        try {
            PathpointType type = lane != null ? lane.type : grammars.typeOf(pathpoint);
            if (order instanceof WriteOrder write) {
                value = type.coerce(write.value());
            }
            if (lane == null) {
                lane = new Lane(pathpoint, type, minReadIntervalNanos(pathpoint));
                lanes.put(pathpoint, lane);
            }
        } catch (OperationFailedException refused) {
            target.finish(index, OrderOutcome.failed(order, refused));
            return;
        }
        long deadline = time.nanoTime() + settings.noDriverWait(order.advise()).toNanos();
        lane.pending.addLast(new LaneTask(order, target, index, value, deadline));
        markReady(lane);
    }

    private long minReadIntervalNanos(String pathpoint) {
        return settings.minReadIntervals().intervalFor(pathpoint).toNanos();
    }

    private void markReady(Lane lane) {
        if (!lane.ready) {
            lane.ready = true;
            ready.add(lane);
        }
    }

    /** Sends the head of every lane that may have become ready; lanes left with nothing are forgotten. */
    void dispatchReady() {
        for (int i = 0; i < ready.size(); i++) {
            Lane lane = ready.get(i);
            lane.ready = false;
            dispatch(lane);
            if (lane.isIdle() && lanes.get(lane.pathpoint) == lane) {
                lanes.remove(lane.pathpoint);
            }
        }
        ready.clear();
    }

    private void dispatch(Lane lane) {
        while (lane.canSend() && !lane.pending.isEmpty()) {
            LaneTask head = lane.pending.peekFirst();
            if (head.isWrite()) {
                if (head.write().isStaleAt(time.now())) {
                    lane.pending.pollFirst();
                    head.finish(new OrderOutcome.Stale(head.order));
                    continue;
                }
            } else if (answerFromStore(lane)) {
                continue;
            }
            DriverEntry driver = route(lane);
            if (driver == null) {
                if (expireWithoutDriver(lane)) {
                    continue;
                }
                return;
            }
            send(lane, head, driver);
        }
        if (lane.pending.isEmpty() && lane.noDriver != null) {
            lane.noDriver.cancel();
            lane.noDriver = null;
        }
    }

    private DriverEntry route(Lane lane) {
        if (lane.route == null || !lane.route.isActive()) {
            lane.route = drivers.route(lane.pathpoint);
        }
        return lane.route;
    }

    private void send(Lane lane, LaneTask head, DriverEntry driver) {
        if (lane.noDriver != null) {
            lane.noDriver.cancel();
            lane.noDriver = null;
        }
        int count = 0;
        for (LaneTask task : lane.pending) {
            // a write goes alone; reads go together up to the next write
            if (count > 0 && (head.isWrite() || task.isWrite())) {
                break;
            }
            count++;
        }
        DriverOperation operation;
        if (head.isWrite()) {
            operation = new WriteOperation(lane.pathpoint, lane.type, head.value);
            store.forgetRecentValue(lane.pathpoint); // a read after the write must see the device
        } else {
            operation = new ReadOperation(lane.pathpoint, lane.type);
        }
        DriverCall call = new DriverCall(this, lane, driver, operation,
                head.isWrite() ? head.write().staleAfter().orElse(null) : null);
        lane.call = call;
        lane.callCount = count;
        windows.add(driver, call);
        operation.completion().whenComplete(call);
    }

    /** Completes the reads at the head from the value store, inside the minimum read interval. */
    private boolean answerFromStore(Lane lane) {
        if (lane.minReadIntervalNanos == 0) {
            return false;
        }
        PathpointValue value = store.recentValue(lane.pathpoint, lane.minReadIntervalNanos, time.nanoTime());
        if (value == null) {
            return false;
        }
        while (!lane.pending.isEmpty() && !lane.pending.peekFirst().isWrite()) {
            LaneTask read = lane.pending.pollFirst();
            read.finish(OrderOutcome.done(read.order, value));
        }
        return true;
    }

    /**
     * No driver serves the lane: fails the head orders whose wait is over; else waits for a driver
     * change or the earliest deadline. Returns true if it failed some (the head changed).
     */
    private boolean expireWithoutDriver(Lane lane) {
        long now = time.nanoTime();
        boolean expired = false;
        long earliest = Long.MAX_VALUE;
        boolean headIsWrite = lane.pending.peekFirst().isWrite();
        for (Iterator<LaneTask> it = lane.pending.iterator(); it.hasNext(); ) {
            LaneTask task = it.next();
            if (task.isWrite() != headIsWrite) {
                break;
            }
            if (task.noDriverDeadline - now <= 0) {
                it.remove();
                expired = true;
                task.finish(new OrderOutcome.Failed(task.order, OperationFailedReason.NO_DRIVER,
                        "no driver serves pathpoint '" + lane.pathpoint + "' (waited "
                                + settings.noDriverWait(task.order.advise()).toMillis() + " ms, " + task.order.advise() + ")"));
            } else {
                earliest = Math.min(earliest, task.noDriverDeadline);
            }
            if (headIsWrite) {
                break;
            }
        }
        if (expired) {
            return true;
        }
        if (lane.noDriver == null || lane.noDriver.deadline() != earliest) {
            if (lane.noDriver != null) {
                lane.noDriver.cancel();
            }
            lane.noDriver = timers.at(earliest, () -> {
                lane.noDriver = null;
                markReady(lane);
            });
        }
        return false;
    }

    /** A driver operation completed, failed, or was timed out by the engine. */
    void completed(DriverCall call) {
        windows.completed(call);
        Lane lane = call.lane;
        if (lane.call != call) {
            return; // late: the driver went away and the operation was re-dispatched
        }
        lane.call = null;
        int count = lane.callCount;
        lane.callCount = 0;
        Throwable failure = unwrap(call.failure());
        if (failure == null) {
            succeeded(lane, call, count);
        } else {
            OperationFailedException reason = failure instanceof OperationFailedException known ? known
                    : new OperationFailedException(OperationFailedReason.ERROR,
                            "driver " + call.driver.name() + " failed: " + failure, failure);
            failed(lane, call, count, reason);
        }
        markReady(lane);
    }

    private void succeeded(Lane lane, DriverCall call, int count) {
        PathpointValue value = call.value();
        if (call.operation instanceof ReadOperation) {
            store.record(new Reading.Success(lane.pathpoint, time.now(), value), time.nanoTime());
        }
        for (int i = 0; i < count; i++) {
            LaneTask task = lane.pending.pollFirst();
            task.finish(OrderOutcome.done(task.order, task.isWrite() ? task.value : value));
        }
    }

    private void failed(Lane lane, DriverCall call, int count, OperationFailedException failure) {
        boolean retryable = failure.reason().isRetryable();
        LaneTask[] group = new LaneTask[count];
        for (int i = 0; i < count; i++) {
            group[i] = lane.pending.pollFirst();
        }
        int mostFailures = 0;
        boolean anyFailedRead = false;
        boolean[] retry = new boolean[count];
        for (int i = 0; i < count; i++) {
            LaneTask task = group[i];
            if (failure.reason() == OperationFailedReason.STALE && task.isWrite()) {
                task.finish(new OrderOutcome.Stale(task.order)); // became stale while it waited for its driver
            } else if (retryable && task.order.fail()) {
                retry[i] = true;
                mostFailures = Math.max(mostFailures, task.order.failures());
                statistics.retried();
            } else {
                anyFailedRead |= !task.isWrite();
                task.finish(OrderOutcome.failed(task.order, failure));
            }
        }
        for (int i = count - 1; i >= 0; i--) {
            if (retry[i]) {
                lane.pending.addFirst(group[i]);
            }
        }
        if (anyFailedRead) {
            store.record(new Reading.Failure(lane.pathpoint, time.now(), failure.reason(), failure.getMessage()),
                    time.nanoTime());
        }
        if (mostFailures > 0) {
            lane.retry = timers.after(backoff.delayNanos(mostFailures), () -> {
                lane.retry = null;
                markReady(lane);
            });
        }
    }

    private static Throwable unwrap(Throwable failure) {
        while (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }

    /**
     * A driver went away: its calls, waiting or handed over, go back to waiting for a driver (the
     * replacement). Nothing is failed for it, so a write is applied at least once.
     */
    void driverRemoved(DriverEntry driver) {
        for (DriverCall call : windows.driverRemoved(driver)) {
            Lane lane = call.lane;
            if (lane.call == call) {
                lane.call = null;
                lane.callCount = 0;
                markReady(lane);
            }
        }
        driversChanged();
    }

    /** Drivers came, went or changed: every lane is routed again, those waiting for one at once. */
    void driversChanged() {
        for (Lane lane : lanes.values()) {
            lane.route = null;
            if (lane.noDriver != null) {
                lane.noDriver.cancel();
                lane.noDriver = null;
                markReady(lane);
            }
        }
    }

    /** Lanes held (pathpoints with orders, an operation in flight or a retry pending). */
    int laneCount() {
        return lanes.size();
    }

    /** What an unfinished pathpoint order of a running section waits for, in words. */
    String describe(OrderTarget section, int index, PathpointOrder order) {
        Lane lane = lanes.get(order.pathpoint());
        if (lane == null) {
            return "not queued";
        }
        int position = 0;
        for (LaneTask task : lane.pending) {
            if (task.target == section && task.index == index) {
                break;
            }
            position++;
        }
        long now = time.nanoTime();
        if (lane.call != null && position < lane.callCount) {
            return lane.call.batch == null ? "waits for a free batch slot of driver " + lane.call.driver.name()
                    : "is in flight on driver " + lane.call.driver.name();
        }
        if (position == 0 && lane.retry != null) {
            return "waits to be tried again (tried " + order.failures() + " of " + order.tries() + " times) in "
                    + millis(lane.retry.deadline() - now);
        }
        if (lane.noDriver != null && position == 0) {
            return "waits for a driver serving it (NO_DRIVER in " + millis(lane.noDriver.deadline() - now) + ")";
        }
        return "is queued behind " + position + " earlier order(s) on " + order.pathpoint();
    }

    private static String millis(long nanos) {
        return Math.max(0, nanos / 1_000_000) + " ms";
    }
}
