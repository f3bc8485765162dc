package dev.pathpoint.engine.internal.store;

import dev.pathpoint.api.store.PathpointListener;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.store.ValueStore;
import dev.pathpoint.engine.internal.registry.ListenerRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last reading of every pathpoint, and the notification of {@link PathpointListener}s.
 *
 * <p>Listeners run on the notifier executor, never on the dispatch thread, so a slow listener
 * cannot stall orders. Notifications are queued per pathpoint (at most one pending per pathpoint,
 * so the queue is bounded by the number of pathpoints): each call tells a listener the reading it
 * was last told about and the newest one. A listener that keeps up sees every change; one that falls
 * behind sees the newest reading, never an older one after a newer one, and never a repeat.
 */
public final class PathpointValueStore implements ValueStore {
    private static final Logger LOG = LoggerFactory.getLogger(PathpointValueStore.class);

    private static final class Slot {
        volatile Reading current;
        /** The reading listeners were last told about; notifier only. */
        Reading notified;
        final AtomicBoolean queued = new AtomicBoolean();
    }

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Slot> changed = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ListenerRegistry listeners;
    private final Executor notifier;

    public PathpointValueStore(ListenerRegistry listeners, Executor notifier) {
        this.listeners = listeners;
        this.notifier = notifier;
    }

    /** Records a reading; listeners are told if it says something else than the one before. */
    public void record(Reading reading) {
        Slot slot = slots.computeIfAbsent(reading.pathpoint(), name -> new Slot());
        Reading previous = slot.current;
        slot.current = reading;
        if (previous == null || !reading.sameContentAs(previous)) {
            if (slot.queued.compareAndSet(false, true)) {
                changed.offer(slot);
                scheduleDrain();
            }
        }
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            try {
                notifier.execute(this::drain);
            } catch (RejectedExecutionException stopped) {
                draining.set(false);
            }
        }
    }

    private void drain() {
        while (true) {
            Slot slot;
            while ((slot = changed.poll()) != null) {
                slot.queued.set(false);
                Reading current = slot.current;
                Reading previous = slot.notified;
                if (previous == null || !current.sameContentAs(previous)) {
                    slot.notified = current;
                    notifyListeners(previous, current);
                }
            }
            draining.set(false);
            if (changed.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void notifyListeners(Reading previous, Reading current) {
        for (ListenerRegistry.ListenerEntry entry : listeners.listeners().entries()) {
            if (entry.selects(current.pathpoint())) {
                try {
                    entry.service().readingChanged(Optional.ofNullable(previous), current);
                } catch (RuntimeException e) {
                    LOG.warn("PathpointListener {} failed on {}", entry.service(), current, e);
                }
            }
        }
    }

    @Override
    public Optional<Reading> reading(String pathpoint) {
        Slot slot = slots.get(pathpoint);
        return slot == null ? Optional.empty() : Optional.ofNullable(slot.current);
    }

    /** A snapshot of every reading, sorted by pathpoint name. */
    @Override
    public Map<String, Reading> readings() {
        Map<String, Reading> snapshot = new TreeMap<>();
        slots.forEach((name, slot) -> {
            Reading reading = slot.current;
            if (reading != null) {
                snapshot.put(name, reading);
            }
        });
        return java.util.Collections.unmodifiableMap(snapshot);
    }
}
