package dev.pathpoint.modbus.internal.name;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointType;

/**
 * A parsed Modbus pathpoint name: {@code <type><unit><area><address>[modifiers]}, e.g.
 * {@code W1r4002} (unsigned register 4002 of unit 1), {@code f2i10@CDAB} (float in input registers
 * 10-11 of unit 2, word-swapped), {@code B1r7.3} (bit 3 of holding register 7), {@code u1r100#8}
 * (a 16-character string over holding registers 100-107), {@code B1c12} (coil 12),
 * {@code w1r20:32@CDAB} (signed 32-bit integer in holding registers 20-21, word-swapped). Modifiers
 * come in any order, each at most once.
 *
 * @param type the pathpoint's type: the letter's, widened by a {@code :32} or {@code :64} modifier
 * @param width the number of registers (register areas) or bits (bit areas) the pathpoint spans
 * @param bitIndex the bit index 0..15 of a register bit, or -1
 * @param order the per-pathpoint byte/word order, or null to use the connection's default
 */
public record ModbusPathpoint(String name, PathpointType type, int unit, Area area, int address, int bitIndex, int width,
        RegisterOrder order) {

    /** Largest unit id in a name. */
    public static final int MAX_UNIT = 255;
    /** Largest protocol address. */
    public static final int MAX_ADDRESS = 65535;
    /** Longest string, in registers: what one FC16 write can carry. */
    public static final int MAX_STRING_REGISTERS = Area.MAX_WRITE_REGISTERS;

    /** Whether this is one bit of a register (a {@code B} pathpoint on a register area). */
    public boolean isRegisterBit() {
        return bitIndex >= 0;
    }

    /** The last register or bit address the pathpoint covers. */
    public int lastAddress() {
        return address + width - 1;
    }

    /**
     * The byte/word order to use: the pathpoint's own, else the connection's default for numbers over
     * several registers (f, d, 32- and 64-bit integers), else ABCD.
     */
    public RegisterOrder effectiveOrder(RegisterOrder connectionDefault) {
        if (order != null) {
            return order;
        }
        return isMultiRegisterNumber(type) ? connectionDefault : RegisterOrder.ABCD;
    }

    /** Whether values of the type are numbers spread over several registers, whose word order matters. */
    static boolean isMultiRegisterNumber(PathpointType type) {
        return switch (type) {
            case FLOAT_32, FLOAT_64, UNSIGNED_32, SIGNED_32, UNSIGNED_64, SIGNED_64 -> true;
            default -> false;
        };
    }

    /**
     * Parses a pathpoint name.
     *
     * @throws OperationFailedException {@link OperationFailedReason#INVALID}, with a message naming the
     *         part of the name that is wrong
     */
    public static ModbusPathpoint parse(String name) throws OperationFailedException {
        return new Parser(name).parse();
    }

    private static final class Parser {
        private final String name;
        private int position;

        Parser(String name) {
            this.name = name;
        }

        ModbusPathpoint parse() throws OperationFailedException {
            if (name == null || name.isEmpty()) {
                throw invalid("empty pathpoint name");
            }
            if (PathpointType.isReparse(name)) {
                throw invalid("'" + name + "' is a reparse pathpoint (it starts with 'r'), not a Modbus pathpoint");
            }
            char typeLetter = name.charAt(0);
            PathpointType type;
            try {
                type = PathpointType.ofLetter(typeLetter);
            } catch (OperationFailedException e) {
                throw wrong(0, "type letter '" + typeLetter + "' is unknown (expected one of B W w f d u)");
            }
            position = 1;
            int unit = number("unit id", MAX_UNIT);
            if (position >= name.length()) {
                throw wrong(position, "the area letter is missing (expected r, i, c or d after the unit id)");
            }
            char areaLetter = name.charAt(position);
            Area area = Area.ofLetter(areaLetter);
            if (area == null) {
                throw wrong(position, "area letter '" + areaLetter
                        + "' is unknown (expected r holding register, i input register, c coil, d discrete input)");
            }
            position++;
            int address = number("address", MAX_ADDRESS);

            int bitIndex = -1;
            int stringRegisters = -1;
            int integerBits = -1;
            RegisterOrder order = null;
            while (position < name.length()) {
                char marker = name.charAt(position);
                int markerPosition = position;
                position++;
                switch (marker) {
                    case '.' -> {
                        if (bitIndex >= 0) {
                            throw wrong(markerPosition, "the bit modifier '.' is given twice");
                        }
                        bitIndex = number("bit index", 15);
                    }
                    case '#' -> {
                        if (stringRegisters >= 0) {
                            throw wrong(markerPosition, "the length modifier '#' is given twice");
                        }
                        stringRegisters = number("string length in registers", 1, MAX_STRING_REGISTERS);
                    }
                    case ':' -> {
                        if (integerBits >= 0) {
                            throw wrong(markerPosition, "the width modifier ':' is given twice");
                        }
                        integerBits = number("integer width in bits", MAX_ADDRESS);
                        if (integerBits != 16 && integerBits != 32 && integerBits != 64) {
                            throw wrong(markerPosition + 1, "integer width " + integerBits + " is not 16, 32 or 64 bits");
                        }
                    }
                    case '@' -> {
                        if (order != null) {
                            throw wrong(markerPosition, "the order modifier '@' is given twice");
                        }
                        int end = Math.min(position + 4, name.length());
                        order = RegisterOrder.parse(name.substring(position, end));
                        if (order == null) {
                            throw wrong(position, "byte/word order '" + name.substring(position)
                                    + "' is unknown (expected ABCD, CDAB, BADC or DCBA)");
                        }
                        position = end;
                    }
                    default -> throw wrong(markerPosition, "unexpected '" + marker
                            + "' (modifiers are .<bit>, #<registers>, :<bits> and @<order>)");
                }
            }
            if (integerBits >= 0) {
                type = widened(type, integerBits);
            }
            int width = checkCombination(type, area, bitIndex, stringRegisters, order);
            if ((long) address + width - 1 > MAX_ADDRESS) {
                throw invalid("pathpoint '" + name + "': it spans addresses " + address + ".." + (address + width - 1)
                        + ", past the last address " + MAX_ADDRESS);
            }
            return new ModbusPathpoint(name, type, unit, area, address, bitIndex, width, order);
        }

        private PathpointType widened(PathpointType type, int bits) throws OperationFailedException {
            boolean unsigned = type == PathpointType.UNSIGNED_16;
            if (!unsigned && type != PathpointType.SIGNED_16) {
                throw invalid("pathpoint '" + name + "': the ':' width modifier is only for W and w (integer) pathpoints, not "
                        + type.letter());
            }
            return switch (bits) {
                case 32 -> unsigned ? PathpointType.UNSIGNED_32 : PathpointType.SIGNED_32;
                case 64 -> unsigned ? PathpointType.UNSIGNED_64 : PathpointType.SIGNED_64;
                default -> type;
            };
        }

        private int checkCombination(PathpointType type, Area area, int bitIndex, int stringRegisters, RegisterOrder order)
                throws OperationFailedException {
            if (type == PathpointType.BIT) {
                if (order != null) {
                    throw invalid("pathpoint '" + name + "': a bit has no byte/word order, drop the '@' modifier");
                }
                if (stringRegisters >= 0) {
                    throw invalid("pathpoint '" + name + "': the '#' length modifier is only for u (string) pathpoints");
                }
                if (area.holdsRegisters() && bitIndex < 0) {
                    throw invalid("pathpoint '" + name + "': a bit of a " + area.description()
                            + " needs a bit index, e.g. '" + name + ".0'");
                }
                if (!area.holdsRegisters() && bitIndex >= 0) {
                    throw invalid("pathpoint '" + name + "': a " + area.description()
                            + " is a single bit, drop the '.' bit modifier");
                }
                return 1;
            }
            if (!area.holdsRegisters()) {
                throw invalid("pathpoint '" + name + "': type " + type.letter() + " needs a register area (r or i), not "
                        + area.letter() + " (" + area.description() + "); use B for bits");
            }
            if (bitIndex >= 0) {
                throw invalid("pathpoint '" + name + "': the '.' bit modifier is only for B pathpoints");
            }
            if (type == PathpointType.TEXT) {
                if (stringRegisters < 0) {
                    throw invalid("pathpoint '" + name + "': a u (string) pathpoint needs its length in registers, e.g. '"
                            + name + "#8'");
                }
            } else if (stringRegisters >= 0) {
                throw invalid("pathpoint '" + name + "': the '#' length modifier is only for u (string) pathpoints");
            }
            if (order != null && order.swapsWords() && !isMultiRegisterNumber(type)) {
                throw invalid("pathpoint '" + name + "': word order " + order
                        + " applies only to values over several registers (f, d, :32 and :64); use ABCD or BADC");
            }
            return switch (type) {
                case FLOAT_32, UNSIGNED_32, SIGNED_32 -> 2;
                case FLOAT_64, UNSIGNED_64, SIGNED_64 -> 4;
                case TEXT -> stringRegisters;
                default -> 1;
            };
        }

        /** A decimal number at the current position, without sign or leading zero, at most {@code max}. */
        private int number(String what, int max) throws OperationFailedException {
            return number(what, 0, max);
        }

        /** A decimal number at the current position, without sign or leading zero, from {@code min} to {@code max}. */
        private int number(String what, int min, int max) throws OperationFailedException {
            int start = position;
            while (position < name.length() && Character.isDigit(name.charAt(position)) && name.charAt(position) < 128) {
                position++;
            }
            if (start == position) {
                String found = start < name.length() ? "'" + name.charAt(start) + "'" : "the end of the name";
                throw wrong(start, "expected the " + what + " (a decimal number) but found " + found);
            }
            int length = position - start;
            if (length > 1 && name.charAt(start) == '0') {
                throw wrong(start, "the " + what + " '" + name.substring(start, position) + "' has a leading zero");
            }
            // every name of a section is parsed on its way to the device: no substring (ASCII digits, checked above)
            int value = length > 6 ? Integer.MAX_VALUE : Integer.parseInt(name, start, position, 10);
            if (value > max || value < min) {
                throw wrong(start, "the " + what + " " + name.substring(start, position) + " is out of range " + min + ".." + max);
            }
            return value;
        }

        private OperationFailedException wrong(int at, String what) {
            return invalid("pathpoint '" + name + "' at position " + at + ": " + what);
        }

        private static OperationFailedException invalid(String message) {
            return new OperationFailedException(OperationFailedReason.INVALID, message);
        }
    }
}
