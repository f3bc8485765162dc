package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import java.util.Arrays;
import java.util.Collection;

/**
 * A section accepted by the engine: queued, then running with one outcome slot per order. When its
 * last order has an outcome it puts itself on the list of finished sections, which the scheduler
 * completes; so whatever ends an order never needs to know who waits for the section. Its running
 * state is touched by the dispatch thread only.
 */
final class RunningSection extends NodeList.Node<RunningSection> implements OrderTarget {
    final Section section;
    final long acceptedAtNanos;
    long startedAtNanos;
    /** The timer of the section's longest wait, while it runs. */
    Timers.Timer waitTimer;
    private Collection<RunningSection> finished;
    private OrderOutcome[] outcomes;
    private int remaining;

    RunningSection(Section section, long acceptedAtNanos) {
        this.section = section;
        this.acceptedAtNanos = acceptedAtNanos;
    }

    /** The section starts: its orders may now finish; once all have, it joins {@code finished}. */
    void begin(long nowNanos, Collection<RunningSection> finishedSections) {
        startedAtNanos = nowNanos;
        finished = finishedSections;
        outcomes = new OrderOutcome[section.orders().size()];
        remaining = outcomes.length;
        if (remaining == 0) {
            finished.add(this);
        }
    }

    boolean isBarrier() {
        return !section.isJoinable();
    }

    boolean hasStarted() {
        return outcomes != null;
    }

    /** Records an order's outcome; an order that already has one (a late completion) keeps it. */
    @Override
    public void finish(int index, OrderOutcome outcome) {
        if (outcomes[index] != null) {
            return;
        }
        outcomes[index] = outcome;
        if (--remaining == 0) {
            finished.add(this);
        }
    }

    boolean isFinished(int index) {
        return outcomes[index] != null;
    }

    OrderOutcome[] outcomes() {
        return outcomes;
    }

    @Override
    public String toString() {
        return section + (outcomes == null ? "" : " " + Arrays.toString(outcomes));
    }
}
