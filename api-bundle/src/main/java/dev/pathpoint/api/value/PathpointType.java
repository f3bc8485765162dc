package dev.pathpoint.api.value;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The type of a pathpoint, named by the first letter of its name ({@code W1r4002} is
 * {@link #UNSIGNED_16}). A name starting with {@code r} is a reparse pathpoint: its type is its
 * second letter ({@code rf...} is {@link #FLOAT_32}).
 *
 * <p>The 32- and 64-bit integers share the letters of the 16-bit ones ({@code W} unsigned, {@code w}
 * signed): the letter says what kind of number it is, a driver's name grammar says how wide (for
 * Modbus a modifier, {@code W1r100:32}; see {@link dev.pathpoint.api.driver.PathpointGrammar}). A
 * letter alone means the 16-bit type.
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
    TEXT('u'),
    /** {@code W} over 32 bits: unsigned integer, 0..4294967295. */
    UNSIGNED_32('W'),
    /** {@code w} over 32 bits: signed integer, -2147483648..2147483647. */
    SIGNED_32('w'),
    /** {@code W} over 64 bits: unsigned integer, 0..18446744073709551615 (beyond 2^63 - 1 a {@link PathpointValue.BigWhole}). */
    UNSIGNED_64('W'),
    /** {@code w} over 64 bits: signed integer, the range of a {@code long}. */
    SIGNED_64('w');

    private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);

    /** values() copies its array at every call; a name's type letter is looked up for every order. */
    private static final PathpointType[] ALL = values();

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
     * The type named by a letter; {@code W} and {@code w} name the 16-bit types.
     *
     * @throws OperationFailedException {@link OperationFailedReason#INVALID} if no type has that letter
     */
    public static PathpointType ofLetter(char letter) throws OperationFailedException {
        for (PathpointType type : ALL) {
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
     * 0..65535, {@code w} to -32768..32767, the wider ones to theirs), exactly, at any size; fractions
     * are rounded half away from zero; {@code B} is 1 for any non-zero value, else 0; {@code f} is
     * rounded to 32-bit precision; text is parsed as a decimal number for numeric types; numbers
     * become their decimal text for {@code u}.
     *
     * @throws OperationFailedException {@link OperationFailedReason#TYPE} if the value is text that
     *         is not a decimal number, or NaN or infinite for an integer type
     */
    public PathpointValue coerce(PathpointValue value) throws OperationFailedException {
        if (this == TEXT) {
            return value instanceof PathpointValue.Text ? value : PathpointValue.of(value.asText());
        }
        PathpointValue quick = coerceQuickly(value);
        if (quick != null) {
            return quick;
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
                return clip(number);
        }
    }

    /**
     * The common cases without decimals (the engine converts every written value, and reparse
     * pathpoints every result): a double or a 64-bit whole number to a float type, and a 64-bit whole
     * number to a bit or an integer type whose range is within 64 bits. The same results as the exact
     * way below, which does the rest; null for the rest.
     */
    private PathpointValue coerceQuickly(PathpointValue value) {
        if (value instanceof PathpointValue.Real real) {
            return switch (this) {
                case FLOAT_32 -> PathpointValue.of((double) (float) real.value());
                case FLOAT_64 -> value;
                default -> null;
            };
        }
        if (!(value instanceof PathpointValue.Whole whole)) {
            return null;
        }
        long number = whole.value();
        return switch (this) {
            case FLOAT_32 -> PathpointValue.of((double) (float) number);
            case FLOAT_64 -> PathpointValue.of((double) number);
            case BIT -> PathpointValue.of(number == 0 ? 0 : 1);
            case UNSIGNED_64 -> number < 0 ? PathpointValue.of(0) : value;
            case SIGNED_64 -> value;
            default -> PathpointValue.of(Math.max(minimum().longValue(), Math.min(maximum().longValue(), number)));
        };
    }

    /** The value as an exact decimal, or null for NaN and infinities. */
    private BigDecimal decimal(PathpointValue value) throws OperationFailedException {
        if (value instanceof PathpointValue.Whole whole) {
            return BigDecimal.valueOf(whole.value());
        }
        if (value instanceof PathpointValue.BigWhole big) {
            return new BigDecimal(big.value());
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

    private PathpointValue clip(BigDecimal number) {
        if (this == BIT) {
            return PathpointValue.of(number.signum() == 0 ? 0 : 1);
        }
        BigInteger min = minimum();
        BigInteger max = maximum();
        // compared before rounding, so that text such as "1e999999999" never becomes a huge integer
        if (number.compareTo(new BigDecimal(min)) <= 0) {
            return PathpointValue.of(min);
        }
        if (number.compareTo(new BigDecimal(max)) >= 0) {
            return PathpointValue.of(max);
        }
        if (number.precision() - number.scale() < 0) {
            return PathpointValue.of(0); // below 0.1 in size ("1e-999999999" too): rounds to 0, which every range holds
        }
        return PathpointValue.of(number.setScale(0, RoundingMode.HALF_UP).toBigIntegerExact());
    }

    private BigInteger minimum() {
        return switch (this) {
            case SIGNED_16 -> BigInteger.valueOf(Short.MIN_VALUE);
            case SIGNED_32 -> BigInteger.valueOf(Integer.MIN_VALUE);
            case SIGNED_64 -> BigInteger.valueOf(Long.MIN_VALUE);
            default -> BigInteger.ZERO;
        };
    }

    private BigInteger maximum() {
        return switch (this) {
            case UNSIGNED_16 -> BigInteger.valueOf(0xFFFF);
            case SIGNED_16 -> BigInteger.valueOf(Short.MAX_VALUE);
            case UNSIGNED_32 -> BigInteger.valueOf(0xFFFF_FFFFL);
            case SIGNED_32 -> BigInteger.valueOf(Integer.MAX_VALUE);
            case UNSIGNED_64 -> TWO_TO_THE_64.subtract(BigInteger.ONE);
            case SIGNED_64 -> BigInteger.valueOf(Long.MAX_VALUE);
            default -> throw new IllegalStateException(this + " is not an integer type");
        };
    }
}
