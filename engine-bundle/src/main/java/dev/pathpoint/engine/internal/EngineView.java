package dev.pathpoint.engine.internal;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.store.ValueStore;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import java.util.List;

/**
 * What the shell commands see of the engine, beyond the public services. Registered as a service
 * by the engine component; its package is private to this bundle.
 */
public interface EngineView {

    OrderExecutor executor();

    ValueStore store();

    /** The registered drivers, best ranked first, with their in-flight counts. */
    List<DriverEntry> drivers();

    /** Up to {@code max} queued sections, first first. */
    List<Section> queuedSections(int max);

    EngineSettings settings();

    /**
     * In words, the work still pending: sections queued or running and what their unfinished orders
     * wait for. Used when sections do not finish in time.
     */
    default String describePendingWork() {
        var statistics = executor().statistics();
        return "the engine has " + statistics.queuedSections() + " sections queued and " + statistics.runningSections()
                + " running, operations in flight by driver: " + statistics.inFlightByDriver();
    }
}
