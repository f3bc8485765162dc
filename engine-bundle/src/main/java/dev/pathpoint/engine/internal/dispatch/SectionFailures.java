package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import java.util.ArrayList;
import java.util.List;

/** Completing sections that will not run (rejected, or the engine stopped) with every order failed. */
final class SectionFailures {
    private SectionFailures() {
    }

    /** Completes a section that has not started, unless it was cancelled meanwhile. */
    static void failUnstarted(Section section, OperationFailedReason reason, String message) {
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
            section.markAsDone(new SectionResult(outcomes));
        }
    }
}
