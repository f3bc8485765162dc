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

    private ValueCodec() {
    }

    /** The value of a register pathpoint (not a register bit) held by {@code registers[offset..]}. */
    public static PathpointValue decode(ModbusPathpoint pathpoint, int[] registers, int offset, RegisterOrder defaultOrder) {
        RegisterOrder order = pathpoint.effectiveOrder(defaultOrder);
        if (pathpoint.isRegisterBit()) {
            return PathpointValue.of((registers[offset] >> pathpoint.bitIndex()) & 1);
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
     * The registers to write for a value of a register pathpoint (not a register bit), after coercing
     * the value to the pathpoint's type.
     *
     * @throws OperationFailedException {@link OperationFailedReason#TYPE} if the value does not fit
     */
    public static int[] encode(ModbusPathpoint pathpoint, PathpointValue value, RegisterOrder defaultOrder)
            throws OperationFailedException {
        if (pathpoint.type() == PathpointType.BIT) {
            throw new IllegalArgumentException("bits are written with coil or mask writes, not registers");
        }
        PathpointValue coerced = pathpoint.type().coerce(value);
        ByteBuffer buffer = ByteBuffer.allocate(pathpoint.width() * 2);
        switch (pathpoint.type()) {
            case UNSIGNED_16, SIGNED_16 -> buffer.putShort((short) ((PathpointValue.Whole) coerced).value());
            case UNSIGNED_32, SIGNED_32 -> buffer.putInt((int) ((PathpointValue.Whole) coerced).value());
            case UNSIGNED_64, SIGNED_64 -> buffer.putLong(bits64(coerced));
            case FLOAT_32 -> buffer.putFloat((float) ((PathpointValue.Real) coerced).value());
            case FLOAT_64 -> buffer.putDouble(((PathpointValue.Real) coerced).value());
            case TEXT -> buffer.put(textBytes(pathpoint, ((PathpointValue.Text) coerced).value()));
            default -> throw new IllegalStateException("unreachable: " + pathpoint.type());
        }
        return pathpoint.effectiveOrder(defaultOrder).toRegisters(buffer.array());
    }

    /** The 64 bits of a coerced 64-bit integer: a BigWhole only ever holds an unsigned value beyond 2^63 - 1. */
    private static long bits64(PathpointValue coerced) {
        return coerced instanceof PathpointValue.BigWhole big ? big.value().longValue() : ((PathpointValue.Whole) coerced).value();
    }

    /** The bit (0 or 1) to write for a value of a {@code B} pathpoint. */
    public static boolean encodeBit(PathpointValue value) throws OperationFailedException {
        return ((PathpointValue.Whole) PathpointType.BIT.coerce(value)).value() != 0;
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
