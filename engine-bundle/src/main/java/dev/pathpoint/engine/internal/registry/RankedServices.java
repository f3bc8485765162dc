package dev.pathpoint.engine.internal.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A thread-safe, copy-on-write list of whiteboard services, best ranked first.
 *
 * @param <E> the entry kept per service
 */
public final class RankedServices<S, E extends RankedServices.Entry<S>> {

    /** One registered service and what was read from its properties. */
    public interface Entry<S> extends RankedEntry {
        S service();
    }

    private final BiFunction<S, Map<String, ?>, E> entryFactory;
    private volatile List<E> entries = List.of();

    public RankedServices(BiFunction<S, Map<String, ?>, E> entryFactory) {
        this.entryFactory = entryFactory;
    }

    public synchronized void add(S service, Map<String, ?> properties) {
        List<E> next = without(service);
        next.add(entryFactory.apply(service, properties));
        publish(next);
    }

    /** Replaces the entry of a service whose properties changed. */
    public synchronized void update(S service, Map<String, ?> properties) {
        add(service, properties);
    }

    public synchronized void remove(S service) {
        publish(without(service));
    }

    private List<E> without(S service) {
        List<E> next = new ArrayList<>(entries);
        next.removeIf(entry -> entry.service() == service);
        return next;
    }

    private void publish(List<E> next) {
        next.sort(RankedEntry.BEST_FIRST);
        entries = List.copyOf(next);
    }

    /** The services, best first. */
    public List<E> entries() {
        return entries;
    }
}
