package dev.pathpoint.modbus.internal.plan;

import dev.pathpoint.modbus.internal.name.Area;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges reads into the fewest requests. Items are grouped by (unit, area), sorted by start, and each
 * request grows while the next item fits: the request stays within the limit of its area, the run of
 * unrequested addresses before the item is at most the gap limit, and no remembered hole is crossed.
 * An item that itself touches a hole is read alone. This greedy walk is minimal: the first request
 * of any plan cannot hold an item the walk stopped at (it would break the same rule), and every item
 * it could hold beyond the walk's lies inside that stopping item, so goes with it.
 */
public final class ReadPlanner {
    private record Group(int unit, Area area) {
    }

    /** Addresses up to 2^17 - 1 and indexes up to 2^29 - 1 pack into a long (17 + 17 + 29 bits). */
    private static final int PACKED_ADDRESS_MAX = (1 << 17) - 1;
    private static final int PACKED_INDEX_MAX = (1 << 29) - 1;

    /** By start; of items that start together the longest first, so that the others lie inside it. */
    private static final Comparator<ReadItem<?>> BY_START_THEN_LONGEST = (a, b) -> a.start() != b.start()
            ? Integer.compare(a.start(), b.start()) : Integer.compare(b.end(), a.end());

    private ReadPlanner() {
    }

    public static <T> List<ReadRequest<T>> plan(List<ReadItem<T>> items, PlanningLimits limits, HoleMap holes) {
        Map<Group, List<ReadItem<T>>> groups = new LinkedHashMap<>();
        for (ReadItem<T> item : items) {
            groups.computeIfAbsent(new Group(item.unit(), item.area()), key -> new ArrayList<>()).add(item);
        }
        List<ReadRequest<T>> requests = new ArrayList<>();
        for (List<ReadItem<T>> group : groups.values()) {
            planGroup(group, limits, holes, requests);
        }
        return requests;
    }

    /**
     * The items by start, of those that start together the longest first. A batch's items come in
     * the order of its section, often scattered: they are sorted as packed numbers (start, end, index),
     * without touching an item per comparison, when their addresses fit, as Modbus addresses do.
     */
    private static <T> List<ReadItem<T>> sorted(List<ReadItem<T>> group) {
        int size = group.size();
        long[] keys = new long[size];
        for (int i = 0; i < size; i++) {
            ReadItem<T> item = group.get(i);
            if (item.end() > PACKED_ADDRESS_MAX || size > PACKED_INDEX_MAX) {
                List<ReadItem<T>> sorted = new ArrayList<>(group);
                sorted.sort(BY_START_THEN_LONGEST);
                return sorted;
            }
            keys[i] = ((long) item.start() << 46) | ((long) (PACKED_ADDRESS_MAX - item.end()) << 29) | i;
        }
        java.util.Arrays.sort(keys);
        List<ReadItem<T>> sorted = new ArrayList<>(size);
        for (long key : keys) {
            sorted.add(group.get((int) (key & PACKED_INDEX_MAX)));
        }
        return sorted;
    }

    private static <T> void planGroup(List<ReadItem<T>> group, PlanningLimits limits, HoleMap holes,
            List<ReadRequest<T>> requests) {
        List<ReadItem<T>> sorted = sorted(group);
        Area area = sorted.get(0).area();
        int unit = sorted.get(0).unit();
        int maxCount = limits.maxRead(area);
        int maxGap = limits.maxGap(area);
        boolean anyHoles = holes.any(unit, area);

        List<ReadItem<T>> current = new ArrayList<>();
        int start = 0;
        int end = -1;
        for (ReadItem<T> item : sorted) {
            if (anyHoles && holes.intersects(unit, area, item.start(), item.end())) {
                requests.add(new ReadRequest<>(unit, area, item.start(), item.width(), List.of(item)));
                continue;
            }
            if (current.isEmpty()) {
                current.add(item);
                start = item.start();
                end = item.end();
                continue;
            }
            if (item.end() <= end) {
                current.add(item);
                continue;
            }
            int gap = item.start() - end - 1;
            boolean fits = gap <= maxGap
                    && item.end() - start + 1 <= maxCount
                    && !(anyHoles && holes.intersects(unit, area, end + 1, item.end()));
            if (fits) {
                current.add(item);
                end = item.end();
            } else {
                requests.add(new ReadRequest<>(unit, area, start, end - start + 1, current));
                current = new ArrayList<>();
                current.add(item);
                start = item.start();
                end = item.end();
            }
        }
        if (!current.isEmpty()) {
            requests.add(new ReadRequest<>(unit, area, start, end - start + 1, current));
        }
    }
}
