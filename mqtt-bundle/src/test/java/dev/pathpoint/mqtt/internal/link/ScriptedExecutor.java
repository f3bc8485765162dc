package dev.pathpoint.mqtt.internal.link;

import dev.pathpoint.api.executor.ExecutorStatistics;
import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An executor for the link's unit tests (the real engine runs in the distribution's tests): reads
 * answer 7, writes echo their value, each section completes on a thread of its own. It can hold
 * sections until released, or reject the next calls as a full queue does.
 */
public final class ScriptedExecutor implements OrderExecutor {
    private final ExecutorService completer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "scripted-executor");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Section> executed = new CopyOnWriteArrayList<>();
    private final List<Section> heldBack = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();
    private final AtomicInteger rejectNext = new AtomicInteger();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile boolean hold;

    /** Holds every section from now on until {@link #release()}. */
    public void hold() {
        hold = true;
    }

    public void release() {
        hold = false;
        List<Section> sections = new ArrayList<>(heldBack);
        heldBack.clear();
        sections.forEach(this::complete);
    }

    /** The next {@code calls} calls throw, as a buggy executor would. */
    public void failNext(int calls) {
        failNext.set(calls);
    }

    /** The next {@code calls} calls are rejected whole, as by a full queue. */
    public void rejectNext(int calls) {
        rejectNext.set(calls);
    }

    @Override
    public void execute(Section... sections) {
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("scripted failure");
        }
        if (rejectNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            for (Section section : sections) {
                section.markAsBeingExecuted();
                section.markAsDone(new SectionResult(section.orders().stream().<OrderOutcome>map(order ->
                        new OrderOutcome.Failed(order, OperationFailedReason.REJECTED, "queue full")).toList()));
            }
            return;
        }
        for (Section section : sections) {
            executed.add(section);
            if (hold) {
                heldBack.add(section);
            } else {
                complete(section);
            }
        }
    }

    private void complete(Section section) {
        completer.execute(() -> {
            if (!section.markAsBeingExecuted()) {
                return; // cancelled while held
            }
            List<OrderOutcome> outcomes = new ArrayList<>();
            for (Order order : section.orders()) {
                if (order instanceof ReadOrder) {
                    outcomes.add(OrderOutcome.done(order, PathpointValue.of(7)));
                } else if (order instanceof WriteOrder write) {
                    writes.computeIfAbsent(write.pathpoint(), p -> new AtomicInteger()).incrementAndGet();
                    outcomes.add(OrderOutcome.done(order, write.value()));
                } else {
                    outcomes.add(OrderOutcome.done(order));
                }
            }
            section.markAsDone(new SectionResult(outcomes));
        });
    }

    /** Sections handed over and run (or held), in order. */
    public List<Section> executed() {
        return List.copyOf(executed);
    }

    /** Sections waiting for {@link #release()}. */
    public int held() {
        return heldBack.size();
    }

    /** How often a pathpoint was written. */
    public int writes(String pathpoint) {
        AtomicInteger count = writes.get(pathpoint);
        return count == null ? 0 : count.get();
    }

    @Override
    public ExecutorStatistics statistics() {
        return new ExecutorStatistics(heldBack.size(), 0, Map.of(), executed.size(), 0, Map.of(), Duration.ZERO, Duration.ZERO);
    }

    public void shutdown() {
        completer.shutdownNow();
    }
}
