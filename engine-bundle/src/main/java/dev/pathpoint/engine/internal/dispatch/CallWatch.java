package dev.pathpoint.engine.internal.dispatch;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the engine's calls into code that is not its own (drivers' {@code execute}, producers'
 * callbacks on section futures), which must return at once. A call still running after the limit is an incident: it is logged at WARN once,
 * naming who blocks, and its {@code onBlocked} action runs (on the watchdog's thread); when the call
 * finally returns, that is logged at INFO. Thread-safe.
 */
final class CallWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallWatch.class);
    private static final int RUNNING = 0;
    private static final int BLOCKED = 1;
    private static final int RETURNED = 2;

    /** One call in progress. */
    static final class Call {
        private final Object who;
        private final long startedNanos = System.nanoTime();
        private final Runnable onBlocked;
        private final AtomicInteger state = new AtomicInteger(RUNNING);

        private Call(Object who, Runnable onBlocked) {
            this.who = who;
            this.onBlocked = onBlocked;
        }
    }

    private final Set<Call> running = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> checks;
    private volatile long limitNanos;

    CallWatch(ScheduledExecutorService scheduler, Duration limit) {
        setLimit(limit);
        long period = Math.max(10, limit.toMillis() / 4);
        this.checks = scheduler.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    void setLimit(Duration limit) {
        limitNanos = limit.toNanos();
    }

    /** Starts watching a call; {@code onBlocked} runs if it becomes an incident. */
    Call begin(Object who, Runnable onBlocked) {
        Call call = new Call(who, onBlocked);
        running.add(call);
        return call;
    }

    /** The call returned; false if it had been declared blocked meanwhile (its {@code onBlocked} ran). */
    boolean end(Call call) {
        running.remove(call);
        if (call.state.compareAndSet(RUNNING, RETURNED)) {
            return true;
        }
        LOG.info("{} returned after {} ms", call.who, (System.nanoTime() - call.startedNanos) / 1_000_000);
        return false;
    }

    private void check() {
        long now = System.nanoTime();
        for (Call call : running) {
            long blocked = now - call.startedNanos;
            if (blocked > limitNanos && call.state.compareAndSet(RUNNING, BLOCKED)) {
                LOG.warn("{} has not returned for {} ms, although it must return at once: the engine goes on without"
                        + " waiting for it, on a fresh thread", call.who, blocked / 1_000_000);
                try {
                    call.onBlocked.run();
                } catch (RuntimeException | Error e) {
                    LOG.error("Handling the blocked call of {} failed", call.who, e);
                }
            }
        }
    }

    @Override
    public void close() {
        checks.cancel(false);
    }
}
