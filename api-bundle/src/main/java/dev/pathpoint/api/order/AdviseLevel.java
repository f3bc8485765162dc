package dev.pathpoint.api.order;

/**
 * How hard to try: {@link #ADVISE} gives up soon, {@link #FORCE} retries long and waits long for a
 * driver. The wire format encodes them as 0 and 1.
 */
public enum AdviseLevel {
    ADVISE,
    FORCE;

    /** The wire code: 0 for ADVISE, 1 for FORCE. */
    public int code() {
        return ordinal();
    }
}
