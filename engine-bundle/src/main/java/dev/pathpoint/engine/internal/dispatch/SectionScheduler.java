package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.PathpointOrder;
import dev.pathpoint.api.order.WaitOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.SectionState;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.engine.internal.stats.EngineStatistics;
import dev.pathpoint.engine.internal.time.TimeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts queued sections in queue order and completes them.
 *
 * <p>Joinable sections start as soon as they reach the head of the queue, also while earlier
 * joinable sections still run: every joinable section that can start does, in one go, so that their
 * operations reach each driver together and it can plan them as one. A CANNOT_JOIN section starts
 * only when nothing runs, and nothing starts while it runs. Each section completes on its own, as
 * soon as its own orders are done and its longest wait has passed, so a slow device delays only the
 * sections that use it. Dispatch thread only.
 */
final class SectionScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(SectionScheduler.class);

    private final SectionQueue queue;
    private final Lanes lanes;
    private final ReparseReads reparseReads;
    private final HandlerInvoker handlers;
    private final Timers timers;
    private final TimeSource time;
    private final ResultPublisher results;
    private final EngineStatistics statistics;
    private final NodeList<RunningSection> running = new NodeList<>();
    /** Sections whose last order finished, to be completed by {@link #completeFinished()}. */
    private final ArrayDeque<RunningSection> finished = new ArrayDeque<>();
    private boolean barrierRunning;

    SectionScheduler(SectionQueue queue, Lanes lanes, ReparseReads reparseReads, HandlerInvoker handlers, Timers timers,
            TimeSource time, ResultPublisher results, EngineStatistics statistics) {
        this.queue = queue;
        this.lanes = lanes;
        this.reparseReads = reparseReads;
        this.handlers = handlers;
        this.timers = timers;
        this.time = time;
        this.results = results;
        this.statistics = statistics;
    }

    /** Starts what may start now, in queue order. */
    void startQueued() {
        while (!barrierRunning) {
            RunningSection next = queue.peek();
            if (next == null) {
                return;
            }
            if (next.section.state() == SectionState.CANCELLED) {
                queue.poll();
                queue.release();
                continue;
            }
            if (next.isBarrier()) {
                if (!running.isEmpty()) {
                    return;
                }
                barrierRunning = true;
            }
            queue.poll();
            start(next);
        }
    }

    private void start(RunningSection section) {
        boolean run;
        try {
            run = section.section.markAsBeingExecuted();
        } catch (IllegalStateException alreadyStarted) {
            LOG.warn("Section queued twice, its second run is skipped: {}", section.section, alreadyStarted);
            run = false;
        }
        if (!run) {
            // cancelled at the last moment (or queued twice): it will not run
            queue.release();
            barrierRunning &= !section.isBarrier();
            return;
        }
        running.addLast(section);
        statistics.runningSections(running.size());
        section.begin(time.nanoTime(), finished);
        List<Order> orders = section.section.orders();
        for (int i = 0; i < orders.size(); i++) {
            Order order = orders.get(i);
            if (order instanceof PathpointOrder pathpointOrder && PathpointType.isReparse(pathpointOrder.pathpoint())) {
                reparseReads.submit(section, i, pathpointOrder);
            } else if (order instanceof PathpointOrder pathpointOrder) {
                lanes.submit(section, i, pathpointOrder);
            } else if (!(order instanceof WaitOrder)) {
                handlers.submit(section, i, order);
            }
        }
        Duration longest = section.section.maxWait();
        if (!longest.isZero()) {
            section.waitTimer = timers.after(longest.toNanos(), () -> finishWaits(section));
        } else {
            finishWaits(section);
        }
    }

    /** The section has lasted its longest wait: its wait orders are done. */
    private void finishWaits(RunningSection section) {
        section.waitTimer = null;
        List<Order> orders = section.section.orders();
        for (int i = 0; i < orders.size(); i++) {
            if (orders.get(i) instanceof WaitOrder) {
                section.finish(i, OrderOutcome.done(orders.get(i)));
            }
        }
    }

    /** Completes the sections whose orders have all finished; returns whether there were any. */
    boolean completeFinished() {
        if (finished.isEmpty()) {
            return false;
        }
        RunningSection section;
        while ((section = finished.poll()) != null) {
            complete(section);
        }
        return true;
    }

    private void complete(RunningSection section) {
        running.remove(section);
        queue.release();
        if (section.waitTimer != null) {
            section.waitTimer.cancel();
            section.waitTimer = null;
        }
        if (section.isBarrier()) {
            barrierRunning = false;
        }
        OrderOutcome[] outcomes = section.outcomes();
        for (OrderOutcome outcome : outcomes) {
            if (outcome instanceof OrderOutcome.Failed failed) {
                statistics.orderFailed(failed.reason());
            }
        }
        statistics.runningSections(running.size());
        statistics.ordersCompleted(outcomes.length);
        statistics.sectionCompleted(time.nanoTime() - section.acceptedAtNanos);
        results.publish(section);
    }

    /** Completes every running and queued section: unfinished orders fail with the reason. */
    void failEverything(OperationFailedReason reason, String message) {
        for (RunningSection section : running.snapshot()) {
            List<Order> orders = section.section.orders();
            for (int i = 0; i < orders.size(); i++) {
                section.finish(i, new OrderOutcome.Failed(orders.get(i), reason, message));
            }
        }
        completeFinished();
        queue.failAll(reason, message, results);
    }

    /** The running sections, first started first. */
    List<RunningSection> running() {
        return running.snapshot();
    }

    int runningCount() {
        return running.size();
    }
}
