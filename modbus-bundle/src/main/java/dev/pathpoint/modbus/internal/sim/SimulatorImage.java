package dev.pathpoint.modbus.internal.sim;

import dev.pathpoint.modbus.internal.name.Area;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.Map;

/**
 * The simulator's data: for each area, which addresses exist and their values (registers 0..65535,
 * bits 0/1). Thread-safe; each request reads or writes under one lock, so it is atomic.
 */
public final class SimulatorImage {
    private static final int SIZE = 65536;

    private final Map<Area, BitSet> present = new EnumMap<>(Area.class);
    private final Map<Area, int[]> values = new EnumMap<>(Area.class);

    public SimulatorImage() {
        for (Area area : Area.values()) {
            present.put(area, new BitSet(SIZE));
            values.put(area, new int[SIZE]);
        }
    }

    /**
     * Makes addresses exist, from a list such as {@code "0-99,200,300-310"}.
     *
     * @throws IllegalArgumentException naming the bad part
     */
    public synchronized SimulatorImage define(Area area, String ranges) {
        if (ranges == null || ranges.isBlank()) {
            return this;
        }
        for (String part : ranges.split(",")) {
            String range = part.trim();
            if (range.isEmpty()) {
                continue;
            }
            int dash = range.indexOf('-');
            int from = address(area, dash < 0 ? range : range.substring(0, dash));
            int to = dash < 0 ? from : address(area, range.substring(dash + 1));
            if (to < from) {
                throw new IllegalArgumentException(area.description() + " range '" + range + "' ends before it starts");
            }
            present.get(area).set(from, to + 1);
        }
        return this;
    }

    /**
     * Sets initial values from an entry such as {@code "100=1,2,0x4142,-1"}: consecutive values from the
     * address (registers accept -32768..65535, bits 0 or 1). The addresses must exist.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public synchronized SimulatorImage load(Area area, String entry) {
        int equals = entry.indexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException(area.description() + " values '" + entry + "' need the form address=v1,v2,...");
        }
        int address = address(area, entry.substring(0, equals));
        String[] parts = entry.substring(equals + 1).split(",");
        for (int i = 0; i < parts.length; i++) {
            int value = value(area, entry, parts[i].trim());
            int at = address + i;
            if (at >= SIZE || !present.get(area).get(at)) {
                throw new IllegalArgumentException(area.description() + " values '" + entry + "': address " + at
                        + " is not in the image");
            }
            values.get(area)[at] = value;
        }
        return this;
    }

    private static int address(Area area, String text) {
        try {
            int address = Integer.parseInt(text.trim());
            if (address < 0 || address >= SIZE) {
                throw new IllegalArgumentException(area.description() + " address " + address + " is outside 0..65535");
            }
            return address;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(area.description() + " address '" + text.trim() + "' is not a number", e);
        }
    }

    private static int value(Area area, String entry, String text) {
        try {
            int value = text.startsWith("0x") || text.startsWith("0X") ? Integer.parseInt(text.substring(2), 16)
                    : Integer.parseInt(text);
            if (area.holdsRegisters() ? value < -32768 || value > 65535 : value < 0 || value > 1) {
                throw new IllegalArgumentException(area.description() + " values '" + entry + "': " + text + " is out of range");
            }
            return value & 0xFFFF;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(area.description() + " values '" + entry + "': '" + text + "' is not a number", e);
        }
    }

    /** Whether every address of {@code start..start+count-1} exists. */
    public synchronized boolean exists(Area area, int start, int count) {
        if (start < 0 || count < 1 || start + count > SIZE) {
            return false;
        }
        return present.get(area).nextClearBit(start) >= start + count;
    }

    public synchronized int[] read(Area area, int start, int count) {
        int[] copy = new int[count];
        System.arraycopy(values.get(area), start, copy, 0, count);
        return copy;
    }

    public synchronized void write(Area area, int start, int[] newValues) {
        System.arraycopy(newValues, 0, values.get(area), start, newValues.length);
    }

    /** Applies FC22: {@code (old & and) | (or & ~and)}. */
    public synchronized void mask(int address, int andMask, int orMask) {
        int[] registers = values.get(Area.HOLDING_REGISTER);
        registers[address] = ((registers[address] & andMask) | (orMask & ~andMask)) & 0xFFFF;
    }

    /** One value, for tests and the shell. */
    public synchronized int get(Area area, int address) {
        return values.get(area)[address];
    }
}
