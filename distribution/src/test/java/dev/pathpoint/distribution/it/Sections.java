package dev.pathpoint.distribution.it;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Running orders through the executor and waiting, boundedly, for their outcomes. */
final class Sections {
    static final long RESULT_TIMEOUT_SECONDS = 60;

    private Sections() {
    }

    static SectionResult run(OrderExecutor executor, Order... orders) throws Exception {
        Section section = new Section(List.of(orders));
        executor.execute(section);
        return section.future().get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    static OrderOutcome runOne(OrderExecutor executor, Order order) throws Exception {
        return run(executor, order).outcome(0);
    }

    /**
     * Waits until the default configuration (applied by FileInstall after the framework starts) serves
     * the simulator: a FORCE read waits for the driver to appear.
     */
    static void awaitDefaultDevice(OrderExecutor executor) throws Exception {
        OrderOutcome outcome = runOne(executor, new ReadOrder("W1r0", AdviseLevel.FORCE));
        if (!outcome.succeeded()) {
            throw new AssertionError("the default simulator connection did not come up: " + outcome);
        }
    }
}
