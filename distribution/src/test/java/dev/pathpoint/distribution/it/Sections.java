package dev.pathpoint.distribution.it;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.order.Order;
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
}
