package dev.pathpoint.engine.internal.registry;

import dev.pathpoint.api.store.PathpointListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PathpointListener}s of the whiteboard, each with the pattern selecting its pathpoints.
 * A pattern is compiled once, and again when the listener's property changes. Thread-safe.
 */
public final class ListenerRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerRegistry.class);

    /** A listener; a null pattern selects every pathpoint, an invalid one none. */
    public record ListenerEntry(ServiceReference<PathpointListener> reference, PathpointListener service, String patternText,
            Pattern pattern, boolean valid) {

        static ListenerEntry of(ServiceReference<PathpointListener> reference, PathpointListener listener) {
            String text = reference.getProperty(PathpointListener.PATHPOINT_PATTERN) == null ? null
                    : String.valueOf(reference.getProperty(PathpointListener.PATHPOINT_PATTERN));
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
            return new ListenerEntry(reference, listener, text, pattern, valid);
        }

        boolean isCurrent(ServiceReference<PathpointListener> current) {
            return reference.equals(current) && Objects.equals(patternText, current.getProperty(PathpointListener.PATHPOINT_PATTERN)
                    == null ? null : String.valueOf(current.getProperty(PathpointListener.PATHPOINT_PATTERN)));
        }

        public boolean selects(String pathpoint) {
            return valid && (pattern == null || pattern.matcher(pathpoint).matches());
        }
    }

    private final WhiteboardServices<PathpointListener> services;
    private volatile List<ListenerEntry> compiled = List.of();

    public ListenerRegistry(WhiteboardServices<PathpointListener> services) {
        this.services = services;
    }

    /** The listeners, best ranked first. */
    public List<ListenerEntry> listeners() {
        List<ServiceReference<PathpointListener>> references = services.bestFirst();
        List<ListenerEntry> last = compiled;
        if (last.size() == references.size()) {
            boolean same = true;
            for (int i = 0; i < references.size() && same; i++) {
                same = last.get(i).isCurrent(references.get(i));
            }
            if (same) {
                return last;
            }
        }
        List<ListenerEntry> entries = new ArrayList<>(references.size());
        for (ServiceReference<PathpointListener> reference : references) {
            PathpointListener listener = services.service(reference);
            if (listener != null) {
                entries.add(ListenerEntry.of(reference, listener));
            }
        }
        compiled = List.copyOf(entries);
        return compiled;
    }
}
