package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.engine.internal.EngineSettings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * Threads that are not threads: the event loop and every pool run on the test's own thread when it
 * calls {@link #runUntilQuiet()}, so an engine run is deterministic and repeatable from its inputs.
 */
final class ManualThreads implements EngineThreads {
    private final List<ManualPool> pools = new ArrayList<>();
    private final List<ExecutorService> realPools = new ArrayList<>();
    private final long seed;
    private final java.util.Set<String> threadedRoles;
    private final List<ManualLoop> loops = new ArrayList<>();

    /**
     * @param threadedRoles pools that get real threads (e.g. {@code handler}, for a handler that blocks
     *        until the test releases it); their tasks' effects still reach the engine through its loop
     */
    ManualThreads(long seed, java.util.Set<String> threadedRoles) {
        this.seed = seed;
        this.threadedRoles = threadedRoles;
    }

    /** An event loop run by the test thread. */
    static final class ManualLoop implements EventLoop {
        private final ArrayDeque<Runnable> events = new ArrayDeque<>();
        private final Runnable settle;
        private boolean stopped;

        ManualLoop(Runnable settle) {
            this.settle = settle;
        }

        @Override
        public synchronized boolean post(Runnable event) {
            if (stopped) {
                return false;
            }
            events.add(event);
            return true;
        }

        private synchronized Runnable next() {
            return events.poll();
        }

        /** Runs every event, settling after each drain, until none is left; returns whether it ran any. */
        boolean drain() {
            boolean ran = false;
            Runnable event;
            while (!stopped && (event = next()) != null) {
                ran = true;
                event.run();
                if (!stopped && isEmpty()) {
                    settle.run();
                }
            }
            return ran;
        }

        private synchronized boolean isEmpty() {
            return events.isEmpty();
        }

        @Override
        public void callOut(String who, Runnable call, Runnable onBlocked) {
            call.run();
        }

        @Override
        public boolean inLoop() {
            return true;
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
            stopped = true;
        }

        /** Runs what was posted before the stop, as the real loop's thread would before it ends. */
        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            drain();
            return true;
        }
    }

    /** A pool whose tasks run when the test says so. */
    static final class ManualPool extends AbstractExecutorService {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private final int capacity;
        private boolean shutdown;

        ManualPool(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public synchronized void execute(Runnable command) {
            if (shutdown) {
                throw new RejectedExecutionException("shut down");
            }
            if (tasks.size() >= capacity) {
                throw new RejectedExecutionException("full");
            }
            tasks.add(command);
        }

        synchronized Runnable next() {
            return tasks.poll();
        }

        /** Runs the queued tasks, and those they queue; returns whether it ran any. */
        boolean runAll() {
            boolean ran = false;
            Runnable task;
            while ((task = next()) != null) {
                ran = true;
                task.run();
            }
            return ran;
        }

        @Override
        public synchronized void shutdown() {
            shutdown = true;
        }

        @Override
        public synchronized List<Runnable> shutdownNow() {
            shutdown = true;
            List<Runnable> left = new ArrayList<>(tasks);
            tasks.clear();
            return left;
        }

        @Override
        public synchronized boolean isShutdown() {
            return shutdown;
        }

        @Override
        public synchronized boolean isTerminated() {
            return shutdown && tasks.isEmpty();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            runAll();
            return true;
        }
    }

    /** What the dispatch loop asks before it spins: whether a completion it should wait for is due. */
    volatile BooleanSupplier dispatchSpinQuestion = () -> false;
    /** What the dispatch loop asks before it parks: whether completions come in a stream (it yields first). */
    volatile BooleanSupplier dispatchStreamQuestion = () -> false;

    @Override
    public synchronized EventLoop newLoop(String role, Runnable settle, BooleanSupplier completionsExpected,
            BooleanSupplier completionsStreaming, EngineSettings settings) {
        ManualLoop loop = new ManualLoop(settle);
        loops.add(loop);
        if ("dispatch".equals(role)) {
            dispatchSpinQuestion = completionsExpected;
            dispatchStreamQuestion = completionsStreaming;
        }
        return loop;
    }

    @Override
    public synchronized ExecutorService newPool(String role, int threads, int queueCapacity) {
        if (threadedRoles.contains(role)) {
            java.util.concurrent.ThreadPoolExecutor real = new java.util.concurrent.ThreadPoolExecutor(threads, threads,
                    1, TimeUnit.MINUTES, new java.util.concurrent.LinkedBlockingQueue<>(queueCapacity));
            realPools.add(real);
            return real;
        }
        ManualPool pool = new ManualPool(queueCapacity);
        pools.add(pool);
        return pool;
    }

    @Override
    public RandomGenerator random() {
        return new SplittableRandom(seed);
    }

    @Override
    public CallWatch callWatch() {
        return null;
    }

    /** Runs the pools' queued tasks (not the loop's events); returns whether it ran any. */
    boolean runPools() {
        List<ManualPool> current;
        synchronized (this) {
            current = List.copyOf(pools);
        }
        boolean ran = false;
        for (ManualPool pool : current) {
            ran |= pool.runAll();
        }
        return ran;
    }

    /** Runs loop events and pool tasks until nothing is left to run. */
    void runUntilQuiet() {
        boolean ran;
        do {
            ran = false;
            List<ManualLoop> current;
            synchronized (this) {
                current = List.copyOf(loops);
            }
            for (ManualLoop loop : current) {
                ran |= loop.drain();
            }
            ran |= runPools();
        } while (ran);
    }

    @Override
    public synchronized void close() {
        realPools.forEach(ExecutorService::shutdownNow);
    }
}
