package dev.pathpoint.api.failure;

import java.util.Objects;

/**
 * An operation failed for a stated {@link OperationFailedReason}; the message says what and where.
 */
public class OperationFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final OperationFailedReason reason;

    public OperationFailedException(OperationFailedReason reason, String message) {
        this(reason, message, null);
    }

    public OperationFailedException(OperationFailedReason reason, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public OperationFailedReason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return reason + ": " + getMessage();
    }
}
