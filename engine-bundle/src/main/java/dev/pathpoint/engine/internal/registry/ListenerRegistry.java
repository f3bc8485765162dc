package dev.pathpoint.engine.internal.registry;

import dev.pathpoint.api.store.PathpointListener;
import java.util.List;
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

        public boolean selects(String pathpoint) {
            return valid && (pattern == null || pattern.matcher(pathpoint).matches());
        }
    }

    private final CompiledServices<PathpointListener, ListenerEntry> entries;

    public ListenerRegistry(WhiteboardServices<PathpointListener> services) {
        this.entries = new CompiledServices<>(services, PathpointListener.PATHPOINT_PATTERN, ListenerEntry::of);
    }

    /** The listeners, best ranked first. */
    public List<ListenerEntry> listeners() {
        return entries.entries();
    }
}
