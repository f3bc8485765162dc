package dev.pathpoint.engine.internal.registry;

import dev.pathpoint.api.driver.PathpointDriver;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A registered driver with its routing properties, and the engine's counters for it. Routing
 * properties are replaced when the service's properties change; the counters are written by the
 * dispatch thread only.
 */
public final class DriverEntry implements RankedEntry {
    private final PathpointDriver driver;
    private volatile String name;
    private volatile String patternText;
    private volatile Pattern pattern;
    private volatile String patternProblem;
    private volatile int ranking;
    private volatile long serviceId;
    private volatile boolean active = true;
    /** Operations handed to the driver and not completed; written by the dispatch thread only. */
    private volatile int inFlight;
    /** Operations routed to the driver and waiting for a free batch slot; written by the dispatch thread only. */
    private volatile int waiting;

    DriverEntry(PathpointDriver driver, Map<String, ?> properties) {
        this.driver = driver;
        update(properties);
    }

    void update(Map<String, ?> properties) {
        serviceId = ServiceProperties.serviceId(properties);
        ranking = ServiceProperties.ranking(properties);
        String configuredName = ServiceProperties.string(properties, PathpointDriver.DRIVER_NAME);
        name = configuredName != null && !configuredName.isBlank() ? configuredName
                : "driver-" + (serviceId >= 0 ? serviceId : Integer.toHexString(System.identityHashCode(driver)));
        patternText = ServiceProperties.string(properties, PathpointDriver.PATHPOINT_PATTERN);
        if (patternText == null || patternText.isBlank()) {
            pattern = null;
            patternProblem = "no " + PathpointDriver.PATHPOINT_PATTERN + " property: serves nothing";
        } else {
            try {
                pattern = Pattern.compile(patternText);
                patternProblem = null;
            } catch (PatternSyntaxException e) {
                pattern = null;
                patternProblem = PathpointDriver.PATHPOINT_PATTERN + " '" + patternText + "' is not a valid regular expression ("
                        + e.getDescription() + "): serves nothing";
            }
        }
    }

    public PathpointDriver driver() {
        return driver;
    }

    public String name() {
        return name;
    }

    /** The pattern as configured (may be null or invalid, see {@link #patternProblem()}). */
    public String patternText() {
        return patternText;
    }

    /** Why the driver serves nothing, or null if its pattern is fine. */
    public String patternProblem() {
        return patternProblem;
    }

    public boolean serves(String pathpoint) {
        Pattern current = pattern;
        return current != null && current.matcher(pathpoint).matches();
    }

    @Override
    public int ranking() {
        return ranking;
    }

    @Override
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
