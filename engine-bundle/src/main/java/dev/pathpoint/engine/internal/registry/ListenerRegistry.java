package dev.pathpoint.engine.internal.registry;

import dev.pathpoint.api.store.PathpointListener;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link PathpointListener} services, each with the pattern selecting its pathpoints. Thread-safe. */
public final class ListenerRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerRegistry.class);

    /** A listener; a null pattern selects every pathpoint, an invalid one none. */
    public record ListenerEntry(PathpointListener service, Pattern pattern, boolean valid, int ranking, long serviceId)
            implements RankedServices.Entry<PathpointListener> {

        static ListenerEntry of(PathpointListener listener, Map<String, ?> properties) {
            String text = ServiceProperties.string(properties, PathpointListener.PATHPOINT_PATTERN);
            Pattern pattern = null;
            boolean valid = true;
            if (text != null) {
                try {
                    pattern = Pattern.compile(text);
                } catch (PatternSyntaxException e) {
                    valid = false;
                    LOG.error("PathpointListener {}: {} '{}' is not a valid regular expression ({}); it is told nothing",
                            listener, PathpointListener.PATHPOINT_PATTERN, text, e.getDescription());
                }
            }
            return new ListenerEntry(listener, pattern, valid, ServiceProperties.ranking(properties),
                    ServiceProperties.serviceId(properties));
        }

        public boolean selects(String pathpoint) {
            return valid && (pattern == null || pattern.matcher(pathpoint).matches());
        }
    }

    private final RankedServices<PathpointListener, ListenerEntry> listeners = new RankedServices<>(ListenerEntry::of);

    public RankedServices<PathpointListener, ListenerEntry> listeners() {
        return listeners;
    }
}
