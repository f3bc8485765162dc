package dev.pathpoint.modbus.internal.plan;

import dev.pathpoint.modbus.internal.name.Area;
import java.util.Objects;

/**
 * Something to read: {@code width} registers or bits of an area from {@code start}.
 *
 * @param <T> what the caller tags the item with (its operation)
 */
public record ReadItem<T>(T tag, int unit, Area area, int start, int width) {
    public ReadItem {
        Objects.requireNonNull(area, "area");
        if (width < 1 || start < 0) {
            throw new IllegalArgumentException("bad read item " + start + "+" + width);
        }
    }

    public int end() {
        return start + width - 1;
    }
}
