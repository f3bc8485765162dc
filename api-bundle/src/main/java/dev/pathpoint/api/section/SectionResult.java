package dev.pathpoint.api.section;

import java.util.List;
import java.util.Objects;

/** What happened to a section, order by order, in the section's order. */
public record SectionResult(List<OrderOutcome> outcomes) {

    public SectionResult {
        outcomes = List.copyOf(Objects.requireNonNull(outcomes, "outcomes"));
    }

    /** Whether every order was carried out. */
    public boolean succeeded() {
        return outcomes.stream().allMatch(OrderOutcome::succeeded);
    }

    public OrderOutcome outcome(int index) {
        return outcomes.get(index);
    }
}
