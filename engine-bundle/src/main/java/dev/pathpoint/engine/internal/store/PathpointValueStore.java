package dev.pathpoint.engine.internal.store;

import dev.pathpoint.api.store.PathpointListener;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.store.ValueStore;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.registry.ListenerRegistry;
import java.util.Collections;
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
 * The last reading of at most {@code capacity} pathpoints, and the notification of
 * {@link PathpointListener}s.
 *
 * <p>Bounded, because pathpoint names come from outside: when a reading of one more pathpoint comes
 * and the store is full, the pathpoint recorded least recently is forgotten, and listeners are told
 * ({@link PathpointListener#readingRemoved}). Readings are recorded by the engine's dispatch thread
 * only; they are read from any thread.
 *
 * <p>Listeners run on the notifier executor, never on the dispatch thread, so a slow listener
 * cannot stall orders. Notifications are queued per pathpoint (at most one pending per pathpoint, so
 * the queue is bounded by the capacity): each call tells a listener the reading it was last told
 * about and the newest one. A listener that keeps up sees every change; one that falls behind sees
 * the newest reading, never an older one after a newer one, and never a repeat.
 */
public final class PathpointValueStore implements ValueStore {
    private static final Logger LOG = LoggerFactory.getLogger(PathpointValueStore.class);

    private static final class Slot {
        volatile Reading current;
        /** When {@link #current} was recorded, in monotonic nanos; dispatch thread only. */
        long recordedAtNanos;
        /** Whether {@link #current} may answer reads inside a minimum read interval; dispatch thread only. */
        boolean reusable;
        /** Neighbours in recording order, least recent first; dispatch thread only. */
        Slot older;
        Slot newer;
        /** Forgotten to keep the store within its capacity; listeners are told once. */
        volatile boolean evicted;
        /** The reading listeners were last told about; notifier only. */
        Reading notified;
        final AtomicBoolean queued = new AtomicBoolean();
    }

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Slot> changed = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ListenerRegistry listeners;
    private final Executor notifier;
    private volatile int capacity;
    /** Least and most recently recorded; dispatch thread only. */
    private Slot leastRecent;
    private Slot mostRecent;

    public PathpointValueStore(ListenerRegistry listeners, Executor notifier, int capacity) {
        this.listeners = listeners;
        this.notifier = notifier;
        this.capacity = capacity;
    }

    /** Changes the capacity; a smaller one forgets the least recent readings at the next record. */
    public void setCapacity(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Records a reading (dispatch thread only); listeners are told if it says something else than
     * the one before.
     *
     * @param nanoTime when, in the engine's monotonic time
     */
    public void record(Reading reading, long nanoTime) {
        Slot slot = slots.get(reading.pathpoint());
        if (slot == null) {
            slot = new Slot();
            slots.put(reading.pathpoint(), slot);
        } else {
            unlink(slot);
        }
        link(slot);
        Reading previous = slot.current;
        slot.current = reading;
        slot.recordedAtNanos = nanoTime;
        slot.reusable = reading instanceof Reading.Success;
        if (previous == null || !reading.sameContentAs(previous)) {
            queue(slot);
        }
        while (slots.size() > capacity && leastRecent != null) {
            evict(leastRecent);
        }
    }

    /**
     * The value of the last reading, if it was a success recorded at most {@code maxAgeNanos} before
     * {@code nowNanos}; else null. Dispatch thread only.
     */
    public PathpointValue recentValue(String pathpoint, long maxAgeNanos, long nowNanos) {
        Slot slot = slots.get(pathpoint);
        if (slot == null || !slot.reusable || nowNanos - slot.recordedAtNanos >= maxAgeNanos) {
            return null;
        }
        return ((Reading.Success) slot.current).value();
    }

    /** The last reading must not answer reads any more (a write is on its way). Dispatch thread only. */
    public void forgetRecentValue(String pathpoint) {
        Slot slot = slots.get(pathpoint);
        if (slot != null) {
            slot.reusable = false;
        }
    }

    private void evict(Slot slot) {
        unlink(slot);
        slots.remove(slot.current.pathpoint(), slot);
        slot.evicted = true;
        queue(slot);
    }

    private void link(Slot slot) {
        slot.older = mostRecent;
        slot.newer = null;
        if (mostRecent != null) {
            mostRecent.newer = slot;
        } else {
            leastRecent = slot;
        }
        mostRecent = slot;
    }

    private void unlink(Slot slot) {
        if (slot.older != null) {
            slot.older.newer = slot.newer;
        } else {
            leastRecent = slot.newer;
        }
        if (slot.newer != null) {
            slot.newer.older = slot.older;
        } else {
            mostRecent = slot.older;
        }
        slot.older = null;
        slot.newer = null;
    }

    private void queue(Slot slot) {
        if (slot.queued.compareAndSet(false, true)) {
            changed.offer(slot);
            scheduleDrain();
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
                if (slot.evicted) {
                    notifyRemoved(current);
                }
            }
            draining.set(false);
            if (changed.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void notifyListeners(Reading previous, Reading current) {
        for (ListenerRegistry.ListenerEntry entry : listeners.listeners()) {
            if (entry.selects(current.pathpoint())) {
                try {
                    entry.service().readingChanged(Optional.ofNullable(previous), current);
                } catch (RuntimeException e) {
                    LOG.warn("PathpointListener {} failed on {}", entry.service(), current, e);
                }
            }
        }
    }

    private void notifyRemoved(Reading last) {
        for (ListenerRegistry.ListenerEntry entry : listeners.listeners()) {
            if (entry.selects(last.pathpoint())) {
                try {
                    entry.service().readingRemoved(last);
                } catch (RuntimeException e) {
                    LOG.warn("PathpointListener {} failed on the removal of {}", entry.service(), last, e);
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
        return Collections.unmodifiableMap(snapshot);
    }

    /** How many pathpoints it holds a reading of. */
    public int size() {
        return slots.size();
    }
}
