package dev.pathpoint.api.section;

/** Where a section is in its life. */
public enum SectionState {
    /** Queued, not started: cancelling it now cancels it. */
    PENDING,
    /** Handed over to a joined section ({@link Section#join}); it runs when that one runs. */
    JOINED,
    /** Running: cancelling changes nothing. */
    EXECUTING,
    /** Finished; its future holds the result. */
    DONE,
    /** Cancelled before it started; its future is cancelled. */
    CANCELLED
}
