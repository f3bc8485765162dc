package dev.pathpoint.engine.internal.registry;

import dev.pathpoint.api.driver.PathpointDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drivers registered through the whiteboard, best first. Thread-safe: services come and go on
 * framework threads while the dispatch thread routes. Every change bumps {@link #version()} so that
 * routes cached by the dispatch thread can be checked cheaply.
 */
public final class DriverRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(DriverRegistry.class);

    /** What the engine is told of changes. */
    public interface Listener {
        void driverAdded(DriverEntry entry);

        void driverRemoved(DriverEntry entry);

        void driverUpdated(DriverEntry entry);
    }

    private static final Listener NO_LISTENER = new Listener() {
        @Override
        public void driverAdded(DriverEntry entry) {
        }

        @Override
        public void driverRemoved(DriverEntry entry) {
        }

        @Override
        public void driverUpdated(DriverEntry entry) {
        }
    };

    private volatile List<DriverEntry> entries = List.of();
    private volatile int version;
    private volatile Listener listener = NO_LISTENER;

    public void setListener(Listener listener) {
        this.listener = listener == null ? NO_LISTENER : listener;
    }

    public void add(PathpointDriver driver, Map<String, ?> properties) {
        DriverEntry entry = new DriverEntry(driver, properties);
        if (entry.patternProblem() != null) {
            LOG.error("Driver {}: {}", entry.name(), entry.patternProblem());
        }
        synchronized (this) {
            List<DriverEntry> next = new ArrayList<>(entries);
            next.add(entry);
            publish(next);
        }
        LOG.info("Driver {} added (pattern {}, ranking {})", entry.name(), entry.patternText(), entry.ranking());
        listener.driverAdded(entry);
    }

    public void update(PathpointDriver driver, Map<String, ?> properties) {
        DriverEntry entry;
        synchronized (this) {
            entry = find(driver);
            if (entry == null) {
                return;
            }
            entry.update(properties);
            publish(new ArrayList<>(entries));
        }
        if (entry.patternProblem() != null) {
            LOG.error("Driver {}: {}", entry.name(), entry.patternProblem());
        }
        LOG.info("Driver {} updated (pattern {}, ranking {})", entry.name(), entry.patternText(), entry.ranking());
        listener.driverUpdated(entry);
    }

    public void remove(PathpointDriver driver) {
        DriverEntry entry;
        synchronized (this) {
            entry = find(driver);
            if (entry == null) {
                return;
            }
            entry.deactivate();
            List<DriverEntry> next = new ArrayList<>(entries);
            next.remove(entry);
            publish(next);
        }
        LOG.info("Driver {} removed", entry.name());
        listener.driverRemoved(entry);
    }

    private DriverEntry find(PathpointDriver driver) {
        for (DriverEntry entry : entries) {
            if (entry.driver() == driver) {
                return entry;
            }
        }
        return null;
    }

    private void publish(List<DriverEntry> next) {
        next.sort(RankedEntry.BEST_FIRST);
        entries = List.copyOf(next);
        version++;
    }

    /** Changes with every add, update and removal. Read it before {@link #route}. */
    public int version() {
        return version;
    }

    /** The best driver serving the pathpoint, or null. */
    public DriverEntry route(String pathpoint) {
        for (DriverEntry entry : entries) {
            if (entry.serves(pathpoint)) {
                return entry;
            }
        }
        return null;
    }

    /** The drivers, best first. */
    public List<DriverEntry> entries() {
        return entries;
    }

    public void forEach(Consumer<DriverEntry> action) {
        entries.forEach(action);
    }
}
