package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes section futures on a pool of result threads, never on the dispatch thread: whatever a
 * producer's callback does (block on a database, publish over a network) delays only that callback.
 * A section and the sections it was joined from complete in one task, in order. Thread-safe.
 */
final class ResultPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(ResultPublisher.class);

    private final ExecutorService pool;

    ResultPublisher(ExecutorService pool) {
        this.pool = pool;
    }

    /** Completes a running section's future with its outcomes. */
    void publish(RunningSection running) {
        SectionResult result = new SectionResult(Arrays.asList(running.outcomes()));
        submit(() -> running.section.markAsDone(result));
    }

    /** Completes a section that will not run, unless it was cancelled, with every order failed. */
    void failUnstarted(Section section, OperationFailedReason reason, String message) {
        boolean start;
        try {
            start = section.markAsBeingExecuted();
        } catch (IllegalStateException alreadyStarted) {
            return;
        }
        if (start) {
            List<OrderOutcome> outcomes = new ArrayList<>(section.orders().size());
            for (Order order : section.orders()) {
                outcomes.add(new OrderOutcome.Failed(order, reason, message));
            }
            SectionResult result = new SectionResult(outcomes);
            submit(() -> section.markAsDone(result));
        }
    }

    private void submit(Runnable completion) {
        try {
            pool.execute(() -> {
                try {
                    completion.run();
                } catch (RuntimeException | Error e) {
                    LOG.warn("A section's result could not be delivered", e);
                }
            });
        } catch (RejectedExecutionException stopped) {
            // the engine is closing and its result threads are gone: complete here rather than never
            completion.run();
        }
    }

    /** Delivers what is queued, then stops; returns whether it all went out in time. */
    boolean close(long timeout, TimeUnit unit) throws InterruptedException {
        pool.shutdown();
        return pool.awaitTermination(timeout, unit);
    }
}
