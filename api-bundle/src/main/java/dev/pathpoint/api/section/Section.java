package dev.pathpoint.api.section;

import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.WaitOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bunch of orders that can be thought to execute in parallel, and its lifecycle: pending, then
 * executing, then done with a {@link SectionResult}; or cancelled before it started.
 *
 * <p>Consecutive {@link Disposition#JOINABLE} sections may run together (see {@link #join}); a
 * {@link Disposition#CANNOT_JOIN} section runs alone, after everything before it.
 *
 * <p>A section is safe to share between threads: its orders never change, and its state moves only
 * forwards, atomically.
 */
public final class Section {
    private final List<Order> orders;
    private final Disposition disposition;
    /** The sections this one was joined from, in queue order; empty for a plain section. */
    private final List<Section> parts;
    private final AtomicReference<SectionState> state = new AtomicReference<>(SectionState.PENDING);
    private final SectionFuture future = new SectionFuture(this);

    /** A joinable section. */
    public Section(List<? extends Order> orders) {
        this(orders, Disposition.JOINABLE);
    }

    public Section(List<? extends Order> orders, Disposition disposition) {
        this(List.copyOf(requireOrders(orders)), requireDisposition(disposition), List.of());
    }

    private Section(List<Order> orders, Disposition disposition, List<Section> parts) {
        this.orders = orders;
        this.disposition = disposition;
        this.parts = parts;
    }

    /** A joinable section of the given orders. */
    public static Section of(Order... orders) {
        return new Section(List.of(orders));
    }

    private static List<? extends Order> requireOrders(List<? extends Order> orders) {
        if (orders == null) {
            throw new IllegalArgumentException("orders must not be null");
        }
        for (int i = 0; i < orders.size(); i++) {
            if (orders.get(i) == null) {
                throw new IllegalArgumentException("orders[" + i + "] is null");
            }
        }
        return orders;
    }

    private static Disposition requireDisposition(Disposition disposition) {
        if (disposition == null) {
            throw new IllegalArgumentException("disposition must not be null");
        }
        return disposition;
    }

    /**
     * Joins pending joinable sections into one section that holds all their orders, in order. The
     * parts are handed over ({@link SectionState#JOINED}): from now on they run, are cancelled and
     * complete when the joined section does, each with its own slice of the joined result. Parts
     * already cancelled are left out.
     *
     * @throws IllegalArgumentException if a part is {@link Disposition#CANNOT_JOIN}
     * @throws IllegalStateException if a part has already started, finished or been joined
     */
    public static Section join(List<Section> sections) {
        for (Section section : sections) {
            if (!section.isJoinable()) {
                throw new IllegalArgumentException("a CANNOT_JOIN section cannot be joined");
            }
        }
        List<Section> claimed = new ArrayList<>(sections.size());
        for (Section section : sections) {
            if (section.state.compareAndSet(SectionState.PENDING, SectionState.JOINED)) {
                claimed.add(section);
            } else if (section.state() != SectionState.CANCELLED) {
                claimed.forEach(part -> part.state.set(SectionState.PENDING));
                throw new IllegalStateException("section is " + section.state() + ", only PENDING sections can be joined");
            }
        }
        List<Order> orders = new ArrayList<>();
        claimed.forEach(part -> orders.addAll(part.orders));
        return new Section(List.copyOf(orders), Disposition.JOINABLE, List.copyOf(claimed));
    }

    public List<Order> orders() {
        return orders;
    }

    public Disposition disposition() {
        return disposition;
    }

    public boolean isJoinable() {
        return disposition == Disposition.JOINABLE;
    }

    public SectionState state() {
        return state.get();
    }

    /** The sections this one was joined from; empty unless it was made by {@link #join}. */
    public List<Section> parts() {
        return parts;
    }

    /**
     * Completes when the section has finished, with what happened to each order. Cancelling it
     * cancels the section if it has not started (same as {@link #cancel()}); after that it changes
     * nothing and returns false. Only {@link #markAsDone} completes it.
     */
    public CompletableFuture<SectionResult> future() {
        return future;
    }

    /** The longest {@link WaitOrder} period in this section, or zero if it has none. */
    public Duration maxWait() {
        Duration longest = Duration.ZERO;
        for (Order order : orders) {
            if (order instanceof WaitOrder wait && wait.period().compareTo(longest) > 0) {
                longest = wait.period();
            }
        }
        return longest;
    }

    /**
     * Cancels the section if it has not started: it will never run and its future is cancelled.
     *
     * @return whether the section is cancelled; false if it had already started, finished, or been
     *         joined into another section
     */
    public boolean cancel() {
        if (state.compareAndSet(SectionState.PENDING, SectionState.CANCELLED)) {
            future.cancelled();
            parts.forEach(Section::cancelJoined);
            return true;
        }
        return state() == SectionState.CANCELLED;
    }

    /**
     * Marks the section as running, as an executor does just before it starts the orders.
     *
     * @return true if it should run; false if it was cancelled
     * @throws IllegalStateException if it is already running, done, or was joined into another section
     */
    public boolean markAsBeingExecuted() {
        if (state.compareAndSet(SectionState.PENDING, SectionState.EXECUTING)) {
            parts.forEach(Section::startJoined);
            return true;
        }
        SectionState now = state();
        if (now == SectionState.CANCELLED) {
            return false;
        }
        throw new IllegalStateException("section is " + now + ", cannot start it");
    }

    /**
     * Marks the section as finished and completes its future (and the futures of the sections it was
     * joined from, each with its slice of the result).
     *
     * @throws IllegalArgumentException if the result does not hold one outcome per order
     * @throws IllegalStateException if the section is not running
     */
    public void markAsDone(SectionResult result) {
        Objects.requireNonNull(result, "result");
        if (result.outcomes().size() != orders.size()) {
            throw new IllegalArgumentException("result has " + result.outcomes().size()
                    + " outcomes for " + orders.size() + " orders");
        }
        advance(SectionState.EXECUTING, SectionState.DONE);
        int from = 0;
        for (Section part : parts) {
            int to = from + part.orders.size();
            part.markAsDone(new SectionResult(result.outcomes().subList(from, to)));
            from = to;
        }
        future.finish(result);
    }

    private void advance(SectionState expected, SectionState next) {
        if (!state.compareAndSet(expected, next)) {
            throw new IllegalStateException("section is " + state() + ", expected " + expected);
        }
    }

    private void startJoined() {
        advance(SectionState.JOINED, SectionState.EXECUTING);
        parts.forEach(Section::startJoined);
    }

    private void cancelJoined() {
        if (state.compareAndSet(SectionState.JOINED, SectionState.CANCELLED)) {
            future.cancelled();
            parts.forEach(Section::cancelJoined);
        }
    }

    @Override
    public String toString() {
        return "Section" + orders + " " + disposition + " " + state();
    }
}
