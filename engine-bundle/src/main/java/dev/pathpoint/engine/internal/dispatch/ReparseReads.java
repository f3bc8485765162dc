package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.PathpointOrder;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.reparse.ReparseTree;
import dev.pathpoint.engine.internal.store.PathpointValueStore;
import dev.pathpoint.engine.internal.time.TimeSource;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of reparse pathpoints: the name is checked whole at once (INVALID naming the position), then
 * one read per leaf constituent goes to {@link Lanes} like any read, so the constituents join the
 * batches of the pass; when every constituent has its outcome the expression is evaluated, its value
 * stored and the order finished. Dispatch thread only.
 */
final class ReparseReads {
    /** Parsed reparse names kept for reuse. */
    static final int TREES_KEPT = 1024;
    private final Lanes lanes;
    private final PathpointValueStore store;
    private final TimeSource time;
    /** Parsed reparse names, the most recently used; bounded since names come from outside. */
    private final Map<String, ReparseTree> trees = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ReparseTree> eldest) {
            return size() > TREES_KEPT;
        }
    };

    ReparseReads(Lanes lanes, PathpointValueStore store, TimeSource time) {
        this.lanes = lanes;
        this.store = store;
        this.time = time;
    }

    /** An order on a reparse pathpoint of a starting section: a write ends INVALID (read-only). */
    void submit(RunningSection section, int index, PathpointOrder order) {
        if (order instanceof WriteOrder) {
            section.finish(index, new OrderOutcome.Failed(order, OperationFailedReason.INVALID, "reparse pathpoint '"
                    + order.pathpoint() + "' is read-only: its value is computed from other pathpoints"));
            return;
        }
        ReparseTree tree;
        try {
            tree = tree(order.pathpoint());
        } catch (OperationFailedException invalid) {
            section.finish(index, OrderOutcome.failed(order, invalid));
            return;
        }
        ReparseRead read = new ReparseRead(section, index, (ReadOrder) order, tree, this::evaluate);
        List<String> leaves = tree.leaves();
        if (leaves.isEmpty()) {
            evaluate(read);
            return;
        }
        for (int leaf = 0; leaf < leaves.size(); leaf++) {
            lanes.submit(read, leaf, new ReadOrder(leaves.get(leaf), order.advise()));
        }
    }

    private ReparseTree tree(String pathpoint) throws OperationFailedException {
        ReparseTree tree = trees.get(pathpoint);
        if (tree == null) {
            tree = ReparseTree.resolve(pathpoint);
            trees.put(pathpoint, tree);
        }
        return tree;
    }

    /** Every constituent of a reparse read has its outcome: evaluate, store and finish the order. */
    private void evaluate(ReparseRead read) {
        OrderOutcome outcome;
        String pathpoint = read.order.pathpoint();
        try {
            OperationFailedException constituentFailed = read.firstFailure();
            if (constituentFailed != null) {
                throw constituentFailed;
            }
            PathpointValue value = read.tree.evaluate(read::valueOf);
            store.record(new Reading.Success(pathpoint, newestConstituentReading(read), value), time.nanoTime());
            outcome = OrderOutcome.done(read.order, value);
        } catch (OperationFailedException failure) {
            if (failure.reason().isRetryable() || failure.reason() == OperationFailedReason.TYPE) {
                // the device answered, or its values gave no result: as for any read a driver answered
                store.record(new Reading.Failure(pathpoint, time.now(), failure.reason(), failure.getMessage()), time.nanoTime());
            }
            outcome = OrderOutcome.failed(read.order, failure);
        }
        read.section.finish(read.index, outcome);
    }

    /** A reparse reading is as old as its newest constituent's (as in the seed). */
    private Instant newestConstituentReading(ReparseRead read) {
        Instant newest = null;
        for (String leaf : read.leaves()) {
            Optional<Reading> reading = store.reading(leaf);
            if (reading.isPresent() && (newest == null || reading.get().timestamp().isAfter(newest))) {
                newest = reading.get().timestamp();
            }
        }
        return newest != null ? newest : time.now();
    }

    /** What an unfinished reparse read waits for, in words. */
    static String describe() {
        return "waits for the reads of its constituents";
    }
}
