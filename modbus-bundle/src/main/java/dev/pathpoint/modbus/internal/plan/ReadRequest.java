package dev.pathpoint.modbus.internal.plan;

import dev.pathpoint.modbus.internal.name.Area;
import java.util.List;

/** One planned read: {@code count} registers or bits of an area from {@code start}, serving {@code items}. */
public record ReadRequest<T>(int unit, Area area, int start, int count, List<ReadItem<T>> items) {
    public ReadRequest {
        items = List.copyOf(items);
    }

    public int end() {
        return start + count - 1;
    }

    /** A request covering exactly the given items (sorted by start), for splitting. */
    public static <T> ReadRequest<T> covering(List<ReadItem<T>> items) {
        ReadItem<T> first = items.get(0);
        int start = Integer.MAX_VALUE;
        int end = Integer.MIN_VALUE;
        for (ReadItem<T> item : items) {
            start = Math.min(start, item.start());
            end = Math.max(end, item.end());
        }
        return new ReadRequest<>(first.unit(), first.area(), start, end - start + 1, items);
    }

    @Override
    public String toString() {
        return "read unit " + unit + " " + area.description() + "s " + start + ".." + end() + " (" + items.size() + " items)";
    }
}
