package dev.pathpoint.engine.internal.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.osgi.framework.ServiceReference;

/**
 * The services of one whiteboard reference as Declarative Services field injection gives them: a
 * list of service references (set by DS, replaced on every change), and the component context that
 * turns a reference into its service. Sorted on use by the references' own ordering, which reads
 * {@code service.ranking} as it is now: a ranking changed at runtime counts at once. Thread-safe.
 */
public final class WhiteboardServices<S> {
    private final Supplier<List<ServiceReference<S>>> references;
    private final Function<ServiceReference<S>, S> locate;

    /**
     * @param references the component's injected field
     * @param locate the service of a reference ({@code ComponentContext.locateService}); null if it went away
     */
    public WhiteboardServices(Supplier<List<ServiceReference<S>>> references, Function<ServiceReference<S>, S> locate) {
        this.references = references;
        this.locate = locate;
    }

    /** None at all. */
    public static <S> WhiteboardServices<S> none() {
        return new WhiteboardServices<>(List::of, reference -> null);
    }

    /** The references, best first: highest ranking, then lowest service id. */
    public List<ServiceReference<S>> bestFirst() {
        List<ServiceReference<S>> sorted = new ArrayList<>(references.get());
        sorted.sort(Collections.reverseOrder());
        return sorted;
    }

    /** The service of a reference, or null if it is gone meanwhile. */
    public S service(ServiceReference<S> reference) {
        return locate.apply(reference);
    }

    /** The reference's properties, as they are now. */
    public static Map<String, Object> properties(ServiceReference<?> reference) {
        Map<String, Object> properties = new HashMap<>();
        for (String key : reference.getPropertyKeys()) {
            properties.put(key, reference.getProperty(key));
        }
        return properties;
    }
}
