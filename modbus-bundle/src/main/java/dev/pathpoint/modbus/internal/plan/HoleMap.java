package dev.pathpoint.modbus.internal.plan;

import dev.pathpoint.modbus.internal.name.Area;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Address ranges a device answered "illegal data address" (exception 02) for, per unit and area, so
 * that later reads are not merged over them. Bounded: beyond {@link #capacity} ranges new holes are
 * not remembered (the planner then simply finds them again by splitting).
 */
public final class HoleMap {
    private record Key(int unit, Area area) {
    }

    private final int capacity;
    private final Map<Key, NavigableMap<Integer, Integer>> holes = new HashMap<>();
    private int size;

    public HoleMap(int capacity) {
        this.capacity = capacity;
    }

    /** Whether any remembered hole intersects {@code from..to} (inclusive). */
    public synchronized boolean intersects(int unit, Area area, int from, int to) {
        if (from > to) {
            return false;
        }
        NavigableMap<Integer, Integer> ranges = holes.get(new Key(unit, area));
        if (ranges == null) {
            return false;
        }
        Map.Entry<Integer, Integer> before = ranges.floorEntry(to);
        return before != null && before.getValue() >= from;
    }

    /** Whether any hole is known in the area of the unit. */
    public synchronized boolean any(int unit, Area area) {
        NavigableMap<Integer, Integer> ranges = holes.get(new Key(unit, area));
        return ranges != null && !ranges.isEmpty();
    }

    /** Remembers {@code from..to} (inclusive) as unreadable; ranges are kept disjoint. */
    public synchronized void add(int unit, Area area, int from, int to) {
        if (from > to) {
            return;
        }
        NavigableMap<Integer, Integer> ranges = holes.computeIfAbsent(new Key(unit, area), key -> new TreeMap<>());
        Map.Entry<Integer, Integer> before = ranges.floorEntry(from);
        if (before != null && before.getValue() >= to) {
            return;
        }
        if (size >= capacity) {
            return;
        }
        int mergedFrom = from;
        int mergedTo = to;
        // absorb every range that overlaps or touches the new one
        Map.Entry<Integer, Integer> overlapping;
        while ((overlapping = ranges.floorEntry(mergedTo + 1)) != null && overlapping.getValue() >= mergedFrom - 1) {
            mergedFrom = Math.min(mergedFrom, overlapping.getKey());
            mergedTo = Math.max(mergedTo, overlapping.getValue());
            ranges.remove(overlapping.getKey());
            size--;
        }
        ranges.put(mergedFrom, mergedTo);
        size++;
    }

    public synchronized int size() {
        return size;
    }

    @Override
    public synchronized String toString() {
        return "holes " + holes;
    }
}
