package dev.pathpoint.api.remote;

/** What a central system knows about a gateway's connection to the broker. */
public enum GatewayPresence {
    /** Its status topic says {@code online}. */
    ONLINE,
    /** Its status topic says {@code offline} (it stopped, or the broker published its will). */
    OFFLINE,
    /** No status yet: the gateway never connected, or this central system is not connected to the broker. */
    UNKNOWN
}
