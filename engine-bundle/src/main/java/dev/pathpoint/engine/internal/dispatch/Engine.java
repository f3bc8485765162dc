package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.executor.ExecutorStatistics;
import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionState;
import dev.pathpoint.api.store.ValueStore;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.engine.internal.EngineView;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import dev.pathpoint.engine.internal.registry.DriverRegistry;
import dev.pathpoint.engine.internal.registry.HandlerRegistry;
import dev.pathpoint.engine.internal.registry.ListenerRegistry;
import dev.pathpoint.engine.internal.stats.EngineStatistics;
import dev.pathpoint.engine.internal.stats.StatisticsLogger;
import dev.pathpoint.engine.internal.store.PathpointValueStore;
import dev.pathpoint.engine.internal.time.TimeSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order executor: a bounded section queue in front of one dispatch thread that owns all
 * running state (sections, pathpoint lanes, timers), a timer, and a small handler pool. Producers
 * only queue; nothing they call waits on a device.
 */
public final class Engine implements OrderExecutor, EngineView, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final DriverRegistry drivers;
    private final TimeSource time;
    private final ExecutorService notifier;
    private final PathpointValueStore store;
    private final EngineStatistics statistics = new EngineStatistics();
    private final SectionIntake intake;
    private final DispatchLoop loop;
    private final TimerQueue timers;
    private final SectionRunner runner;
    private final PathpointLanes lanes;
    private final HandlerInvoker handlers;
    private final StatisticsLogger statisticsLogger;
    /** Test sync points released after the next drain; dispatch thread only. */
    private final List<CountDownLatch> syncWaiters = new java.util.ArrayList<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Runnable wake = () -> wakePending.set(false);
    private volatile EngineSettings settings;
    private volatile boolean closed;

    /**
     * @param notifier runs {@link dev.pathpoint.api.store.PathpointListener}s; shut down by {@link #close}
     */
    public Engine(EngineSettings settings, DriverRegistry drivers, HandlerRegistry handlerRegistry,
            ListenerRegistry listeners, TimeSource time, ExecutorService notifier, String name) {
        this.settings = settings;
        this.drivers = drivers;
        this.time = time;
        this.notifier = notifier;
        this.store = new PathpointValueStore(listeners, notifier);
        this.intake = new SectionIntake(settings.queueCapacity());
        this.loop = new DispatchLoop(name + "-dispatch", this::afterDrain, this::expectingCompletions,
                settings.dispatchSpin());
        this.timers = new TimerQueue(time, loop);
        this.runner = new SectionRunner(intake, timers, time, statistics, settings);
        this.lanes = new PathpointLanes(loop, timers, time, drivers, store, statistics, runner, settings);
        this.handlers = new HandlerInvoker(loop, timers, handlerRegistry, statistics, runner, settings, name + "-handler-");
        runner.connect(lanes, handlers);
        this.statisticsLogger = new StatisticsLogger(time, this::statistics, () -> this.settings.statisticsLogInterval());
    }

    /** Starts the dispatch thread and listens to driver changes. */
    public Engine start() {
        drivers.setListener(new DriverRegistry.Listener() {
            @Override
            public void driverAdded(DriverEntry entry) {
                loop.post(lanes::driversChanged);
            }

            @Override
            public void driverRemoved(DriverEntry entry) {
                loop.post(() -> lanes.driverRemoved(entry));
            }

            @Override
            public void driverUpdated(DriverEntry entry) {
                loop.post(lanes::driversChanged);
            }
        });
        loop.start();
        statisticsLogger.start();
        return this;
    }

    private boolean expectingCompletions() {
        return lanes.expectingCompletions();
    }

    private void afterDrain() {
        runner.startQueued();
        lanes.dispatchReadyAndFlush();
        if (!syncWaiters.isEmpty() && !loop.hasPendingEvents()) {
            syncWaiters.forEach(CountDownLatch::countDown);
            syncWaiters.clear();
        }
    }

    @Override
    public void execute(Section... sections) {
        if (sections == null) {
            throw new IllegalArgumentException("sections must not be null");
        }
        RunningSection[] accepted = new RunningSection[sections.length];
        long now = time.nanoTime();
        for (int i = 0; i < sections.length; i++) {
            Section section = sections[i];
            if (section == null) {
                throw new IllegalArgumentException("sections[" + i + "] is null");
            }
            SectionState state = section.state();
            if (state != SectionState.PENDING && state != SectionState.CANCELLED) {
                throw new IllegalArgumentException("sections[" + i + "] is " + state + ", only PENDING sections can be queued");
            }
            accepted[i] = new RunningSection(section, now);
        }
        if (closed) {
            failAll(sections, OperationFailedReason.SHUTDOWN, "the engine is stopped");
            return;
        }
        if (!intake.offer(accepted)) {
            failAll(sections, OperationFailedReason.REJECTED, "the engine's queue is full ("
                    + intake.size() + " sections queued, capacity " + intake.capacity() + ")");
            return;
        }
        if (wakePending.compareAndSet(false, true)) {
            loop.post(wake);
        }
        if (closed) {
            // raced with close(): nobody else will take these
            intake.failAll(OperationFailedReason.SHUTDOWN, "the engine is stopped");
        }
    }

    private void failAll(Section[] sections, OperationFailedReason reason, String message) {
        for (Section section : sections) {
            for (int i = 0; i < section.orders().size(); i++) {
                statistics.orderFailed(reason);
            }
            SectionFailures.failUnstarted(section, reason, message);
        }
    }

    @Override
    public ExecutorStatistics statistics() {
        return statistics.snapshot(intake.size(), drivers.entries());
    }

    /** Applies new settings without losing queued or running work. */
    public void reconfigure(EngineSettings next) {
        settings = next;
        loop.setSpin(next.dispatchSpin());
        intake.setCapacity(next.queueCapacity());
        loop.post(() -> {
            runner.reconfigure(next);
            lanes.reconfigure(next);
            handlers.reconfigure(next);
        });
        statisticsLogger.start();
    }

    @Override
    public EngineSettings settings() {
        return settings;
    }

    @Override
    public OrderExecutor executor() {
        return this;
    }

    @Override
    public ValueStore store() {
        return store;
    }

    @Override
    public List<DriverEntry> drivers() {
        return drivers.entries();
    }

    @Override
    public List<Section> queuedSections(int max) {
        return intake.peekQueued(max);
    }

    /**
     * Stops the engine: every queued and running section completes, its unfinished orders failed
     * SHUTDOWN; then the threads stop. Late driver and handler completions are ignored.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        drivers.setListener(null);
        statisticsLogger.stop();
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable shutdown = () -> {
            runner.failEverything(OperationFailedReason.SHUTDOWN, "the engine stopped before the order finished");
            loop.stop();
            stopped.countDown();
        };
        if (loop.isDispatchThread()) {
            shutdown.run();
        } else if (loop.post(shutdown)) {
            try {
                if (!stopped.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        || !loop.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.error("The engine's dispatch thread did not stop within {} s (a driver or a future callback blocks it)",
                            STOP_TIMEOUT_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        intake.failAll(OperationFailedReason.SHUTDOWN, "the engine is stopped");
        handlers.shutdown();
        notifier.shutdown();
        LOG.info("Engine stopped: {}", statistics());
    }

    /**
     * Waits until the dispatch thread has handled every event posted before this call, and has become
     * idle (nothing left to handle). For tests: a deterministic sync point without sleeping.
     */
    void sync() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        if (loop.post(() -> syncWaiters.add(done)) && !done.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the dispatch thread did not answer within " + STOP_TIMEOUT_SECONDS + " s");
        }
    }

    /** Operations in flight on drivers (dispatch thread state; for tests, read when quiet). */
    int inFlightOperations() {
        return lanes.inFlightCount();
    }

    /** Batches the driver holds, handed over and not completed (dispatch thread state; for tests, read when quiet). */
    int batchesInFlight(DriverEntry driver) {
        return lanes.batchesInFlight(driver);
    }
}
