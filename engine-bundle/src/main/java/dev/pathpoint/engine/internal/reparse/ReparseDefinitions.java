package dev.pathpoint.engine.internal.reparse;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.value.PathpointType;

/**
 * Which names are reparse pathpoints and what their expressions are, for {@link ReparseTree}.
 * {@link #TEXTUAL} is the rule of the seed library: a name starting with {@code r} is defined by its
 * own text. A caller may wrap it in a bounded cache of parsed expressions, or define names otherwise
 * (aliases, configured definitions): then definitions can refer to each other in a cycle, which
 * {@link ReparseTree} refuses.
 */
@FunctionalInterface
public interface ReparseDefinitions {

    /** Each name starting with {@code r} is parsed as the expression it spells; other names are leaves. */
    ReparseDefinitions TEXTUAL = pathpoint -> PathpointType.isReparse(pathpoint) ? ReparseExpression.parse(pathpoint) : null;

    /**
     * The expression that defines a pathpoint, or null if it is a leaf (read from a driver).
     *
     * @throws OperationFailedException {@code INVALID} if the name is a reparse pathpoint whose
     *         expression is wrong
     */
    ReparseExpression definitionOf(String pathpoint) throws OperationFailedException;
}
