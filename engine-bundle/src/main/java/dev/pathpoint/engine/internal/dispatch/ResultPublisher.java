package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes section futures on the engine's results thread, never on the dispatch thread: whatever a
 * producer's callback does (block on a database, publish over a network) does not hold up the
 * devices. The results thread is an event loop of its own, watched like the dispatch thread: a
 * callback that does not return within the blocked-call limit is logged, and the results go on on a
 * fresh thread while the blocked one finishes it. A section and the sections it was joined from
 * complete in one call, in order. Also runs, off the dispatch thread, other code that is not the
 * engine's (completing driver operations). Thread-safe.
 */
final class ResultPublisher implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(ResultPublisher.class);
    private static final Runnable NOTHING = () -> { };

    private final EventLoop loop;

    ResultPublisher(EventLoop loop) {
        this.loop = loop;
    }

    /** Completes a running section's future with its outcomes. */
    void publish(RunningSection running) {
        SectionResult result = new SectionResult(Arrays.asList(running.outcomes()));
        execute(() -> running.section.markAsDone(result));
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
            execute(() -> section.markAsDone(result));
        }
    }

    /** Runs code that is not the engine's (callbacks of futures, of driver operations), watched. */
    @Override
    public void execute(Runnable call) {
        Runnable watched = () -> loop.callOut("a producer's callback on a section's future", () -> {
            try {
                call.run();
            } catch (RuntimeException e) {
                LOG.warn("A section's result could not be delivered", e);
            }
        }, NOTHING);
        if (!loop.post(watched)) {
            // the engine has stopped and its results thread with it: complete here rather than never
            call.run();
        }
    }

    /** Delivers what is queued, then stops; returns whether it all went out in time. */
    boolean close(long timeout, TimeUnit unit) throws InterruptedException {
        return !loop.post(loop::stop) || loop.awaitTermination(timeout, unit);
    }
}
