package dev.pathpoint.distribution.hardening;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Steady closed-loop load: keeps a fixed number of one-read sections outstanding, issuing the next as
 * one completes (from the completion callback: {@code execute} never blocks). Each completed section
 * is checked as it completes and then forgotten, so a soak of any length holds only counters: how
 * many completed, succeeded and failed (by reason), the newest successful issue, and the violations
 * the check found (the first few verbatim).
 */
final class Load {
    /** Violations kept verbatim for messages; the rest are only counted. */
    private static final int KEPT_VIOLATIONS = 10;

    /** One completed section, as the check sees it. */
    static final class Completed {
        final String pathpoint;
        final long issuedNanos;
        final long completedNanos;
        final SectionResult result;
        final Throwable failure;

        Completed(String pathpoint, long issuedNanos, long completedNanos, SectionResult result, Throwable failure) {
            this.pathpoint = pathpoint;
            this.issuedNanos = issuedNanos;
            this.completedNanos = completedNanos;
            this.result = result;
            this.failure = failure;
        }

        boolean succeeded() {
            return result != null && result.succeeded();
        }

        /** The failed read's reason, or null if it succeeded or the future failed without a result. */
        OperationFailedReason reason() {
            return result != null && result.outcome(0) instanceof OrderOutcome.Failed failed ? failed.reason() : null;
        }

        long latencyMillis() {
            return (completedNanos - issuedNanos) / 1_000_000;
        }

        @Override
        public String toString() {
            return pathpoint + " after " + latencyMillis() + " ms: " + (failure != null ? failure : result);
        }
    }

    private final OrderExecutor executor;
    private final AdviseLevel advise;
    private final IntFunction<String> pathpoints;
    /** Returns what is wrong with a completed section, or null. */
    private final Function<Completed, String> check;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    /** Issue time of the newest successful section; starts a day before the load (nanoTime may be negative). */
    private final AtomicLong newestSuccessfulIssue = new AtomicLong(System.nanoTime() - 86_400_000_000_000L);
    /** Failed sections by reason; keyed by reason only, so a soak cannot grow it. */
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    /** The first failure seen of each reason, for messages. */
    private final Map<String, String> failureExamples = new ConcurrentHashMap<>();
    private final AtomicLong violations = new AtomicLong();
    private final ConcurrentLinkedQueue<String> keptViolations = new ConcurrentLinkedQueue<>();

    /** A load whose sections are only counted. */
    Load(OrderExecutor executor, AdviseLevel advise, IntFunction<String> pathpoints) {
        this(executor, advise, pathpoints, completed -> null);
    }

    /** @param check what is wrong with a completed section, or null; runs on the completing thread */
    Load(OrderExecutor executor, AdviseLevel advise, IntFunction<String> pathpoints, Function<Completed, String> check) {
        this.executor = executor;
        this.advise = advise;
        this.pathpoints = pathpoints;
        this.check = check;
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

    long succeeded() {
        return succeeded.get();
    }

    /** Sections issued and not yet completed. */
    long outstanding() {
        return sequence.get() - completed.get();
    }

    /** Failed sections by reason, each with its first example, for messages. */
    String failures() {
        StringBuilder text = new StringBuilder("{");
        failures.forEach((reason, count) -> text.append(text.length() > 1 ? "; " : "").append(reason).append(" x").append(count)
                .append(" (first: ").append(failureExamples.get(reason)).append(')'));
        return text.append('}').toString();
    }

    /** Failed sections whose read failed with this reason. */
    long failedWith(OperationFailedReason reason) {
        AtomicLong count = failures.get(reason.name());
        return count == null ? 0 : count.get();
    }

    /** Whether a section issued after {@code nanos} (System.nanoTime) has succeeded. */
    boolean succeededAfterIssueAt(long nanos) {
        return newestSuccessfulIssue.get() - nanos > 0;
    }

    long violations() {
        return violations.get();
    }

    List<String> firstViolations() {
        return new ArrayList<>(keptViolations);
    }

    private void issueNext() {
        if (!running.get()) {
            return;
        }
        String pathpoint = pathpoints.apply((int) sequence.getAndIncrement());
        Section section = new Section(List.of(new ReadOrder(pathpoint, advise)));
        long issuedNanos = System.nanoTime();
        section.future().whenComplete((result, failure) -> {
            record(new Completed(pathpoint, issuedNanos, System.nanoTime(), result, failure));
            issueNext();
        });
        executor.execute(section);
    }

    private void record(Completed done) {
        try {
            if (done.succeeded()) {
                succeeded.incrementAndGet();
                newestSuccessfulIssue.accumulateAndGet(done.issuedNanos, (a, b) -> b - a > 0 ? b : a);
            } else {
                String reason = done.failure != null ? "FUTURE_FAILED" : String.valueOf(done.reason());
                failureExamples.putIfAbsent(reason, done.toString());
                failures.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
            }
            String violation = check.apply(done);
            if (violation != null && violations.incrementAndGet() <= KEPT_VIOLATIONS) {
                keptViolations.add(violation);
            }
        } catch (RuntimeException e) {
            // a broken check must show up as a violation, not silently stop the load
            if (violations.incrementAndGet() <= KEPT_VIOLATIONS) {
                keptViolations.add("check failed on " + done + ": " + e);
            }
        } finally {
            completed.incrementAndGet();
        }
    }
}
