package dev.pathpoint.modbus.internal.name;

/** The four Modbus data areas, each named by one letter in a pathpoint name. */
public enum Area {
    /** {@code r}: holding registers, read with FC3, written with FC6/FC16/FC22. */
    HOLDING_REGISTER('r', true, true, 3),
    /** {@code i}: input registers, read-only, read with FC4. */
    INPUT_REGISTER('i', true, false, 4),
    /** {@code c}: coils, read with FC1, written with FC5/FC15. */
    COIL('c', false, true, 1),
    /** {@code d}: discrete inputs, read-only, read with FC2. */
    DISCRETE_INPUT('d', false, false, 2);

    /** Protocol limit of registers per FC3/FC4 read. */
    public static final int MAX_READ_REGISTERS = 125;
    /** Protocol limit of bits per FC1/FC2 read. */
    public static final int MAX_READ_BITS = 2000;
    /** Protocol limit of registers per FC16 write. */
    public static final int MAX_WRITE_REGISTERS = 123;
    /** Protocol limit of coils per FC15 write. */
    public static final int MAX_WRITE_COILS = 1968;

    private final char letter;
    private final boolean registers;
    private final boolean writable;
    private final int readFunctionCode;

    Area(char letter, boolean registers, boolean writable, int readFunctionCode) {
        this.letter = letter;
        this.registers = registers;
        this.writable = writable;
        this.readFunctionCode = readFunctionCode;
    }

    public char letter() {
        return letter;
    }

    /** Whether the area holds 16-bit registers (else single bits). */
    public boolean holdsRegisters() {
        return registers;
    }

    public boolean isWritable() {
        return writable;
    }

    public int readFunctionCode() {
        return readFunctionCode;
    }

    /** The most registers or bits one read of this area may ask for, by protocol. */
    public int maxReadQuantity() {
        return registers ? MAX_READ_REGISTERS : MAX_READ_BITS;
    }

    /** The area a letter names, or null. */
    public static Area ofLetter(char letter) {
        for (Area area : values()) {
            if (area.letter == letter) {
                return area;
            }
        }
        return null;
    }

    public String description() {
        return switch (this) {
            case HOLDING_REGISTER -> "holding register";
            case INPUT_REGISTER -> "input register";
            case COIL -> "coil";
            case DISCRETE_INPUT -> "discrete input";
        };
    }
}
