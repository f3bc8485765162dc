package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.executor.ExecutorStatistics;
import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.PathpointOrder;
import dev.pathpoint.api.order.WaitOrder;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionState;
import dev.pathpoint.api.store.ValueStore;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.engine.internal.EngineState;
import dev.pathpoint.engine.internal.EngineView;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import dev.pathpoint.engine.internal.registry.DriverRegistry;
import dev.pathpoint.engine.internal.registry.Whiteboard;
import dev.pathpoint.engine.internal.stats.EngineStatistics;
import dev.pathpoint.engine.internal.stats.StatisticsLogger;
import dev.pathpoint.engine.internal.store.PathpointValueStore;
import dev.pathpoint.engine.internal.time.TimeSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order executor: a bounded section queue in front of one dispatch thread that owns all running
 * state (sections, pathpoint lanes, driver windows, timers), a results thread that completes the
 * sections' futures, and pools for handlers and listeners. Nothing producers call waits on a device; an idle
 * engine starts their small sections on their own thread (see {@link #wakeHere}).
 *
 * <p>An order's path, in one direction: {@link SectionQueue} (accepted) → {@link SectionScheduler}
 * (started) → {@link Lanes} (per pathpoint, in queue order) → {@link DriverWindows} (batched to its
 * driver); a read of a reparse pathpoint goes to {@link ReparseReads}, which hands its constituents'
 * reads to the lanes; sysctl and message orders go to {@link HandlerInvoker}. Outcomes land in the section's
 * {@link RunningSection}; finished sections are completed by the scheduler and their futures by
 * {@link ResultPublisher}, on a results thread of their own.
 *
 * <p>After every drain of events the loop settles: it starts what may start, dispatches what became
 * ready, and repeats while sections finished, because a finished section may let queued ones start.
 * Only then are batches handed to drivers. So whatever ends an order or a section, what waits behind
 * it starts in the same pass, without waiting for another event.
 */
public final class Engine implements OrderExecutor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final long STOP_TIMEOUT_SECONDS = 10;
    /** The most orders one execute call may start on the caller's thread (see {@link #wakeHere}). */
    static final int CALLER_RUN_MAX_ORDERS = 64;

    private final DriverRegistry drivers;
    private final TimeSource time;
    private final EngineThreads threads;
    private final ExecutorService notifier;
    private final PathpointValueStore store;
    private final EngineStatistics statistics = new EngineStatistics();
    private final SectionQueue queue;
    private final EventLoop loop;
    private final Timers timers;
    private final DriverWindows windows;
    private final Lanes lanes;
    private final HandlerInvoker handlers;
    private final ResultPublisher results;
    private final EventLoop resultLoop;
    private final SectionScheduler scheduler;
    private final StatisticsLogger statisticsLogger;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Runnable wake = () -> wakePending.set(false);
    private volatile EngineSettings settings;
    private volatile boolean closed;

    /** An engine on real threads named after {@code name}. */
    public Engine(EngineSettings settings, Whiteboard whiteboard, TimeSource time, String name) {
        this(settings, whiteboard, time, EngineThreads.real(name, settings));
    }

    Engine(EngineSettings settings, Whiteboard whiteboard, TimeSource time, EngineThreads threads) {
        this.settings = settings;
        this.drivers = whiteboard.drivers();
        this.time = time;
        this.threads = threads;
        this.notifier = threads.newPool("listeners", 1, Integer.MAX_VALUE);
        this.store = new PathpointValueStore(whiteboard.listeners(), notifier, settings.valueStoreCapacity());
        this.queue = new SectionQueue(settings.queueCapacity());
        this.loop = threads.newLoop("dispatch", this::settle, this::expectingCompletions, this::completionsStreaming,
                settings);
        // no spin on the results thread: on two cores a second spinning thread costs the devices more than
        // the wake-up it saves (measured: SectionLatencyBenchmark)
        EventLoop resultLoop = threads.newLoop("results", () -> { }, () -> false, () -> false, settings);
        this.timers = new Timers(time, loop);
        this.results = new ResultPublisher(resultLoop);
        this.resultLoop = resultLoop;
        this.windows = new DriverWindows(loop, timers, time, results, threads.callWatch());
        windows.reconfigure(settings.operationTimeout().toNanos(), settings.maxBatchesInFlightPerDriver());
        RetryBackoff backoff = new RetryBackoff(threads.random());
        this.lanes = new Lanes(loop, timers, time, whiteboard.grammars(), drivers, windows, store, backoff, statistics,
                settings);
        this.handlers = new HandlerInvoker(loop, timers, whiteboard.handlers(), backoff, statistics,
                (size, capacity) -> threads.newPool("handler", size, capacity), settings);
        this.scheduler = new SectionScheduler(queue, lanes, new ReparseReads(lanes, store, time), handlers, timers, time,
                results, statistics);
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
        resultLoop.start();
        loop.start();
        statisticsLogger.start();
        return this;
    }

    private boolean expectingCompletions() {
        return windows.expectingCompletions();
    }

    private boolean completionsStreaming() {
        return windows.completionsStreaming();
    }

    /** Runs on the dispatch thread after each drain of events. */
    private void settle() {
        do {
            scheduler.startQueued();
            lanes.dispatchReady();
        } while (scheduler.completeFinished());
        windows.flush();
    }

    @Override
    public void execute(Section... sections) {
        if (sections == null) {
            throw new IllegalArgumentException("sections must not be null");
        }
        RunningSection[] accepted = new RunningSection[sections.length];
        long now = time.nanoTime();
        int orders = 0;
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
            orders += section.orders().size();
        }
        if (closed) {
            failAll(sections, OperationFailedReason.SHUTDOWN, "the engine is stopped");
            return;
        }
        if (!queue.offer(accepted)) {
            failAll(sections, OperationFailedReason.REJECTED, "the engine's queue is full (" + queue.accepted()
                    + " sections accepted and not finished, capacity " + queue.capacity() + ")");
            return;
        }
        for (Section section : sections) {
            if (!section.isJoinable()) {
                // a barrier cancelled while queued may be what holds the sections behind it
                section.future().whenComplete((result, failure) -> {
                    if (section.state() == SectionState.CANCELLED) {
                        wake();
                    }
                });
            }
        }
        if (orders <= CALLER_RUN_MAX_ORDERS) {
            wakeHere();
        } else {
            wake();
        }
        if (closed) {
            // raced with close(): nobody else will take these
            queue.failAll(OperationFailedReason.SHUTDOWN, "the engine is stopped", results);
        }
    }

    /**
     * Has the dispatch loop look at the queue. An idle loop does so on the calling thread, which saves
     * the dispatch thread's wake-up: a producer's thread then starts the section and hands its batch to
     * the driver (drivers return at once), and the result still goes out on the results thread. Only
     * for up to {@link #CALLER_RUN_MAX_ORDERS} orders: for more, the wake-up is a small share of the
     * work, and state built on one core and then taken over by the dispatch thread on the other cost
     * more than it saved (10,000 reads: 5.5 ms against 7.0 ms).
     */
    private void wakeHere() {
        if (wakePending.compareAndSet(false, true)) {
            loop.postOrRun(wake);
        }
    }

    /** Has the dispatch thread look at the queue. */
    private void wake() {
        if (wakePending.compareAndSet(false, true)) {
            loop.post(wake);
        }
    }

    private void failAll(Section[] sections, OperationFailedReason reason, String message) {
        for (Section section : sections) {
            for (int i = 0; i < section.orders().size(); i++) {
                statistics.orderFailed(reason);
            }
            results.failUnstarted(section, reason, message);
        }
    }

    @Override
    public ExecutorStatistics statistics() {
        return statistics.snapshot(queue.queued(), drivers.entries());
    }

    /** Applies new settings without losing queued or running work. */
    public void reconfigure(EngineSettings next) {
        settings = next;
        loop.reconfigure(next);
        resultLoop.reconfigure(next);
        queue.setCapacity(next.queueCapacity());
        store.setCapacity(next.valueStoreCapacity());
        loop.post(() -> {
            lanes.reconfigure(next);
            windows.reconfigure(next.operationTimeout().toNanos(), next.maxBatchesInFlightPerDriver());
            handlers.reconfigure(next);
        });
        statisticsLogger.start();
    }

    public EngineSettings settings() {
        return settings;
    }

    public ValueStore store() {
        return store;
    }

    public List<DriverEntry> drivers() {
        return drivers.entries();
    }

    public List<Section> queuedSections(int max) {
        return queue.peekQueued(max);
    }

    /** How much the engine holds; asks the dispatch thread. */
    public EngineState state() {
        return onLoop(() -> new EngineState(queue.queued(), scheduler.runningCount(), lanes.laneCount(),
                timers.pending(), windows.handed(), windows.waiting(), handlers.running(), store.size()),
                () -> new EngineState(queue.queued(), -1, -1, -1, -1, -1, -1, store.size()));
    }

    /** See {@link EngineView#describePendingWork()}; asks the dispatch thread. */
    public String describePendingWork() {
        return onLoop(this::pendingWork, () -> queue.queued() + " section(s) queued; the engine's dispatch thread did"
                + " not answer within " + STOP_TIMEOUT_SECONDS + " s");
    }

    private String pendingWork() {
        List<RunningSection> running = scheduler.running();
        StringBuilder text = new StringBuilder();
        text.append(queue.queued()).append(" section(s) queued, ").append(running.size()).append(" running");
        List<Section> queued = queue.peekQueued(1);
        if (!queued.isEmpty() && !queued.get(0).isJoinable() && !running.isEmpty()) {
            text.append("; the first queued section is CANNOT_JOIN and waits for the running ones to finish");
        }
        int listed = 0;
        for (RunningSection section : running) {
            if (listed++ == 5) {
                text.append("; ...");
                break;
            }
            text.append("; a ").append(section.section.disposition()).append(" section of ")
                    .append(section.section.orders().size()).append(" order(s), running for ")
                    .append((time.nanoTime() - section.startedAtNanos) / 1_000_000).append(" ms:");
            List<Order> orders = section.section.orders();
            int described = 0;
            for (int i = 0; i < orders.size() && described < 3; i++) {
                if (!section.isFinished(i)) {
                    described++;
                    text.append(described == 1 ? " " : ", ").append(orders.get(i)).append(' ')
                            .append(waitingFor(section, i, orders.get(i)));
                }
            }
        }
        return text.toString();
    }

    private String waitingFor(RunningSection section, int index, Order order) {
        if (order instanceof PathpointOrder pathpointOrder && PathpointType.isReparse(pathpointOrder.pathpoint())) {
            return ReparseReads.describe();
        }
        if (order instanceof PathpointOrder pathpointOrder) {
            return lanes.describe(section, index, pathpointOrder);
        }
        if (order instanceof WaitOrder) {
            Timers.Timer timer = section.waitTimer;
            return timer == null ? "is over" : "ends in " + Math.max(0, (timer.deadline() - time.nanoTime()) / 1_000_000) + " ms";
        }
        return "is with its handler";
    }

    private <T> T onLoop(Supplier<T> question, Supplier<T> noAnswer) {
        if (loop.inLoop()) {
            return question.get();
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        if (!loop.post(() -> answer.complete(question.get()))) {
            return noAnswer.get();
        }
        try {
            return answer.get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return noAnswer.get();
        } catch (ExecutionException | TimeoutException e) {
            return noAnswer.get();
        }
    }

    /**
     * Stops the engine: every queued and running section completes, its unfinished orders failed
     * SHUTDOWN, and its future is delivered; then the threads stop. Late driver and handler
     * completions are ignored.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        drivers.setListener(null);
        statisticsLogger.stop();
        Runnable shutdown = () -> {
            scheduler.failEverything(OperationFailedReason.SHUTDOWN, "the engine stopped before the order finished");
            handlers.shutdown();
            loop.stop();
        };
        try {
            if (loop.inLoop()) {
                shutdown.run();
            } else if (loop.post(shutdown) && !loop.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.error("The engine's dispatch thread did not stop within {} s", STOP_TIMEOUT_SECONDS);
            }
            queue.failAll(OperationFailedReason.SHUTDOWN, "the engine is stopped", results);
            if (!results.close(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.error("Section results were still being delivered after {} s (a callback blocks)", STOP_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        notifier.shutdown();
        threads.close();
        LOG.info("Engine stopped: {}", statistics());
    }
}
