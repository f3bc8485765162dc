package dev.pathpoint.modbus.internal.plan;

/** Something to write, tagged with the caller's operation. */
public sealed interface WriteItem<T> {
    T tag();

    int unit();

    /** Whole registers of the holding register area, from {@code start}. */
    record Registers<T>(T tag, int unit, int start, int[] values) implements WriteItem<T> {
        public int end() {
            return start + values.length - 1;
        }
    }

    /** One coil. */
    record Coil<T>(T tag, int unit, int address, boolean value) implements WriteItem<T> {
    }

    /** One bit (0..15) of a holding register. */
    record RegisterBit<T>(T tag, int unit, int address, int bitIndex, boolean value) implements WriteItem<T> {
    }
}
