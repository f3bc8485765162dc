package dev.pathpoint.distribution.hardening;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WaitOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.Disposition;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.value.PathpointValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Work piled up behind a stalled device: FORCE reads and writes in joinable sections (running,
 * in flight on the driver), every tenth section a CANNOT_JOIN barrier (so the rest stays queued),
 * and a long wait. Used to check that stopping the engine ends all of it with SHUTDOWN.
 */
final class QueuedWork {
    static final int SECTIONS = 300;

    private QueuedWork() {
    }

    static List<Section> queue(OrderExecutor executor, int unit) {
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < SECTIONS; i++) {
            List<Order> orders = new ArrayList<>();
            orders.add(new ReadOrder("W" + unit + "r" + (i % 100), AdviseLevel.FORCE));
            if (i % 3 == 0) {
                orders.add(new WriteOrder("W" + unit + "r" + (100 + i % 100), PathpointValue.of(i), AdviseLevel.FORCE));
            }
            if (i == 1) {
                orders.add(new WaitOrder(Duration.ofMinutes(10)));
            }
            Section section = new Section(orders, i % 10 == 9 ? Disposition.CANNOT_JOIN : Disposition.JOINABLE);
            sections.add(section);
            executor.execute(section);
        }
        return sections;
    }

    /** Every future is done, and every order failed SHUTDOWN (the device never answered). */
    static void assertAllShutDown(List<Section> sections) throws Exception {
        int orders = 0;
        for (Section section : sections) {
            assertTrue("section future done", section.future().isDone());
            List<OrderOutcome> outcomes = section.future().get().outcomes();
            for (OrderOutcome outcome : outcomes) {
                assertTrue(outcome.toString(), outcome instanceof OrderOutcome.Failed);
                OrderOutcome.Failed failed = (OrderOutcome.Failed) outcome;
                assertEquals(outcome.toString(), OperationFailedReason.SHUTDOWN, failed.reason());
                assertTrue("a clear reason: " + failed.message(), failed.message() != null && !failed.message().isBlank());
                orders++;
            }
        }
        System.out.printf("%d sections, %d orders, all failed SHUTDOWN%n", sections.size(), orders);
    }
}
