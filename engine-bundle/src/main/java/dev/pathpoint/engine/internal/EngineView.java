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

    /** How much the engine holds right now. */
    EngineState state();

    /**
     * In words: how many sections are queued and running, and what the unfinished orders of the
     * running ones wait for (a driver, a retry, their driver's reply, a wait, a handler).
     */
    String describePendingWork();
}
