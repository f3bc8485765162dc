package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.message.MessageHandler;
import dev.pathpoint.api.order.MessageOrder;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.SysctlOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.sysctl.SysctlHandler;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.engine.internal.registry.HandlerRegistry;
import dev.pathpoint.engine.internal.stats.EngineStatistics;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sysctl and message orders on a small bounded pool of handler threads (handlers may take time;
 * the dispatch thread never calls them), and brings their outcomes back to the dispatch thread.
 * Message orders are retried as {@code fail()} allows, after the retry backoff.
 */
final class HandlerInvoker {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerInvoker.class);

    private final EventLoop loop;
    private final Timers timers;
    private final HandlerRegistry handlers;
    private final RetryBackoff backoff;
    private final EngineStatistics statistics;
    /** Makes a pool with the given queue capacity, of the configured size. */
    private final PoolFactory pools;
    private ExecutorService pool;
    private EngineSettings settings;
    /** Orders handed to a handler thread or queued for one, not yet back. Dispatch thread only. */
    private int running;

    interface PoolFactory {
        ExecutorService newPool(int threads, int queueCapacity);
    }

    HandlerInvoker(EventLoop loop, Timers timers, HandlerRegistry handlers, RetryBackoff backoff,
            EngineStatistics statistics, PoolFactory pools, EngineSettings settings) {
        this.loop = loop;
        this.timers = timers;
        this.handlers = handlers;
        this.backoff = backoff;
        this.statistics = statistics;
        this.pools = pools;
        this.settings = settings;
        this.pool = pools.newPool(settings.handlerPoolSize(), settings.handlerQueueCapacity());
    }

    /** Applies new pool settings; calls already queued still run. Dispatch thread. */
    void reconfigure(EngineSettings next) {
        boolean resized = next.handlerPoolSize() != settings.handlerPoolSize();
        if (next.handlerQueueCapacity() != settings.handlerQueueCapacity()
                || resized && !(pool instanceof ThreadPoolExecutor)) {
            ExecutorService old = pool;
            pool = pools.newPool(next.handlerPoolSize(), next.handlerQueueCapacity());
            old.shutdown();
        } else if (resized) {
            ThreadPoolExecutor threads = (ThreadPoolExecutor) pool;
            // the core size may never exceed the maximum, in either direction of the change
            if (next.handlerPoolSize() > threads.getMaximumPoolSize()) {
                threads.setMaximumPoolSize(next.handlerPoolSize());
                threads.setCorePoolSize(next.handlerPoolSize());
            } else {
                threads.setCorePoolSize(next.handlerPoolSize());
                threads.setMaximumPoolSize(next.handlerPoolSize());
            }
        }
        settings = next;
    }

    /** Starts a sysctl or message order. Dispatch thread. */
    void submit(RunningSection section, int index, Order order) {
        if (section.isFinished(index)) {
            return; // finished meanwhile (engine stopping)
        }
        try {
            pool.execute(() -> call(section, index, order));
            running++;
        } catch (RejectedExecutionException full) {
            section.finish(index, new OrderOutcome.Failed(order, OperationFailedReason.REJECTED,
                    "the handler queue is full (" + settings.handlerQueueCapacity() + " calls waiting)"));
        }
    }

    /** On a handler thread. */
    private void call(RunningSection section, int index, Order order) {
        OrderOutcome outcome;
        boolean retry = false;
        if (order instanceof SysctlOrder sysctl) {
            outcome = callSysctl(sysctl);
        } else {
            MessageOrder message = (MessageOrder) order;
            MessageHandler handler = handlers.messageHandler();
            if (handler == null) {
                outcome = new OrderOutcome.Unhandled(order);
            } else {
                try {
                    handler.acknowledge(message.uuid());
                    outcome = OrderOutcome.done(order);
                } catch (OperationFailedException e) {
                    retry = e.reason().isRetryable() && order.fail();
                    outcome = OrderOutcome.failed(order, e);
                } catch (RuntimeException e) {
                    LOG.warn("Message handler {} threw on {}", handler, message, e);
                    outcome = new OrderOutcome.Failed(order, OperationFailedReason.ERROR, "message handler threw " + e);
                }
            }
        }
        OrderOutcome result = outcome;
        boolean again = retry;
        loop.post(() -> {
            running--;
            if (again) {
                statistics.retried();
                timers.after(backoff.delayNanos(order.failures()), () -> submit(section, index, order));
            } else {
                section.finish(index, result);
            }
        });
    }

    private OrderOutcome callSysctl(SysctlOrder order) {
        SysctlHandler handler = handlers.sysctlHandlerFor(order.opType());
        if (handler == null) {
            return new OrderOutcome.Unhandled(order);
        }
        try {
            String report = handler.execute(order.opType(), order.opArgs());
            return report == null || report.isEmpty() ? OrderOutcome.done(order)
                    : OrderOutcome.done(order, PathpointValue.of(report));
        } catch (OperationFailedException e) {
            return OrderOutcome.failed(order, e);
        } catch (RuntimeException e) {
            LOG.warn("Sysctl handler {} threw on {}", handler, order, e);
            return new OrderOutcome.Failed(order, OperationFailedReason.ERROR,
                    "sysctl handler for '" + order.opType() + "' threw " + e);
        }
    }

    /** Handler calls queued or running, not yet back. Dispatch thread. */
    int running() {
        return running;
    }

    void shutdown() {
        pool.shutdownNow();
    }
}
