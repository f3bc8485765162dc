package dev.pathpoint.engine.internal.registry;

import dev.pathpoint.api.driver.PathpointGrammar;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PathpointGrammar} services of the whiteboard: what tells whether a name is valid, and
 * its type, before a driver is looked for. A pattern is compiled once, and again when the grammar's
 * property changes. Thread-safe.
 */
public final class GrammarRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(GrammarRegistry.class);

    private record Entry(ServiceReference<PathpointGrammar> reference, PathpointGrammar grammar, PathpointPattern pattern) {
        boolean isCurrent(ServiceReference<PathpointGrammar> current) {
            return reference.equals(current) && Objects.equals(pattern.text(), text(current));
        }
    }

    private final WhiteboardServices<PathpointGrammar> services;
    private volatile List<Entry> compiled = List.of();

    public GrammarRegistry(WhiteboardServices<PathpointGrammar> services) {
        this.services = services;
    }

    private static String text(ServiceReference<PathpointGrammar> reference) {
        Object pattern = reference.getProperty(PathpointGrammar.PATHPOINT_PATTERN);
        return pattern == null ? null : String.valueOf(pattern);
    }

    private List<Entry> entries() {
        List<ServiceReference<PathpointGrammar>> references = services.bestFirst();
        List<Entry> last = compiled;
        if (last.size() == references.size()) {
            boolean same = true;
            for (int i = 0; i < references.size() && same; i++) {
                same = last.get(i).isCurrent(references.get(i));
            }
            if (same) {
                return last;
            }
        }
        List<Entry> entries = new ArrayList<>(references.size());
        for (ServiceReference<PathpointGrammar> reference : references) {
            PathpointGrammar grammar = services.service(reference);
            if (grammar != null) {
                PathpointPattern pattern = PathpointPattern.of(PathpointGrammar.PATHPOINT_PATTERN, text(reference));
                if (pattern.problem() != null) {
                    LOG.error("Pathpoint grammar {}: {}", grammar, pattern.problem());
                }
                entries.add(new Entry(reference, grammar, pattern));
            }
        }
        compiled = List.copyOf(entries);
        return compiled;
    }

    /**
     * The type of a pathpoint: as the best grammar claiming the name says, else from its first letter.
     *
     * @throws OperationFailedException INVALID if the name is not valid
     */
    public PathpointType typeOf(String pathpoint) throws OperationFailedException {
        for (Entry entry : entries()) {
            if (entry.pattern.matches(pathpoint)) {
                try {
                    PathpointType type = entry.grammar.typeOf(pathpoint);
                    if (type == null) {
                        throw new OperationFailedException(OperationFailedReason.ERROR,
                                "pathpoint grammar " + entry.grammar + " gave no type for '" + pathpoint + "'");
                    }
                    return type;
                } catch (RuntimeException e) {
                    LOG.warn("Pathpoint grammar {} failed on '{}'", entry.grammar, pathpoint, e);
                    throw new OperationFailedException(OperationFailedReason.ERROR,
                            "pathpoint grammar " + entry.grammar + " failed on '" + pathpoint + "': " + e, e);
                }
            }
        }
        return PathpointType.ofPathpoint(pathpoint);
    }
}
