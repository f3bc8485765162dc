package dev.pathpoint.api.connection;

/** Where a connection to a device or a broker stands. */
public enum ConnectionState {
    /** Connected and usable. */
    CONNECTED,
    /** A connection attempt is under way. */
    CONNECTING,
    /** The last attempt failed; the next one is scheduled ({@link ConnectionReport#nextAttempt()}). */
    BACKING_OFF,
    /** Not connected and nothing to do: it connects when there is work (or, for a link, when told to). */
    IDLE,
    /** Its configuration could not be applied; {@link ConnectionReport#problem()} says why. */
    MISCONFIGURED
}
