package dev.pathpoint.engine.internal.registry;

import dev.pathpoint.api.driver.PathpointDriver;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drivers of the whiteboard, best ranked first, each with the engine's state for it. Told of
 * every change by the component's bind, updated and unbind methods, and tells the engine. Thread-safe:
 * services come and go on framework threads while the dispatch thread routes.
 */
public final class DriverRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(DriverRegistry.class);
    /** Best first: highest ranking, then lowest service id, then first registered. */
    private static final Comparator<DriverEntry> BEST_FIRST = Comparator.comparingInt(DriverEntry::ranking).reversed()
            .thenComparingLong(DriverEntry::serviceId).thenComparingLong(DriverEntry::sequence);

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

    private final ConcurrentSkipListSet<DriverEntry> ranked = new ConcurrentSkipListSet<>(BEST_FIRST);
    private final ConcurrentHashMap<PathpointDriver, DriverEntry> byDriver = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile Listener listener = NO_LISTENER;

    public void setListener(Listener listener) {
        this.listener = listener == null ? NO_LISTENER : listener;
    }

    public void add(PathpointDriver driver, Map<String, ?> properties) {
        DriverEntry entry = new DriverEntry(driver, properties, sequence.incrementAndGet());
        if (entry.patternProblem() != null) {
            LOG.error("Driver {}: {}", entry.name(), entry.patternProblem());
        }
        byDriver.put(driver, entry);
        ranked.add(entry);
        LOG.info("Driver {} added (pattern {}, ranking {})", entry.name(), entry.patternText(), entry.ranking());
        listener.driverAdded(entry);
    }

    public void update(PathpointDriver driver, Map<String, ?> properties) {
        DriverEntry entry = byDriver.get(driver);
        if (entry == null) {
            return;
        }
        synchronized (entry) {
            // its place in the ranking may move: out, changed, back in
            ranked.remove(entry);
            entry.update(properties);
            ranked.add(entry);
        }
        if (entry.patternProblem() != null) {
            LOG.error("Driver {}: {}", entry.name(), entry.patternProblem());
        }
        LOG.info("Driver {} updated (pattern {}, ranking {})", entry.name(), entry.patternText(), entry.ranking());
        listener.driverUpdated(entry);
    }

    public void remove(PathpointDriver driver) {
        DriverEntry entry = byDriver.remove(driver);
        if (entry == null) {
            return;
        }
        entry.deactivate();
        ranked.remove(entry);
        LOG.info("Driver {} removed", entry.name());
        listener.driverRemoved(entry);
    }

    /** The best driver serving the pathpoint, or null. */
    public DriverEntry route(String pathpoint) {
        for (DriverEntry entry : ranked) {
            if (entry.serves(pathpoint)) {
                return entry;
            }
        }
        return null;
    }

    /** The drivers, best first. */
    public List<DriverEntry> entries() {
        return List.copyOf(ranked);
    }
}
