package dev.pathpoint.engine.internal.registry;

import dev.pathpoint.api.driver.PathpointDriver;
import java.util.Map;

/**
 * A registered driver with its routing properties, and the engine's counters for it. Routing
 * properties are replaced when the service's properties change; the counters are written by the
 * dispatch thread only.
 */
public final class DriverEntry {
    private final PathpointDriver driver;
    private final long sequence;
    private volatile String name;
    private volatile PathpointPattern pattern;
    private volatile int maxBatchSize;
    private volatile int ranking;
    private volatile long serviceId;
    private volatile boolean active = true;
    /** Its execute() once blocked the dispatch thread: it gets its batches on a thread of its own. */
    private volatile boolean blocking;
    /** Operations handed to the driver and not completed; written by the dispatch thread only. */
    private volatile int inFlight;
    /** Operations routed to the driver and waiting for a free batch slot; written by the dispatch thread only. */
    private volatile int waiting;

    DriverEntry(PathpointDriver driver, Map<String, ?> properties, long sequence) {
        this.driver = driver;
        this.sequence = sequence;
        update(properties);
    }

    void update(Map<String, ?> properties) {
        serviceId = ServiceProperties.serviceId(properties);
        ranking = ServiceProperties.ranking(properties);
        String configuredName = ServiceProperties.string(properties, PathpointDriver.DRIVER_NAME);
        name = configuredName != null && !configuredName.isBlank() ? configuredName
                : "driver-" + (serviceId >= 0 ? serviceId : Integer.toHexString(System.identityHashCode(driver)));
        pattern = PathpointPattern.of(PathpointDriver.PATHPOINT_PATTERN,
                ServiceProperties.string(properties, PathpointDriver.PATHPOINT_PATTERN));
        Object batch = properties.get(PathpointDriver.MAX_BATCH_SIZE);
        maxBatchSize = batch instanceof Number number && number.intValue() > 0 ? number.intValue() : Integer.MAX_VALUE;
    }

    /** The order of registration, which breaks ties in the ranking. */
    long sequence() {
        return sequence;
    }

    public PathpointDriver driver() {
        return driver;
    }

    public String name() {
        return name;
    }

    /** The pattern as configured (may be null or invalid, see {@link #patternProblem()}). */
    public String patternText() {
        return pattern.text();
    }

    /** Why the driver serves nothing, or null if its pattern is fine. */
    public String patternProblem() {
        return pattern.problem();
    }

    public boolean serves(String pathpoint) {
        return pattern.matches(pathpoint);
    }

    /** The most operations it takes in one batch ({@link PathpointDriver#MAX_BATCH_SIZE}), or Integer.MAX_VALUE. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** Whether its execute() has blocked the dispatch thread once, so that it is called on a thread of its own. */
    public boolean isBlocking() {
        return blocking;
    }

    /** Called when its execute() blocked: from now on it gets its batches on a thread of its own. */
    public void markBlocking() {
        blocking = true;
    }

    public int ranking() {
        return ranking;
    }

    public long serviceId() {
        return serviceId;
    }

    /** False once the service has gone away: late completions of its operations are ignored. */
    public boolean isActive() {
        return active;
    }

    void deactivate() {
        active = false;
    }

    /** Operations handed to the driver and not yet completed. */
    public int inFlight() {
        return inFlight;
    }

    /** Dispatch thread only. */
    public void addInFlight(int delta) {
        inFlight += delta;
    }

    /** Operations routed to the driver that the engine holds back until one of its batches completes. */
    public int waiting() {
        return waiting;
    }

    /** Dispatch thread only. */
    public void setWaiting(int count) {
        waiting = count;
    }

    @Override
    public String toString() {
        return name;
    }
}
