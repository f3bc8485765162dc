package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import java.util.Arrays;

/**
 * A section accepted by the engine: queued, then running with one outcome slot per order. Its
 * running state is touched by the dispatch thread only.
 */
final class RunningSection extends NodeList.Node<RunningSection> {
    final Section section;
    final long acceptedAtNanos;
    private OrderOutcome[] outcomes;
    private int remaining;

    RunningSection(Section section, long acceptedAtNanos) {
        this.section = section;
        this.acceptedAtNanos = acceptedAtNanos;
    }

    void begin() {
        outcomes = new OrderOutcome[section.orders().size()];
        remaining = outcomes.length;
    }

    boolean isBarrier() {
        return !section.isJoinable();
    }

    /**
     * Records an order's outcome.
     *
     * @return whether this was the last order of the section; false also if the order already had
     *         an outcome (a late completion after shutdown)
     */
    boolean finish(int index, OrderOutcome outcome) {
        if (outcomes[index] != null) {
            return false;
        }
        outcomes[index] = outcome;
        return --remaining == 0;
    }

    boolean isFinished(int index) {
        return outcomes[index] != null;
    }

    boolean allFinished() {
        return remaining == 0;
    }

    OrderOutcome[] outcomes() {
        return outcomes;
    }

    int remaining() {
        return remaining;
    }

    @Override
    public String toString() {
        return section + (outcomes == null ? "" : " " + Arrays.toString(outcomes));
    }
}
