package dev.pathpoint.engine.internal.reparse;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.value.PathpointValue;

/**
 * Where an evaluation gets the values of the pathpoints an expression refers to. A map's
 * {@code get} fits ({@code values::get}), as does a lookup in the value store.
 */
@FunctionalInterface
public interface ConstituentValues {

    /**
     * The current value of a constituent.
     *
     * @param pathpoint a name from {@link ReparseExpression#constituents()} (or {@link ReparseTree#leaves()})
     * @return its value; never null
     * @throws OperationFailedException if the constituent has no value (its read failed): the
     *         evaluation fails with the same reason and a message naming the constituent
     */
    PathpointValue valueOf(String pathpoint) throws OperationFailedException;
}
