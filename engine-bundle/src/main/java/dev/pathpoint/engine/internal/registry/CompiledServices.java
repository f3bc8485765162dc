package dev.pathpoint.engine.internal.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import org.osgi.framework.ServiceReference;

/**
 * What a registry makes of each whiteboard service (a compiled pattern beside the service), best
 * first, made again only when the references or the one property it is made from changed; the rest
 * of the time the list made last is handed out. Thread-safe.
 *
 * @param <S> the service type
 * @param <E> what is made of each service
 */
final class CompiledServices<S, E> {
    private record Made<S, E>(ServiceReference<S> reference, Object property, E entry) {
    }

    private record Snapshot<S, E>(List<Made<S, E>> made, List<E> entries) {
    }

    private final WhiteboardServices<S> services;
    private final String property;
    private final BiFunction<ServiceReference<S>, S, E> make;
    private volatile Snapshot<S, E> last = new Snapshot<>(List.of(), List.of());

    /**
     * @param property the service property the entries are made from
     * @param make an entry from a reference and its service
     */
    CompiledServices(WhiteboardServices<S> services, String property, BiFunction<ServiceReference<S>, S, E> make) {
        this.services = services;
        this.property = property;
        this.make = make;
    }

    /** The entries, best ranked first; services gone meanwhile are left out. */
    List<E> entries() {
        List<ServiceReference<S>> references = services.bestFirst();
        Snapshot<S, E> snapshot = last;
        if (snapshot.made.size() == references.size()) {
            boolean same = true;
            for (int i = 0; i < references.size() && same; i++) {
                Made<S, E> entry = snapshot.made.get(i);
                same = entry.reference.equals(references.get(i))
                        && Objects.equals(entry.property, references.get(i).getProperty(property));
            }
            if (same) {
                return snapshot.entries;
            }
        }
        List<Made<S, E>> fresh = new ArrayList<>(references.size());
        for (ServiceReference<S> reference : references) {
            S service = services.service(reference);
            if (service != null) {
                fresh.add(new Made<>(reference, reference.getProperty(property), make.apply(reference, service)));
            }
        }
        snapshot = new Snapshot<>(List.copyOf(fresh), fresh.stream().map(Made::entry).toList());
        last = snapshot;
        return snapshot.entries;
    }
}
