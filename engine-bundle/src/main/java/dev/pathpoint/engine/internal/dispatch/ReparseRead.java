package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.reparse.ReparseTree;
import java.util.List;

/**
 * The read of a reparse pathpoint: one read per leaf constituent, each waiting in its own lane like
 * any read (so they join the batch of everything else, and a leaf read by several orders at once is
 * read once), then the evaluation. Dispatch thread only.
 */
final class ReparseRead implements OrderTarget {
    /** Told when every constituent has an outcome. */
    interface Completion {
        void constituentsDone(ReparseRead read);
    }

    final RunningSection section;
    final int index;
    final ReadOrder order;
    final ReparseTree tree;
    private final Completion completion;
    private final OrderOutcome[] constituents;
    private int remaining;

    ReparseRead(RunningSection section, int index, ReadOrder order, ReparseTree tree, Completion completion) {
        this.section = section;
        this.index = index;
        this.order = order;
        this.tree = tree;
        this.completion = completion;
        this.constituents = new OrderOutcome[tree.leaves().size()];
        this.remaining = constituents.length;
    }

    /** The leaves to read, in the order of {@link ReparseTree#leaves()}. */
    List<String> leaves() {
        return tree.leaves();
    }

    @Override
    public void finish(int leaf, OrderOutcome outcome) {
        if (constituents[leaf] != null) {
            return;
        }
        constituents[leaf] = outcome;
        if (--remaining == 0) {
            completion.constituentsDone(this);
        }
    }

    boolean isComplete() {
        return remaining == 0;
    }

    /**
     * The first constituent that has no value, as the reparse read's failure naming it; null if every
     * one has a value. Any failed constituent fails the read, also one in a branch the evaluation
     * would not take (as in the seed, which reads all of them first).
     */
    OperationFailedException firstFailure() {
        List<String> leaves = tree.leaves();
        for (int i = 0; i < constituents.length; i++) {
            if (constituents[i] instanceof OrderOutcome.Failed failed) {
                return new OperationFailedException(failed.reason(), "reparse pathpoint '" + order.pathpoint()
                        + "': constituent '" + leaves.get(i) + "' failed: " + failed.message());
            }
            if (!(constituents[i] instanceof OrderOutcome.Done done && done.value().isPresent())) {
                return new OperationFailedException(OperationFailedReason.ERROR, "reparse pathpoint '" + order.pathpoint()
                        + "': constituent '" + leaves.get(i) + "' gave no value (" + constituents[i] + ")");
            }
        }
        return null;
    }

    /** The value of a leaf; call once {@link #firstFailure()} is null. */
    PathpointValue valueOf(String leaf) {
        return ((OrderOutcome.Done) constituents[tree.leaves().indexOf(leaf)]).value().orElseThrow();
    }
}
