package dev.pathpoint.engine.internal.reparse;

/**
 * Why an operation or function cannot give a value for its operands (wrong kinds, division by zero,
 * a result out of range). The node that ran the operation adds its position and turns it into an
 * {@code OperationFailedException}; this carries no stack trace because it is only a message.
 */
final class ValueProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ValueProblem(String message) {
        super(message, null, false, false);
    }
}
