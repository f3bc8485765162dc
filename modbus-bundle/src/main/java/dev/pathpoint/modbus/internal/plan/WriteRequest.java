package dev.pathpoint.modbus.internal.plan;

import java.util.List;

/** One planned write request, serving the operations in {@code tags()}. */
public sealed interface WriteRequest<T> {
    int unit();

    List<T> tags();

    /** FC16 if {@code multiple}, else FC6 (then {@code values} has one register). */
    record Registers<T>(int unit, int start, int[] values, boolean multiple, List<T> tags) implements WriteRequest<T> {
        public Registers {
            tags = List.copyOf(tags);
        }

        @Override
        public String toString() {
            return (multiple ? "FC16" : "FC6") + " unit " + unit + " registers " + start + ".." + (start + values.length - 1);
        }
    }

    /** FC5 for one coil, FC15 for more. */
    record Coils<T>(int unit, int start, boolean[] values, List<T> tags) implements WriteRequest<T> {
        public Coils {
            tags = List.copyOf(tags);
        }

        @Override
        public String toString() {
            return (values.length == 1 ? "FC5" : "FC15") + " unit " + unit + " coils " + start + ".." + (start + values.length - 1);
        }
    }

    /**
     * Bits of one register: the new value is {@code (old & andMask) | orMask}, by FC22 if
     * {@code maskWrite}, else by reading the register (FC3) and writing it back (FC6).
     */
    record RegisterBits<T>(int unit, int address, int andMask, int orMask, boolean maskWrite, List<T> tags)
            implements WriteRequest<T> {
        public RegisterBits {
            tags = List.copyOf(tags);
        }

        @Override
        public String toString() {
            return (maskWrite ? "FC22" : "read-modify-write") + " unit " + unit + " register " + address;
        }
    }
}
