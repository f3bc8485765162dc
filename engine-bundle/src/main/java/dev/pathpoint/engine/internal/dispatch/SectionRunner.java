package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.PathpointOrder;
import dev.pathpoint.api.order.WaitOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.section.SectionState;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.engine.internal.stats.EngineStatistics;
import dev.pathpoint.engine.internal.time.TimeSource;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts queued sections in queue order and completes them.
 *
 * <p>Joinable sections start as soon as they reach the head of the queue (up to
 * {@code maxRunningSections} running), also while earlier joinable sections still run: sections that
 * may be joined may as well overlap. The joinable sections started in one go, up to
 * {@code maxJoinedSections}, form a group whose operations share driver batches. A CANNOT_JOIN
 * section starts only when nothing runs, and nothing starts while it runs. Each section completes on
 * its own, as soon as its own orders are done and its longest wait has passed, so a slow device
 * delays only the sections that use it. Dispatch thread only.
 */
final class SectionRunner implements OrderSink {
    private static final Logger LOG = LoggerFactory.getLogger(SectionRunner.class);

    private final SectionIntake intake;
    private final TimerQueue timers;
    private final TimeSource time;
    private final EngineStatistics statistics;
    private final NodeList<RunningSection> running = new NodeList<>();
    private PathpointLanes lanes;
    private HandlerInvoker handlers;
    private EngineSettings settings;
    private boolean barrierRunning;

    SectionRunner(SectionIntake intake, TimerQueue timers, TimeSource time, EngineStatistics statistics,
            EngineSettings settings) {
        this.intake = intake;
        this.timers = timers;
        this.time = time;
        this.statistics = statistics;
        this.settings = settings;
    }

    void connect(PathpointLanes lanes, HandlerInvoker handlers) {
        this.lanes = lanes;
        this.handlers = handlers;
    }

    void reconfigure(EngineSettings next) {
        settings = next;
    }

    /** Starts what may start now, in queue order. */
    void startQueued() {
        int grouped = 0;
        while (!barrierRunning) {
            RunningSection next = intake.peek();
            if (next == null) {
                return;
            }
            if (next.section.state() == SectionState.CANCELLED) {
                intake.poll();
                continue;
            }
            if (next.isBarrier()) {
                if (!running.isEmpty()) {
                    return;
                }
                intake.poll();
                barrierRunning = true;
                start(next);
                // the barrier's operations form a group of their own
                lanes.dispatchReadyAndFlush();
                grouped = 0;
                continue;
            }
            if (running.size() >= settings.maxRunningSections()) {
                return;
            }
            if (grouped == settings.maxJoinedSections()) {
                lanes.dispatchReadyAndFlush();
                grouped = 0;
            }
            intake.poll();
            start(next);
            grouped++;
        }
    }

    private void start(RunningSection section) {
        boolean run;
        try {
            run = section.section.markAsBeingExecuted();
        } catch (IllegalStateException alreadyStarted) {
            LOG.warn("Section queued twice, its second run is skipped: {}", section.section, alreadyStarted);
            if (section.isBarrier()) {
                barrierRunning = false;
            }
            return;
        }
        if (!run) {
            if (section.isBarrier()) {
                barrierRunning = false; // cancelled at the last moment
            }
            return;
        }
        section.begin();
        running.addLast(section);
        statistics.runningSections(running.size());
        List<Order> orders = section.section.orders();
        if (orders.isEmpty()) {
            complete(section);
            return;
        }
        boolean hasWaits = false;
        for (int i = 0; i < orders.size(); i++) {
            Order order = orders.get(i);
            if (order instanceof PathpointOrder pathpointOrder) {
                lanes.submit(section, i, pathpointOrder);
            } else if (order instanceof WaitOrder) {
                hasWaits = true;
            } else {
                handlers.submit(section, i, order);
            }
        }
        if (hasWaits) {
            Duration longest = section.section.maxWait();
            if (longest.isZero()) {
                finishWaits(section);
            } else {
                timers.after(longest.toNanos(), () -> finishWaits(section));
            }
        }
    }

    /** The section has lasted its longest wait: its wait orders are done. */
    private void finishWaits(RunningSection section) {
        List<Order> orders = section.section.orders();
        for (int i = 0; i < orders.size(); i++) {
            if (orders.get(i) instanceof WaitOrder && !section.isFinished(i)) {
                finish(section, i, OrderOutcome.done(orders.get(i)));
            }
        }
    }

    @Override
    public void finish(RunningSection section, int index, OrderOutcome outcome) {
        if (section.isFinished(index)) {
            return; // a late outcome after the engine failed everything
        }
        if (outcome instanceof OrderOutcome.Failed failed) {
            statistics.orderFailed(failed.reason());
        }
        if (section.finish(index, outcome)) {
            complete(section);
        }
    }

    private void complete(RunningSection section) {
        running.remove(section);
        statistics.runningSections(running.size());
        statistics.ordersCompleted(section.outcomes().length);
        statistics.sectionCompleted(time.nanoTime() - section.acceptedAtNanos);
        if (section.isBarrier()) {
            barrierRunning = false;
        }
        section.section.markAsDone(new SectionResult(Arrays.asList(section.outcomes())));
    }

    /** Completes every running and queued section: unfinished orders fail with the reason. */
    void failEverything(OperationFailedReason reason, String message) {
        for (RunningSection section : running.snapshot()) {
            List<Order> orders = section.section.orders();
            for (int i = 0; i < orders.size(); i++) {
                if (!section.isFinished(i)) {
                    finish(section, i, new OrderOutcome.Failed(orders.get(i), reason, message));
                }
            }
        }
        intake.failAll(reason, message);
    }

    int runningCount() {
        return running.size();
    }
}
