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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sysctl and message orders on a small bounded pool of handler threads (handlers may take time;
 * the dispatch thread never calls them), and brings their outcomes back to the dispatch thread.
 * Message orders are retried as {@code fail()} allows, after the retry backoff.
 */
final class HandlerInvoker {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerInvoker.class);

    private final DispatchLoop loop;
    private final TimerQueue timers;
    private final HandlerRegistry handlers;
    private final EngineStatistics statistics;
    private final OrderSink sink;
    private final String threadPrefix;
    private final AtomicInteger threadCount = new AtomicInteger();
    private ThreadPoolExecutor pool;
    private EngineSettings settings;

    HandlerInvoker(DispatchLoop loop, TimerQueue timers, HandlerRegistry handlers, EngineStatistics statistics,
            OrderSink sink, EngineSettings settings, String threadPrefix) {
        this.loop = loop;
        this.timers = timers;
        this.handlers = handlers;
        this.statistics = statistics;
        this.sink = sink;
        this.settings = settings;
        this.threadPrefix = threadPrefix;
        this.pool = newPool(settings);
    }

    private ThreadPoolExecutor newPool(EngineSettings settings) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(settings.handlerPoolSize(), settings.handlerPoolSize(),
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(settings.handlerQueueCapacity()), runnable -> {
                    Thread thread = new Thread(runnable, threadPrefix + threadCount.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** Applies new pool settings; calls already queued still run. Dispatch thread. */
    void reconfigure(EngineSettings next) {
        if (next.handlerQueueCapacity() != settings.handlerQueueCapacity()) {
            ThreadPoolExecutor old = pool;
            pool = newPool(next);
            old.shutdown();
        } else if (next.handlerPoolSize() != settings.handlerPoolSize()) {
            if (next.handlerPoolSize() > pool.getMaximumPoolSize()) {
                pool.setMaximumPoolSize(next.handlerPoolSize());
                pool.setCorePoolSize(next.handlerPoolSize());
            } else {
                pool.setCorePoolSize(next.handlerPoolSize());
                pool.setMaximumPoolSize(next.handlerPoolSize());
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
        } catch (RejectedExecutionException full) {
            sink.finish(section, index, new OrderOutcome.Failed(order, OperationFailedReason.REJECTED,
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
        if (retry) {
            loop.post(() -> {
                statistics.retried();
                timers.after(settings.retryBackoff().toNanos(), () -> submit(section, index, order));
            });
        } else {
            loop.post(() -> sink.finish(section, index, result));
        }
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

    void shutdown() {
        pool.shutdownNow();
    }
}
