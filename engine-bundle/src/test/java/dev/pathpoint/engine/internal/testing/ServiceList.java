package dev.pathpoint.engine.internal.testing;

import dev.pathpoint.engine.internal.registry.WhiteboardServices;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Whiteboard services as Declarative Services' field injection hands them to the engine component:
 * a list of service references, replaced on every change, and a way to get each one's service.
 * The references order themselves as the framework's do, by their current ranking and id.
 */
public final class ServiceList<S> {
    private static final AtomicLong IDS = new AtomicLong(10_000);

    private final Map<ServiceReference<S>, S> services = new HashMap<>();
    private volatile List<ServiceReference<S>> references = List.of();

    /** Registers a service; {@code service.ranking} and {@code service.id} as in the properties, or 0 and a fresh id. */
    public synchronized void add(S service, Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.putIfAbsent("service.id", IDS.incrementAndGet());
        Reference<S> reference = new Reference<>(all);
        services.put(reference, service);
        List<ServiceReference<S>> next = new ArrayList<>(references);
        next.add(reference);
        references = List.copyOf(next);
    }

    /** Changes a registered service's properties, as {@code ServiceRegistration.setProperties} does: the same reference. */
    public synchronized void modify(S service, Map<String, Object> properties) {
        for (Map.Entry<ServiceReference<S>, S> entry : services.entrySet()) {
            if (entry.getValue() == service) {
                Reference<S> reference = (Reference<S>) entry.getKey();
                Map<String, Object> all = new HashMap<>(properties);
                all.put("service.id", reference.getProperty("service.id"));
                reference.properties = Map.copyOf(all);
            }
        }
        references = List.copyOf(references); // DS hands out a new list on every change
    }

    public synchronized void remove(S service) {
        List<ServiceReference<S>> next = new ArrayList<>(references);
        next.removeIf(reference -> services.get(reference) == service);
        services.values().removeIf(registered -> registered == service);
        references = List.copyOf(next);
    }

    /** What the engine component builds from its injected field. */
    public WhiteboardServices<S> services() {
        return new WhiteboardServices<>(() -> references, this::serviceOf);
    }

    private synchronized S serviceOf(ServiceReference<S> reference) {
        return services.get(reference);
    }

    private static final class Reference<S> implements ServiceReference<S> {
        private volatile Map<String, Object> properties;

        Reference(Map<String, Object> properties) {
            this.properties = Map.copyOf(properties);
        }

        @Override
        public Object getProperty(String key) {
            return properties.get(key);
        }

        @Override
        public String[] getPropertyKeys() {
            return properties.keySet().toArray(String[]::new);
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            return new Hashtable<>(properties);
        }

        @Override
        public Bundle getBundle() {
            return null;
        }

        @Override
        public Bundle[] getUsingBundles() {
            return null;
        }

        @Override
        public boolean isAssignableTo(Bundle bundle, String className) {
            return true;
        }

        private int ranking() {
            return properties.get("service.ranking") instanceof Integer ranking ? ranking : 0;
        }

        private long id() {
            return ((Number) properties.get("service.id")).longValue();
        }

        /** As the framework orders references: by ranking, then the lower id is the greater. */
        @Override
        public int compareTo(Object other) {
            Reference<?> that = (Reference<?>) other;
            if (ranking() != that.ranking()) {
                return Integer.compare(ranking(), that.ranking());
            }
            return Long.compare(that.id(), id());
        }

        @Override
        public <A> A adapt(Class<A> type) {
            return null;
        }
    }
}
