package dev.pathpoint.api.section;

/** Whether a section may run together with its neighbours. The wire format encodes them as 0 and 1. */
public enum Disposition {
    /** May run together with consecutive joinable sections. */
    JOINABLE,
    /** A barrier: runs alone, after everything queued before it and before everything queued after it. */
    CANNOT_JOIN;

    /** The wire code: 0 for JOINABLE, 1 for CANNOT_JOIN. */
    public int code() {
        return ordinal();
    }
}
