package dev.pathpoint.api.value;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The type of a pathpoint, named by the first letter of its name ({@code W1r4002} is
 * {@link #UNSIGNED_16}). A name starting with {@code r} is a reparse pathpoint: its type is its
 * second letter ({@code rf...} is {@link #FLOAT_32}).
 */
public enum PathpointType {
    /** {@code B}: one bit, 0 or 1. */
    BIT('B'),
    /** {@code W}: unsigned 16-bit integer, 0..65535. */
    UNSIGNED_16('W'),
    /** {@code w}: signed 16-bit integer, -32768..32767. */
    SIGNED_16('w'),
    /** {@code f}: 32-bit IEEE 754 float. */
    FLOAT_32('f'),
    /** {@code d}: 64-bit IEEE 754 float. */
    FLOAT_64('d'),
    /** {@code u}: a string. */
    TEXT('u');

    /** The first letter of a reparse pathpoint's name. */
    public static final char REPARSE_PREFIX = 'r';

    private final char letter;

    PathpointType(char letter) {
        this.letter = letter;
    }

    public char letter() {
        return letter;
    }

    /**
     * The type named by a letter.
     *
     * @throws OperationFailedException {@link OperationFailedReason#INVALID} if no type has that letter
     */
    public static PathpointType ofLetter(char letter) throws OperationFailedException {
        for (PathpointType type : values()) {
            if (type.letter == letter) {
                return type;
            }
        }
        throw new OperationFailedException(OperationFailedReason.INVALID,
                "unknown pathpoint type letter '" + letter + "' (expected one of B W w f d u)");
    }

    /**
     * The type of a pathpoint, from its name.
     *
     * @throws OperationFailedException {@link OperationFailedReason#INVALID} if the name is empty or
     *         does not start with a type letter (or {@code r} and a type letter)
     */
    public static PathpointType ofPathpoint(String pathpoint) throws OperationFailedException {
        if (pathpoint == null || pathpoint.isEmpty()) {
            throw new OperationFailedException(OperationFailedReason.INVALID, "empty pathpoint name");
        }
        if (isReparse(pathpoint)) {
            if (pathpoint.length() < 2) {
                throw new OperationFailedException(OperationFailedReason.INVALID,
                        "reparse pathpoint '" + pathpoint + "' has no type letter after 'r'");
            }
            return named(pathpoint, pathpoint.charAt(1));
        }
        return named(pathpoint, pathpoint.charAt(0));
    }

    /** Whether the name is that of a reparse pathpoint (it starts with {@code r}). */
    public static boolean isReparse(String pathpoint) {
        return !pathpoint.isEmpty() && pathpoint.charAt(0) == REPARSE_PREFIX;
    }

    private static PathpointType named(String pathpoint, char letter) throws OperationFailedException {
        try {
            return ofLetter(letter);
        } catch (OperationFailedException e) {
            throw new OperationFailedException(OperationFailedReason.INVALID,
                    "pathpoint '" + pathpoint + "': " + e.getMessage());
        }
    }

    /**
     * Converts a value to this type. Integers are clipped to the type's range ({@code W} to
     * 0..65535, {@code w} to -32768..32767), fractions rounded half away from zero; {@code B} is 1
     * for any non-zero value, else 0; {@code f} is rounded to 32-bit precision; text is parsed as a
     * decimal number for numeric types; numbers become their decimal text for {@code u}.
     *
     * @throws OperationFailedException {@link OperationFailedReason#TYPE} if the value is text that
     *         is not a decimal number, or NaN or infinite for an integer type
     */
    public PathpointValue coerce(PathpointValue value) throws OperationFailedException {
        if (this == TEXT) {
            return value instanceof PathpointValue.Text ? value : PathpointValue.of(value.asText());
        }
        BigDecimal number = decimal(value);
        switch (this) {
            case FLOAT_32:
                return PathpointValue.of((double) (number == null ? (float) ((PathpointValue.Real) value).value()
                        : number.floatValue()));
            case FLOAT_64:
                return PathpointValue.of(number == null ? ((PathpointValue.Real) value).value() : number.doubleValue());
            default:
                if (number == null) {
                    throw new OperationFailedException(OperationFailedReason.TYPE,
                            value.asText() + " is not a number a " + letter + " pathpoint can hold");
                }
                return PathpointValue.of(clip(number));
        }
    }

    /** The value as an exact decimal, or null for NaN and infinities. */
    private BigDecimal decimal(PathpointValue value) throws OperationFailedException {
        if (value instanceof PathpointValue.Whole whole) {
            return BigDecimal.valueOf(whole.value());
        }
        if (value instanceof PathpointValue.Real real) {
            return Double.isFinite(real.value()) ? new BigDecimal(real.value()) : null;
        }
        String text = ((PathpointValue.Text) value).value().trim();
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new OperationFailedException(OperationFailedReason.TYPE,
                    "'" + text + "' is not a decimal number, as a " + letter + " pathpoint needs");
        }
    }

    private long clip(BigDecimal number) {
        if (this == BIT) {
            return number.signum() == 0 ? 0 : 1;
        }
        long min = this == UNSIGNED_16 ? 0 : -32768;
        long max = this == UNSIGNED_16 ? 65535 : 32767;
        BigDecimal rounded = number.setScale(0, RoundingMode.HALF_UP);
        if (rounded.compareTo(BigDecimal.valueOf(min)) < 0) {
            return min;
        }
        if (rounded.compareTo(BigDecimal.valueOf(max)) > 0) {
            return max;
        }
        return rounded.longValueExact();
    }
}
