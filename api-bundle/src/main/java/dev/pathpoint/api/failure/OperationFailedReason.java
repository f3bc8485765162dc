package dev.pathpoint.api.failure;

/**
 * Why an operation or order failed. The first four come from the seed library; the rest are
 * what an executor needs to say about orders it could not carry out.
 */
public enum OperationFailedReason {
    /** The device answered with something that could not be understood (bad frame, wrong transaction). */
    MALFORMED(true),
    /** The device did not answer in time, or answered that it is busy; worth trying again. */
    TIMEOUT(true),
    /** The request is wrong for the device: no such pathpoint or address, a read-only area, a bad name. */
    INVALID(false),
    /** The value cannot be converted to the pathpoint's type. */
    TYPE(false),
    /** No driver served the pathpoint within the time the advise level allows. */
    NO_DRIVER(false),
    /** A write was past its {@code staleAfter} instant when it would have run, so it was not sent. */
    STALE(false),
    /** The order was cancelled before it ran. */
    CANCELLED(false),
    /** No handler is registered for the sysctl op type or message. */
    UNHANDLED(false),
    /** The executor could not accept more work (its queue is full). */
    REJECTED(false),
    /** The executor stopped before the order could finish. */
    SHUTDOWN(false),
    /** A driver or handler failed in a way it did not describe (it threw an unexpected exception). */
    ERROR(false);

    private final boolean retryable;

    OperationFailedReason(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether trying the same operation again may succeed (a transient device or link problem). */
    public boolean isRetryable() {
        return retryable;
    }
}
