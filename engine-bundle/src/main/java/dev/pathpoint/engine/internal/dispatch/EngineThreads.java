package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.engine.internal.EngineSettings;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * What the engine runs on besides its own state: its event loops (dispatch, results), its pools
 * (handlers, listeners), randomness for retry jitter, and the watch over calls into code that is
 * not the engine's. {@link #real} gives
 * threads; tests give manual ones that the test thread drives, so that a run is deterministic.
 */
interface EngineThreads extends AutoCloseable {

    /**
     * Makes one of the engine's event loops ({@code dispatch}, {@code results}); {@code settle} runs on it
     * after each drain of its events.
     */
    EventLoop newLoop(String role, Runnable settle, BooleanSupplier completionsExpected,
            BooleanSupplier completionsStreaming, EngineSettings settings);

    /**
     * A pool of daemon threads with a bounded queue ({@link java.util.concurrent.RejectedExecutionException}
     * beyond it); idle threads end.
     */
    ExecutorService newPool(String role, int threads, int queueCapacity);

    /** Randomness for the dispatch thread (retry jitter). */
    RandomGenerator random();

    /** Watches calls into drivers made on threads of their own; null to watch nothing. */
    CallWatch callWatch();

    @Override
    void close();

    /** Real threads named after the engine. */
    static EngineThreads real(String name, EngineSettings settings) {
        return new Real(name, settings);
    }

    /** Threads for a running engine. */
    final class Real implements EngineThreads {
        private final String name;
        private final ScheduledExecutorService watchdog;
        private final CallWatch watch;

        private Real(String name, EngineSettings settings) {
            this.name = name;
            this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon(name + "-watchdog"));
            this.watch = new CallWatch(watchdog, settings.blockedCallLimit());
        }

        @Override
        public EventLoop newLoop(String role, Runnable settle, BooleanSupplier completionsExpected,
                BooleanSupplier completionsStreaming, EngineSettings settings) {
            return new DispatchLoop(name + "-" + role, settle, completionsExpected, completionsStreaming,
                    settings.dispatchSpin(), watch);
        }

        @Override
        public ExecutorService newPool(String role, int threads, int queueCapacity) {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(queueCapacity), daemon(name + "-" + role));
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }

        @Override
        public RandomGenerator random() {
            return new SplittableRandom();
        }

        @Override
        public CallWatch callWatch() {
            return watch;
        }

        @Override
        public void close() {
            watch.close();
            watchdog.shutdownNow();
        }

        private static ThreadFactory daemon(String prefix) {
            AtomicInteger count = new AtomicInteger();
            return runnable -> {
                Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
        }
    }
}
