package dev.pathpoint.distribution.hardening;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Steady closed-loop load: keeps a fixed number of one-read sections outstanding, issuing the next as
 * one completes (from the completion callback: {@code execute} never blocks), and records every
 * section with its issue and completion times.
 */
final class Load {
    /** One issued section and, once done, its outcome. */
    static final class Issued {
        final Section section;
        final String pathpoint;
        final AdviseLevel advise;
        final long issuedNanos;
        volatile long completedNanos;
        volatile SectionResult result;
        volatile Throwable failure;

        Issued(Section section, String pathpoint, AdviseLevel advise, long issuedNanos) {
            this.section = section;
            this.pathpoint = pathpoint;
            this.advise = advise;
            this.issuedNanos = issuedNanos;
        }

        boolean done() {
            return completedNanos != 0;
        }

        long latencyMillis() {
            return (completedNanos - issuedNanos) / 1_000_000;
        }
    }

    private final OrderExecutor executor;
    private final AdviseLevel advise;
    private final IntFunction<String> pathpoints;
    private final ConcurrentLinkedQueue<Issued> issued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();

    private final boolean keepRecords;
    private final AtomicLong succeeded = new AtomicLong();

    /** @param pathpoints the pathpoint of the n-th section */
    Load(OrderExecutor executor, AdviseLevel advise, IntFunction<String> pathpoints) {
        this(executor, advise, pathpoints, true);
    }

    /** @param keepRecords false for long runs that only count (so the load itself does not grow the heap) */
    Load(OrderExecutor executor, AdviseLevel advise, IntFunction<String> pathpoints, boolean keepRecords) {
        this.executor = executor;
        this.advise = advise;
        this.pathpoints = pathpoints;
        this.keepRecords = keepRecords;
    }

    private final java.util.Map<String, AtomicLong> failures = new java.util.concurrent.ConcurrentHashMap<>();

    /** Failed sections by the first failed order's outcome, for messages. */
    java.util.Map<String, AtomicLong> failures() {
        return failures;
    }

    long succeeded() {
        return succeeded.get();
    }

    /** Sections issued and not yet completed. */
    long outstanding() {
        return sequence.get() - completed.get();
    }

    Load start(int outstanding) {
        running.set(true);
        for (int i = 0; i < outstanding; i++) {
            issueNext();
        }
        return this;
    }

    /** Stops issuing; sections already issued run to their end. */
    void stop() {
        running.set(false);
    }

    long completed() {
        return completed.get();
    }

    /** Sections completed (in any way) in the interval, by completion time. */
    long completedBetween(long fromNanos, long toNanos) {
        return issued.stream().filter(i -> i.done() && i.completedNanos >= fromNanos && i.completedNanos < toNanos).count();
    }

    boolean allDone() {
        return issued.stream().allMatch(Issued::done);
    }

    List<Issued> issued() {
        return new ArrayList<>(issued);
    }

    private void issueNext() {
        if (!running.get()) {
            return;
        }
        String pathpoint = pathpoints.apply((int) sequence.getAndIncrement());
        Section section = new Section(List.of(new ReadOrder(pathpoint, advise)));
        Issued record = new Issued(section, pathpoint, advise, System.nanoTime());
        if (keepRecords) {
            issued.add(record);
        }
        section.future().whenComplete((result, failure) -> {
            record.result = result;
            record.failure = failure;
            record.completedNanos = System.nanoTime();
            if (result != null && result.succeeded()) {
                succeeded.incrementAndGet();
            } else {
                String what = failure != null ? failure.toString()
                        : result.outcomes().stream().filter(o -> !(o instanceof dev.pathpoint.api.section.OrderOutcome.Done))
                                .findFirst().map(Object::toString).orElse("?");
                failures.computeIfAbsent(what.replaceAll("W\\d+r\\d+", "W_r_"), k -> new AtomicLong()).incrementAndGet();
            }
            completed.incrementAndGet();
            issueNext();
        });
        executor.execute(section);
    }
}
