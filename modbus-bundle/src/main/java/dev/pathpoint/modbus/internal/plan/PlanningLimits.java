package dev.pathpoint.modbus.internal.plan;

import dev.pathpoint.modbus.internal.name.Area;

/**
 * What the planner may put in one request.
 *
 * @param maxReadRegisters registers per FC3/FC4 read, 1..125
 * @param maxReadBits bits per FC1/FC2 read, 1..2000
 * @param maxRegisterGap unrequested registers a merged read may span between two pathpoints
 * @param maxBitGap unrequested bits a merged read may span between two pathpoints
 * @param maxWriteRegisters registers per FC16 write, 1..123
 * @param maxWriteCoils coils per FC15 write, 1..1968
 * @param multipleRegisterWrites whether the device accepts FC16 (else every register goes by FC6)
 * @param maskWrites whether the device accepts FC22 (else register bits are read, modified, written)
 */
public record PlanningLimits(int maxReadRegisters, int maxReadBits, int maxRegisterGap, int maxBitGap,
        int maxWriteRegisters, int maxWriteCoils, boolean multipleRegisterWrites, boolean maskWrites) {

    public static final PlanningLimits DEFAULTS = new PlanningLimits(Area.MAX_READ_REGISTERS, Area.MAX_READ_BITS, 10, 64,
            Area.MAX_WRITE_REGISTERS, Area.MAX_WRITE_COILS, true, true);

    public PlanningLimits {
        check("maxReadRegisters", maxReadRegisters, 1, Area.MAX_READ_REGISTERS);
        check("maxReadBits", maxReadBits, 1, Area.MAX_READ_BITS);
        check("maxRegisterGap", maxRegisterGap, 0, Area.MAX_READ_REGISTERS);
        check("maxBitGap", maxBitGap, 0, Area.MAX_READ_BITS);
        check("maxWriteRegisters", maxWriteRegisters, 1, Area.MAX_WRITE_REGISTERS);
        check("maxWriteCoils", maxWriteCoils, 1, Area.MAX_WRITE_COILS);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " is " + value + ", outside " + min + ".." + max);
        }
    }

    /** The most registers or bits one read of the area may cover. */
    public int maxRead(Area area) {
        return area.holdsRegisters() ? maxReadRegisters : maxReadBits;
    }

    /** The widest run of unrequested registers or bits a read of the area may span. */
    public int maxGap(Area area) {
        return area.holdsRegisters() ? maxRegisterGap : maxBitGap;
    }
}
