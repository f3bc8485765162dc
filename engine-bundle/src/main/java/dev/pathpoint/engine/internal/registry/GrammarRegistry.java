package dev.pathpoint.engine.internal.registry;

import dev.pathpoint.api.driver.PathpointGrammar;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PathpointGrammar} services, best ranked first: what tells whether a name is valid, and
 * its type, before a driver is looked for. Thread-safe: services come and go on framework threads.
 */
public final class GrammarRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(GrammarRegistry.class);

    private record Entry(PathpointGrammar grammar, PathpointPattern pattern, int ranking, long serviceId)
            implements RankedEntry {
    }

    private volatile List<Entry> entries = List.of();

    public synchronized void add(PathpointGrammar grammar, Map<String, ?> properties) {
        PathpointPattern pattern = PathpointPattern.of(PathpointGrammar.PATHPOINT_PATTERN,
                ServiceProperties.string(properties, PathpointGrammar.PATHPOINT_PATTERN));
        if (pattern.problem() != null) {
            LOG.error("Pathpoint grammar {}: {}", grammar, pattern.problem());
        }
        List<Entry> next = without(grammar);
        next.add(new Entry(grammar, pattern, ServiceProperties.ranking(properties), ServiceProperties.serviceId(properties)));
        next.sort(RankedEntry.BEST_FIRST);
        entries = List.copyOf(next);
    }

    public synchronized void remove(PathpointGrammar grammar) {
        entries = List.copyOf(without(grammar));
    }

    private List<Entry> without(PathpointGrammar grammar) {
        List<Entry> next = new ArrayList<>(entries);
        next.removeIf(entry -> entry.grammar == grammar);
        return next;
    }

    /**
     * The type of a pathpoint: as the best grammar claiming the name says, else from its first letter.
     *
     * @throws OperationFailedException INVALID if the name is not valid
     */
    public PathpointType typeOf(String pathpoint) throws OperationFailedException {
        for (Entry entry : entries) {
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
