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

    private ReadPlanner() {
    }

    public static <T> List<ReadRequest<T>> plan(List<ReadItem<T>> items, PlanningLimits limits, HoleMap holes) {
        Map<String, List<ReadItem<T>>> groups = new LinkedHashMap<>();
        for (ReadItem<T> item : items) {
            groups.computeIfAbsent(item.unit() + "/" + item.area(), key -> new ArrayList<>()).add(item);
        }
        List<ReadRequest<T>> requests = new ArrayList<>();
        for (List<ReadItem<T>> group : groups.values()) {
            planGroup(group, limits, holes, requests);
        }
        return requests;
    }

    private static <T> void planGroup(List<ReadItem<T>> group, PlanningLimits limits, HoleMap holes,
            List<ReadRequest<T>> requests) {
        List<ReadItem<T>> sorted = new ArrayList<>(group);
        sorted.sort(Comparator.<ReadItem<T>>comparingInt(ReadItem::start).thenComparing(ReadItem::end, Comparator.reverseOrder()));
        Area area = sorted.get(0).area();
        int unit = sorted.get(0).unit();
        int maxCount = limits.maxRead(area);
        int maxGap = limits.maxGap(area);

        List<ReadItem<T>> current = new ArrayList<>();
        int start = 0;
        int end = -1;
        for (ReadItem<T> item : sorted) {
            if (holes.intersects(unit, area, item.start(), item.end())) {
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
                    && !holes.intersects(unit, area, end + 1, item.end());
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
