package dev.pathpoint.modbus.internal.name;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Converts pathpoint values to and from register contents. Strings are ISO-8859-1, one byte per
 * character, padded with NUL when written and cut at the first NUL when read.
 */
public final class ValueCodec {
    private static final BigInteger UNSIGNED_64_MAX = BigInteger.ONE.shiftLeft(Long.SIZE).subtract(BigInteger.ONE);

    private ValueCodec() {
    }

    /** The value of a register pathpoint (not a register bit) held by {@code registers[offset..]}. */
    public static PathpointValue decode(ModbusPathpoint pathpoint, int[] registers, int offset, RegisterOrder defaultOrder) {
        RegisterOrder order = pathpoint.effectiveOrder(defaultOrder);
        if (pathpoint.isRegisterBit()) {
            return PathpointValue.of((registers[offset] >> pathpoint.bitIndex()) & 1);
        }
        if (pathpoint.type() == PathpointType.UNSIGNED_16 || pathpoint.type() == PathpointType.SIGNED_16) {
            // the common case, one register: no byte array on the way
            int register = registers[offset] & 0xFFFF;
            if (order.swapsBytes()) {
                register = ((register & 0xFF) << 8) | ((register >> 8) & 0xFF);
            }
            return PathpointValue.of(pathpoint.type() == PathpointType.SIGNED_16 ? (short) register : register);
        }
        byte[] bytes = order.toBytes(registers, offset, pathpoint.width());
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return switch (pathpoint.type()) {
            case UNSIGNED_16 -> PathpointValue.of(buffer.getShort() & 0xFFFF);
            case SIGNED_16 -> PathpointValue.of(buffer.getShort());
            case UNSIGNED_32 -> PathpointValue.of(buffer.getInt() & 0xFFFF_FFFFL);
            case SIGNED_32 -> PathpointValue.of(buffer.getInt());
            case UNSIGNED_64 -> unsigned64(buffer.getLong());
            case SIGNED_64 -> PathpointValue.of(buffer.getLong());
            case FLOAT_32 -> PathpointValue.of((double) buffer.getFloat());
            case FLOAT_64 -> PathpointValue.of(buffer.getDouble());
            case TEXT -> PathpointValue.of(text(bytes));
            case BIT -> throw new IllegalArgumentException("a coil or discrete input is not held by registers");
        };
    }

    /** The unsigned value of 64 bits: a Whole up to 2^63 - 1, a BigWhole beyond, exact either way. */
    private static PathpointValue unsigned64(long bits) {
        return bits >= 0 ? PathpointValue.of(bits) : PathpointValue.of(new BigInteger(Long.toUnsignedString(bits)));
    }

    private static String text(byte[] bytes) {
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * The registers to write for a value of a register pathpoint (not a register bit). Nothing is
     * converted here: the executor hands a driver written values already converted to the pathpoint's
     * type ({@link dev.pathpoint.api.driver.WriteOperation}), and a value that is not of the type is
     * refused rather than guessed at.
     *
     * @throws OperationFailedException {@link OperationFailedReason#TYPE} if the value is not of the
     *         pathpoint's type, or is a text that the registers cannot hold
     */
    public static int[] encode(ModbusPathpoint pathpoint, PathpointValue value, RegisterOrder defaultOrder)
            throws OperationFailedException {
        ByteBuffer buffer = ByteBuffer.allocate(pathpoint.width() * 2);
        switch (pathpoint.type()) {
            case UNSIGNED_16 -> buffer.putShort((short) whole(pathpoint, value, 0, 0xFFFF));
            case SIGNED_16 -> buffer.putShort((short) whole(pathpoint, value, Short.MIN_VALUE, Short.MAX_VALUE));
            case UNSIGNED_32 -> buffer.putInt((int) whole(pathpoint, value, 0, 0xFFFF_FFFFL));
            case SIGNED_32 -> buffer.putInt((int) whole(pathpoint, value, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case UNSIGNED_64 -> buffer.putLong(unsigned64Bits(pathpoint, value));
            case SIGNED_64 -> buffer.putLong(whole(pathpoint, value, Long.MIN_VALUE, Long.MAX_VALUE));
            case FLOAT_32 -> buffer.putFloat(float32(pathpoint, value));
            case FLOAT_64 -> buffer.putDouble(real(pathpoint, value, "a 64-bit float"));
            case TEXT -> buffer.put(textBytes(pathpoint, text(pathpoint, value)));
            case BIT -> throw new IllegalArgumentException("bits are written with coil or mask writes, not registers");
        }
        return pathpoint.effectiveOrder(defaultOrder).toRegisters(buffer.array());
    }

    /**
     * The bit to write for a value of a {@code B} pathpoint (a coil or a register bit): the value must be
     * 0 or 1, as the executor converts it.
     *
     * @throws OperationFailedException {@link OperationFailedReason#TYPE} if it is anything else
     */
    public static boolean encodeBit(ModbusPathpoint pathpoint, PathpointValue value) throws OperationFailedException {
        return whole(pathpoint, value, 0, 1, "0 or 1") == 1;
    }

    private static long whole(ModbusPathpoint pathpoint, PathpointValue value, long min, long max) throws OperationFailedException {
        return whole(pathpoint, value, min, max, "a whole number " + min + ".." + max);
    }

    private static long whole(ModbusPathpoint pathpoint, PathpointValue value, long min, long max, String kind)
            throws OperationFailedException {
        if (value instanceof PathpointValue.Whole whole && whole.value() >= min && whole.value() <= max) {
            return whole.value();
        }
        throw notOfType(pathpoint, value, kind);
    }

    /** The 64 bits of an unsigned 64-bit value: a Whole up to 2^63 - 1, a BigWhole from 2^63 to 2^64 - 1. */
    private static long unsigned64Bits(ModbusPathpoint pathpoint, PathpointValue value) throws OperationFailedException {
        if (value instanceof PathpointValue.Whole whole && whole.value() >= 0) {
            return whole.value();
        }
        if (value instanceof PathpointValue.BigWhole big && big.value().signum() > 0 && big.value().bitLength() == Long.SIZE) {
            return big.value().longValue();
        }
        throw notOfType(pathpoint, value, "a whole number 0.." + UNSIGNED_64_MAX);
    }

    private static float float32(ModbusPathpoint pathpoint, PathpointValue value) throws OperationFailedException {
        double real = real(pathpoint, value, "a 32-bit float");
        if ((double) (float) real != real && !Double.isNaN(real)) {
            throw notOfType(pathpoint, value, "a 32-bit float (this one needs 64 bits)");
        }
        return (float) real;
    }

    private static double real(ModbusPathpoint pathpoint, PathpointValue value, String kind) throws OperationFailedException {
        if (value instanceof PathpointValue.Real real) {
            return real.value();
        }
        throw notOfType(pathpoint, value, kind);
    }

    private static String text(ModbusPathpoint pathpoint, PathpointValue value) throws OperationFailedException {
        if (value instanceof PathpointValue.Text text) {
            return text.value();
        }
        throw notOfType(pathpoint, value, "a text");
    }

    private static OperationFailedException notOfType(ModbusPathpoint pathpoint, PathpointValue value, String kind) {
        String given = value instanceof PathpointValue.Text text ? "the text '" + shortened(text.value()) + "'" : value.asText();
        return new OperationFailedException(OperationFailedReason.TYPE, "pathpoint '" + pathpoint.name() + "' takes "
                + kind + ", not " + given + ": a written value must arrive converted to the pathpoint's type");
    }

    private static String shortened(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    private static byte[] textBytes(ModbusPathpoint pathpoint, String text) throws OperationFailedException {
        CharsetEncoder encoder = StandardCharsets.ISO_8859_1.newEncoder();
        if (!encoder.canEncode(text)) {
            throw new OperationFailedException(OperationFailedReason.TYPE, "pathpoint '" + pathpoint.name()
                    + "': the text has characters outside ISO-8859-1, which a Modbus string cannot hold");
        }
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        int capacity = pathpoint.width() * 2;
        if (bytes.length > capacity) {
            throw new OperationFailedException(OperationFailedReason.TYPE, "pathpoint '" + pathpoint.name() + "': "
                    + bytes.length + " characters do not fit in " + pathpoint.width() + " registers (" + capacity + " at most)");
        }
        return bytes;
    }
}
