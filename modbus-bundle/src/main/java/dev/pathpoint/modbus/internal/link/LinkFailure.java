package dev.pathpoint.modbus.internal.link;

import dev.pathpoint.api.failure.OperationFailedReason;

/**
 * A transaction got no usable answer: {@link OperationFailedReason#TIMEOUT} (no answer, connection
 * lost or refused) or {@link OperationFailedReason#MALFORMED} (a frame that is not a valid answer).
 * The link has already been closed when {@link #linkClosed()} is true.
 */
public final class LinkFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final OperationFailedReason reason;
    private final boolean linkClosed;

    public LinkFailure(OperationFailedReason reason, String message, boolean linkClosed, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.linkClosed = linkClosed;
    }

    public static LinkFailure timeout(String message, boolean linkClosed) {
        return new LinkFailure(OperationFailedReason.TIMEOUT, message, linkClosed, null);
    }

    /** An answer that is not what was asked for, in a stream still in step: the link stays open. */
    public static LinkFailure malformed(String message) {
        return new LinkFailure(OperationFailedReason.MALFORMED, message, false, null);
    }

    public OperationFailedReason reason() {
        return reason;
    }

    public boolean linkClosed() {
        return linkClosed;
    }
}
