package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.ReadOperation;
import dev.pathpoint.api.driver.WriteOperation;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.PathpointOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import dev.pathpoint.engine.internal.registry.DriverRegistry;
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
 * Runs the read and write orders of running sections: one {@link Lane} per pathpoint, routing to
 * drivers, batching, timeouts, retries with backoff, stale writes, waiting for a driver, and
 * re-dispatching when a driver goes away. Dispatch thread only (except {@link #post}).
 */
final class PathpointLanes {
    private final DispatchLoop loop;
    private final TimerQueue timers;
    private final TimeSource time;
    private final DriverRegistry drivers;
    private final PathpointValueStore store;
    private final EngineStatistics statistics;
    private final OrderSink sink;

    private final Map<String, Lane> lanes = new HashMap<>();
    private final List<Lane> ready = new ArrayList<>();
    private final List<Lane> awaitingDriver = new ArrayList<>();
    private final NodeList<InFlightOp> inFlight = new NodeList<>();
    private final DriverBatches batches = new DriverBatches(this::handedOver);
    private boolean sweepScheduled;
    /** The deadline of operations handed over in the current flush. */
    private long handOverDeadline;

    private EngineSettings settings;
    private int settingsGeneration;

    PathpointLanes(DispatchLoop loop, TimerQueue timers, TimeSource time, DriverRegistry drivers,
            PathpointValueStore store, EngineStatistics statistics, OrderSink sink, EngineSettings settings) {
        this.loop = loop;
        this.timers = timers;
        this.time = time;
        this.drivers = drivers;
        this.store = store;
        this.statistics = statistics;
        this.sink = sink;
        this.settings = settings;
    }

    void reconfigure(EngineSettings next) {
        settings = next;
        settingsGeneration++;
    }

    void post(InFlightOp completed) {
        loop.post(completed);
    }

    /** Queues a read or write of a starting section in its pathpoint's lane. */
    void submit(RunningSection section, int index, PathpointOrder order) {
        Lane lane = lanes.get(order.pathpoint());
        try {
            if (lane == null) {
                lane = new Lane(order.pathpoint(), PathpointType.ofPathpoint(order.pathpoint()));
                lanes.put(lane.pathpoint, lane);
            }
            PathpointValue value = order instanceof WriteOrder write ? lane.type.coerce(write.value()) : null;
            lane.pending.addLast(new PathpointTask(order, section, index, value));
            markReady(lane);
        } catch (OperationFailedException invalid) {
            // a bad name (INVALID) or a value the type cannot hold (TYPE): never sent
            sink.finish(section, index, OrderOutcome.failed(order, invalid));
        }
    }

    private void markReady(Lane lane) {
        if (!lane.markedReady) {
            lane.markedReady = true;
            ready.add(lane);
        }
    }

    /** Dispatches the head of every lane that may have become ready, then hands batches to drivers. */
    void dispatchReadyAndFlush() {
        for (int i = 0; i < ready.size(); i++) {
            Lane lane = ready.get(i);
            lane.markedReady = false;
            dispatch(lane);
        }
        ready.clear();
        handOverDeadline = time.nanoTime() + settings.operationTimeout().toNanos();
        batches.flush(settings.batchSize(), settings.maxBatchesInFlightPerDriver());
        scheduleSweep();
    }

    /** The operation goes to its driver now: its timeout counts from here, not from when it became ready. */
    private void handedOver(InFlightOp op) {
        op.deadline = handOverDeadline;
        inFlight.addLast(op);
    }

    private void dispatch(Lane lane) {
        while (lane.isIdle() && !lane.pending.isEmpty()) {
            PathpointTask head = lane.pending.peekFirst();
            if (head.isWrite()) {
                if (head.write().isStaleAt(time.now())) {
                    lane.pending.pollFirst();
                    sink.finish(head.section, head.index, new OrderOutcome.Stale(head.order));
                    continue;
                }
            } else if (answerFromRecentRead(lane)) {
                continue;
            }
            DriverEntry driver = route(lane);
            if (driver == null) {
                if (expireOrAwaitDriver(lane)) {
                    continue;
                }
                return;
            }
            send(lane, head, driver);
        }
    }

    private DriverEntry route(Lane lane) {
        int version = drivers.version();
        if (lane.routeVersion != version || (lane.route != null && !lane.route.isActive())) {
            lane.route = drivers.route(lane.pathpoint);
            lane.routeVersion = version;
        }
        DriverEntry route = lane.route;
        return route != null && route.isActive() ? route : null;
    }

    private void send(Lane lane, PathpointTask head, DriverEntry driver) {
        lane.awaitingDriver = false;
        int count = 0;
        for (PathpointTask task : lane.pending) {
            // a write goes alone; reads go together up to the next write
            if (count > 0 && (head.isWrite() || task.isWrite())) {
                break;
            }
            task.noDriverDeadline = PathpointTask.NO_DEADLINE;
            count++;
        }
        DriverOperation operation;
        if (head.isWrite()) {
            operation = new WriteOperation(lane.pathpoint, lane.type, head.value);
            lane.freshValue = null;
        } else {
            operation = new ReadOperation(lane.pathpoint, lane.type);
        }
        InFlightOp op = new InFlightOp(this, lane, driver, operation);
        lane.inFlight = op;
        lane.inFlightCount = count;
        batches.add(driver, op);
        operation.completion().whenComplete(op);
    }

    /** Completes the reads at the head from the last device read, inside the minimum read interval. */
    private boolean answerFromRecentRead(Lane lane) {
        if (lane.freshValue == null) {
            return false;
        }
        if (time.nanoTime() - lane.freshUntil >= 0) {
            lane.freshValue = null;
            return false;
        }
        PathpointValue value = lane.freshValue;
        while (!lane.pending.isEmpty() && !lane.pending.peekFirst().isWrite()) {
            PathpointTask read = lane.pending.pollFirst();
            sink.finish(read.section, read.index, OrderOutcome.done(read.order, value));
        }
        return true;
    }

    /**
     * No driver serves the lane: fails the head orders whose wait is over, else waits for a driver
     * change or the earliest deadline. Returns true if it failed some (the head changed).
     */
    private boolean expireOrAwaitDriver(Lane lane) {
        long now = time.nanoTime();
        boolean expired = false;
        long earliest = Long.MAX_VALUE;
        boolean headIsWrite = lane.pending.peekFirst().isWrite();
        for (Iterator<PathpointTask> it = lane.pending.iterator(); it.hasNext(); ) {
            PathpointTask task = it.next();
            if (task.isWrite() != headIsWrite) {
                break;
            }
            if (task.noDriverDeadline == PathpointTask.NO_DEADLINE) {
                task.noDriverDeadline = now + noDriverWait(task.order.advise());
            }
            if (task.noDriverDeadline - now <= 0) {
                it.remove();
                expired = true;
                sink.finish(task.section, task.index, new OrderOutcome.Failed(task.order, OperationFailedReason.NO_DRIVER,
                        "no driver serves pathpoint '" + lane.pathpoint + "' (waited "
                                + noDriverWaitMillis(task.order.advise()) + " ms, " + task.order.advise() + ")"));
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
        if (!lane.awaitingDriver) {
            lane.awaitingDriver = true;
            awaitingDriver.add(lane);
        }
        int generation = ++lane.awaitGeneration;
        timers.at(earliest, () -> {
            if (lane.awaitingDriver && lane.awaitGeneration == generation) {
                markReady(lane);
            }
        });
        return false;
    }

    private long noDriverWait(AdviseLevel advise) {
        return (advise == AdviseLevel.FORCE ? settings.noDriverWaitForce() : settings.noDriverWaitAdvise()).toNanos();
    }

    private long noDriverWaitMillis(AdviseLevel advise) {
        return (advise == AdviseLevel.FORCE ? settings.noDriverWaitForce() : settings.noDriverWaitAdvise()).toMillis();
    }

    /** A driver operation completed, failed, or was timed out by the engine. */
    void completed(InFlightOp op) {
        if (op.isHandedOver()) {
            op.driver.addInFlight(-1);
            batches.completed(op);
        }
        Lane lane = op.lane;
        if (lane.inFlight != op) {
            return; // late: the driver went away and the operation was re-dispatched
        }
        lane.inFlight = null;
        inFlight.remove(op);
        int count = lane.inFlightCount;
        lane.inFlightCount = 0;
        Throwable failure = unwrap(op.failure());
        if (failure == null) {
            succeeded(lane, op, count);
        } else {
            OperationFailedException reason = failure instanceof OperationFailedException known ? known
                    : new OperationFailedException(OperationFailedReason.ERROR,
                            "driver " + op.driver.name() + " failed: " + failure, failure);
            failed(lane, op, count, reason);
        }
        markReady(lane);
    }

    private void succeeded(Lane lane, InFlightOp op, int count) {
        PathpointValue value = op.value();
        if (op.operation instanceof ReadOperation) {
            store.record(new Reading.Success(lane.pathpoint, time.now(), value));
            long interval = minReadIntervalNanos(lane);
            if (interval > 0) {
                lane.freshValue = value;
                lane.freshUntil = time.nanoTime() + interval;
            }
        }
        for (int i = 0; i < count; i++) {
            PathpointTask task = lane.pending.pollFirst();
            sink.finish(task.section, task.index,
                    OrderOutcome.done(task.order, task.isWrite() ? task.value : value));
        }
    }

    private void failed(Lane lane, InFlightOp op, int count, OperationFailedException failure) {
        boolean retryable = failure.reason().isRetryable();
        PathpointTask[] group = new PathpointTask[count];
        for (int i = 0; i < count; i++) {
            group[i] = lane.pending.pollFirst();
        }
        boolean anyRetry = false;
        boolean anyFailedRead = false;
        boolean[] retry = new boolean[count];
        for (int i = 0; i < count; i++) {
            PathpointTask task = group[i];
            if (retryable && task.order.fail()) {
                retry[i] = true;
                anyRetry = true;
                statistics.retried();
            } else {
                anyFailedRead |= !task.isWrite();
                sink.finish(task.section, task.index, OrderOutcome.failed(task.order, failure));
            }
        }
        for (int i = count - 1; i >= 0; i--) {
            if (retry[i]) {
                lane.pending.addFirst(group[i]);
            }
        }
        if (anyFailedRead) {
            store.record(new Reading.Failure(lane.pathpoint, time.now(), failure.reason(), failure.getMessage()));
        }
        if (anyRetry) {
            lane.backingOff = true;
            timers.after(settings.retryBackoff().toNanos(), () -> {
                lane.backingOff = false;
                markReady(lane);
            });
        }
    }

    private long minReadIntervalNanos(Lane lane) {
        if (lane.intervalGeneration != settingsGeneration) {
            lane.minReadIntervalNanos = settings.minReadIntervals().intervalFor(lane.pathpoint).toNanos();
            lane.intervalGeneration = settingsGeneration;
        }
        return lane.minReadIntervalNanos;
    }

    private static Throwable unwrap(Throwable failure) {
        while (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }

    private void scheduleSweep() {
        if (!sweepScheduled && !inFlight.isEmpty()) {
            sweepScheduled = true;
            timers.at(inFlight.first().deadline, this::sweepTimeouts);
        }
    }

    /**
     * Fails the operations past their deadline with TIMEOUT. Operations are in dispatch order, which
     * is deadline order as long as the timeout setting does not shrink.
     */
    private void sweepTimeouts() {
        sweepScheduled = false;
        long now = time.nanoTime();
        InFlightOp oldest;
        while ((oldest = inFlight.first()) != null && oldest.deadline - now <= 0) {
            inFlight.remove(oldest);
            // completes through the operation's own callback, like a driver failure
            oldest.operation.fail(new OperationFailedException(OperationFailedReason.TIMEOUT,
                    "driver " + oldest.driver.name() + " did not complete " + oldest.operation + " within "
                            + settings.operationTimeout().toMillis() + " ms"));
        }
        scheduleSweep();
    }

    /**
     * A driver went away: its operations in flight and those waiting for its window go back to waiting
     * for a driver (the replacement). Late completions of the ones it had are ignored.
     */
    void driverRemoved(DriverEntry driver) {
        for (InFlightOp op : inFlight.snapshot()) {
            if (op.driver == driver && op.lane.inFlight == op) {
                inFlight.remove(op);
                detach(op);
            }
        }
        for (InFlightOp op : batches.driverRemoved(driver)) {
            if (op.lane.inFlight == op) {
                detach(op);
            }
        }
        driversChanged();
    }

    private void detach(InFlightOp op) {
        op.lane.inFlight = null;
        op.lane.inFlightCount = 0;
        markReady(op.lane);
    }

    /** Drivers came or changed: lanes waiting for one try again. */
    void driversChanged() {
        for (Lane lane : awaitingDriver) {
            if (lane.awaitingDriver) {
                lane.awaitingDriver = false;
                lane.awaitGeneration++;
                markReady(lane);
            }
        }
        awaitingDriver.clear();
    }

    /** Operations handed to drivers and not completed or timed out. */
    int inFlightCount() {
        return inFlight.size();
    }

    /** Batches the driver holds (handed over, not every operation completed). */
    int batchesInFlight(DriverEntry driver) {
        return batches.batchesInFlight(driver);
    }

    /** Whether drivers hold operations whose completions are still to come. Dispatch thread only. */
    boolean expectingCompletions() {
        return !inFlight.isEmpty();
    }

}
