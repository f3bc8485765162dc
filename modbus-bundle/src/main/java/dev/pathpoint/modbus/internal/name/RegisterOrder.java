package dev.pathpoint.modbus.internal.name;

import java.util.Locale;

/**
 * How the bytes of a multi-register value are laid over registers, named by where the value's
 * big-endian bytes A B C D end up: {@code ABCD} is Modbus' own big-endian order, {@code CDAB} swaps
 * the words (registers come least significant first), {@code BADC} swaps the two bytes inside each
 * register and {@code DCBA} does both. For 64-bit values word swap reverses all four registers.
 */
public enum RegisterOrder {
    ABCD(false, false),
    CDAB(true, false),
    BADC(false, true),
    DCBA(true, true);

    private final boolean wordSwap;
    private final boolean byteSwap;

    RegisterOrder(boolean wordSwap, boolean byteSwap) {
        this.wordSwap = wordSwap;
        this.byteSwap = byteSwap;
    }

    public boolean swapsWords() {
        return wordSwap;
    }

    public boolean swapsBytes() {
        return byteSwap;
    }

    /** Parses an order name (case-insensitive), or returns null if it names none. */
    public static RegisterOrder parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Registers, in the order sent, holding the given big-endian bytes (even length). */
    public int[] toRegisters(byte[] bigEndian) {
        int count = bigEndian.length / 2;
        int[] registers = new int[count];
        for (int word = 0; word < count; word++) {
            int high = bigEndian[2 * word] & 0xFF;
            int low = bigEndian[2 * word + 1] & 0xFF;
            int value = byteSwap ? (low << 8) | high : (high << 8) | low;
            registers[wordSwap ? count - 1 - word : word] = value;
        }
        return registers;
    }

    /** The big-endian bytes held by {@code count} registers starting at {@code offset}. */
    public byte[] toBytes(int[] registers, int offset, int count) {
        byte[] bytes = new byte[count * 2];
        for (int word = 0; word < count; word++) {
            int value = registers[offset + (wordSwap ? count - 1 - word : word)];
            int high = (value >> 8) & 0xFF;
            int low = value & 0xFF;
            bytes[2 * word] = (byte) (byteSwap ? low : high);
            bytes[2 * word + 1] = (byte) (byteSwap ? high : low);
        }
        return bytes;
    }
}
