package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import java.util.ArrayDeque;

/**
 * The orders of one pathpoint, in queue order. At most one driver operation per pathpoint is in
 * flight, for the orders at the head: a write alone, or every read up to the next write (identical
 * pending reads share one device read). That is what keeps same-pathpoint operations in queue order,
 * retries included, and what keeps two operations on one pathpoint out of one batch. Dispatch
 * thread only.
 */
final class Lane {
    final String pathpoint;
    final PathpointType type;
    final ArrayDeque<PathpointTask> pending = new ArrayDeque<>();

    /** The operation in flight for the first {@link #inFlightCount} tasks, or null. */
    InFlightOp inFlight;
    int inFlightCount;
    /** A retry is scheduled: nothing is dispatched until it is due. */
    boolean backingOff;
    /** No driver serves the pathpoint; the lane is woken by a driver change or a deadline. */
    boolean awaitingDriver;
    /** Tells current no-driver deadline events from superseded ones. */
    int awaitGeneration;
    /** Queued in the ready list. */
    boolean markedReady;

    /** The route, valid while the driver registry's version is {@link #routeVersion}. */
    DriverEntry route;
    int routeVersion = -1;

    /** The last value read from the device, reusable until {@link #freshUntil} (min read interval). */
    PathpointValue freshValue;
    long freshUntil;
    /** Minimum read interval in nanos, valid for settings generation {@link #intervalGeneration}. */
    long minReadIntervalNanos;
    int intervalGeneration = -1;

    Lane(String pathpoint, PathpointType type) {
        this.pathpoint = pathpoint;
        this.type = type;
    }

    boolean isIdle() {
        return inFlight == null && !backingOff;
    }

    @Override
    public String toString() {
        return "lane " + pathpoint + " " + pending;
    }
}
