package dev.pathpoint.engine.internal.registry;

import dev.pathpoint.api.driver.PathpointGrammar;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PathpointGrammar} services of the whiteboard: what tells whether a name is valid, and
 * its type, before a driver is looked for. A pattern is compiled once, and again when the grammar's
 * property changes. Thread-safe.
 */
public final class GrammarRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(GrammarRegistry.class);

    private record Entry(PathpointGrammar grammar, PathpointPattern pattern) {
    }

    private final CompiledServices<PathpointGrammar, Entry> entries;

    public GrammarRegistry(WhiteboardServices<PathpointGrammar> services) {
        this.entries = new CompiledServices<>(services, PathpointGrammar.PATHPOINT_PATTERN, (reference, grammar) -> {
            Object text = reference.getProperty(PathpointGrammar.PATHPOINT_PATTERN);
            PathpointPattern pattern = PathpointPattern.of(PathpointGrammar.PATHPOINT_PATTERN,
                    text == null ? null : String.valueOf(text));
            if (pattern.problem() != null) {
                LOG.error("Pathpoint grammar {}: {}", grammar, pattern.problem());
            }
            return new Entry(grammar, pattern);
        });
    }

    /**
     * The type of a pathpoint: as the best grammar claiming the name says, else from its first letter.
     *
     * @throws OperationFailedException INVALID if the name is not valid
     */
    public PathpointType typeOf(String pathpoint) throws OperationFailedException {
        for (Entry entry : entries.entries()) {
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
