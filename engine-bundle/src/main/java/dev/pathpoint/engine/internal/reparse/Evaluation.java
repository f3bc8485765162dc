package dev.pathpoint.engine.internal.reparse;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointValue;
import java.util.List;

/** The state of one evaluation: where constituent values come from, and those already fetched. */
final class Evaluation {
    private final String name;
    private final List<String> constituents;
    private final ConstituentValues values;
    private final Value[] fetched;

    Evaluation(String name, List<String> constituents, ConstituentValues values) {
        this.name = name;
        this.constituents = constituents;
        this.values = values;
        this.fetched = new Value[constituents.size()];
    }

    /** The value of a constituent, asked for once per evaluation, when first needed. */
    Value constituent(int index) throws OperationFailedException {
        Value value = fetched[index];
        if (value == null) {
            String pathpoint = constituents.get(index);
            PathpointValue given;
            try {
                given = values.valueOf(pathpoint);
            } catch (OperationFailedException e) {
                throw new OperationFailedException(e.reason(),
                        Failures.describe(name) + ": constituent '" + pathpoint + "' failed: " + e.getMessage(), e);
            }
            if (given == null) {
                throw new IllegalArgumentException("no value was given for constituent '" + pathpoint + "' of "
                        + Failures.describe(name));
            }
            if (given instanceof PathpointValue.BigWhole big) {
                // expressions compute with 64-bit whole numbers (see the package documentation)
                throw new OperationFailedException(OperationFailedReason.TYPE, Failures.describe(name) + ": constituent '"
                        + pathpoint + "' holds " + big.value() + ", beyond the 64-bit whole numbers expressions compute with");
            }
            value = Value.of(given);
            fetched[index] = value;
        }
        return value;
    }

    /** The failure for a value problem met at {@code position}. */
    OperationFailedException failure(int position, ValueProblem problem) {
        return Failures.type(name, position, problem.getMessage());
    }
}
