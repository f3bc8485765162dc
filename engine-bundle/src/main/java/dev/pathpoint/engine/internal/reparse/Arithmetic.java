package dev.pathpoint.engine.internal.reparse;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * What the operators do, with Python's rules: {@code bool} counts as 0 or 1, whole numbers stay whole
 * under {@code + - * // % **} (a negative power gives a float) and {@code /} always gives a float;
 * {@code //} and {@code %} round towards negative infinity; whole numbers and floats compare exactly.
 * Whole numbers are 64-bit here where Python's are unbounded: a result beyond that range is an error,
 * never a silent wrap or a loss of precision.
 */
final class Arithmetic {
    /** Whole numbers up to this magnitude convert to a double exactly. */
    private static final long EXACT_IN_DOUBLE = 1L << 53;
    /** Enough digits to round a quotient of two longs correctly (see {@link #divide(long, long)}). */
    private static final MathContext QUOTIENT_DIGITS = new MathContext(100, RoundingMode.HALF_EVEN);
    private static final int UNORDERED = 2;
    private static final MathContext POWER_DIGITS = new MathContext(60, RoundingMode.HALF_EVEN);
    /** Whole exponents up to this are computed exactly (a few dozen 60-digit multiplications at most). */
    private static final int WHOLE_EXPONENT_LIMIT = 1 << 20;

    private Arithmetic() {
    }

    static boolean isWhole(Value value) {
        return value instanceof Value.Int || value instanceof Value.Bool;
    }

    static boolean isNumber(Value value) {
        return !(value instanceof Value.Text);
    }

    /** A whole number or bool as a long. */
    static long whole(Value value) {
        if (value instanceof Value.Int number) {
            return number.value();
        }
        return ((Value.Bool) value).value() ? 1 : 0;
    }

    /** A number as a double (Python's int-to-float conversion, round to nearest). */
    static double real(Value value) {
        if (value instanceof Value.Real real) {
            return real.value();
        }
        return whole(value);
    }

    static Value add(Value a, Value b) {
        Value sum = numeric(a, b, Math::addExact, Double::sum);
        if (sum != null) {
            return sum;
        }
        if (a instanceof Value.Text left && b instanceof Value.Text right) {
            checkTextLength((long) left.value().length() + right.value().length());
            return new Value.Text(left.value() + right.value());
        }
        throw unsupported("+", a, b);
    }

    static Value subtract(Value a, Value b) {
        Value difference = numeric(a, b, Math::subtractExact, (x, y) -> x - y);
        if (difference != null) {
            return difference;
        }
        throw unsupported("-", a, b);
    }

    static Value multiply(Value a, Value b) {
        Value product = numeric(a, b, Math::multiplyExact, (x, y) -> x * y);
        if (product != null) {
            return product;
        }
        if (a instanceof Value.Text text && isWhole(b)) {
            return repeat(text.value(), whole(b));
        }
        if (b instanceof Value.Text text && isWhole(a)) {
            return repeat(text.value(), whole(a));
        }
        throw unsupported("*", a, b);
    }

    /**
     * {@code whole} on two whole numbers (an overflow is an error), {@code real} when a float is
     * involved, null when either is text.
     */
    private static Value numeric(Value a, Value b, LongBinaryOperator whole, DoubleBinaryOperator real) {
        if (isWhole(a) && isWhole(b)) {
            try {
                return new Value.Int(whole.applyAsLong(whole(a), whole(b)));
            } catch (ArithmeticException e) {
                throw overflow();
            }
        }
        if (isNumber(a) && isNumber(b)) {
            return new Value.Real(real.applyAsDouble(real(a), real(b)));
        }
        return null;
    }

    private static Value repeat(String text, long times) {
        if (times <= 0 || text.isEmpty()) {
            return new Value.Text("");
        }
        checkTextLength(times > ReparseExpression.MAX_TEXT_LENGTH ? times : times * text.length());
        return new Value.Text(text.repeat((int) times));
    }

    static Value divide(Value a, Value b) {
        if (!isNumber(a) || !isNumber(b)) {
            throw unsupported("/", a, b);
        }
        if (isWhole(a) && isWhole(b)) {
            long divisor = whole(b);
            if (divisor == 0) {
                throw divisionByZero();
            }
            return new Value.Real(divide(whole(a), divisor));
        }
        double divisor = real(b);
        if (divisor == 0.0) {
            throw divisionByZero();
        }
        return new Value.Real(real(a) / divisor);
    }

    /**
     * The quotient of two longs rounded once to the nearest double, as Python's {@code int / int}.
     * Up to 2^53 both convert exactly and one IEEE division rounds correctly. Beyond, the quotient
     * either ends within 100 digits (it is then exact here) or does not end, and then it lies
     * further than 2^-126 (relative) from any halfway point between doubles, far more than the
     * error of 100 digits: either way the final rounding is the correct one.
     */
    private static double divide(long dividend, long divisor) {
        if (Math.abs(dividend) <= EXACT_IN_DOUBLE && dividend != Long.MIN_VALUE
                && Math.abs(divisor) <= EXACT_IN_DOUBLE && divisor != Long.MIN_VALUE) {
            return (double) dividend / (double) divisor;
        }
        return new BigDecimal(dividend).divide(new BigDecimal(divisor), QUOTIENT_DIGITS).doubleValue();
    }

    static Value floorDivide(Value a, Value b) {
        if (!isNumber(a) || !isNumber(b)) {
            throw unsupported("//", a, b);
        }
        if (isWhole(a) && isWhole(b)) {
            long dividend = whole(a);
            long divisor = whole(b);
            if (divisor == 0) {
                throw divisionByZero();
            }
            if (dividend == Long.MIN_VALUE && divisor == -1) {
                throw overflow();
            }
            return new Value.Int(Math.floorDiv(dividend, divisor));
        }
        double divisor = real(b);
        if (divisor == 0.0) {
            throw divisionByZero();
        }
        return new Value.Real(floorQuotient(real(a), divisor));
    }

    static Value modulo(Value a, Value b) {
        if (a instanceof Value.Text) {
            throw new ValueProblem("'%' on text (printf-style formatting) is not supported; use str() and +");
        }
        if (!isNumber(b)) {
            throw unsupported("%", a, b);
        }
        if (isWhole(a) && isWhole(b)) {
            long divisor = whole(b);
            if (divisor == 0) {
                throw divisionByZero();
            }
            return new Value.Int(Math.floorMod(whole(a), divisor));
        }
        double divisor = real(b);
        if (divisor == 0.0) {
            throw divisionByZero();
        }
        return new Value.Real(floorRemainder(real(a), divisor));
    }

    /** Python's float {@code %}: the remainder takes the divisor's sign. */
    private static double floorRemainder(double dividend, double divisor) {
        double remainder = dividend % divisor;
        if (remainder != 0.0) {
            if ((divisor < 0) != (remainder < 0)) {
                remainder += divisor;
            }
        } else {
            remainder = Math.copySign(0.0, divisor);
        }
        return remainder;
    }

    /**
     * Python's float {@code //}: derived from the truncated remainder so that
     * {@code a == (a // b) * b + a % b} holds as closely as floats allow; a quotient the division
     * rounded just below a whole number is moved back up to it.
     */
    private static double floorQuotient(double dividend, double divisor) {
        double remainder = dividend % divisor;
        double quotient = (dividend - remainder) / divisor;
        if (remainder != 0.0 && (divisor < 0) != (remainder < 0)) {
            quotient -= 1.0;
        }
        if (quotient == 0.0) {
            return Math.copySign(0.0, dividend / divisor);
        }
        double floor = Math.floor(quotient);
        return quotient - floor > 0.5 ? floor + 1.0 : floor;
    }

    static Value power(Value a, Value b) {
        if (!isNumber(a) || !isNumber(b)) {
            throw unsupported("**", a, b);
        }
        if (isWhole(a) && isWhole(b) && whole(b) >= 0) {
            return new Value.Int(wholePower(whole(a), whole(b)));
        }
        return new Value.Real(realPower(real(a), real(b)));
    }

    private static long wholePower(long base, long exponent) {
        if (exponent == 0 || base == 1) {
            return 1;
        }
        if (base == 0) {
            return 0;
        }
        if (base == -1) {
            return (exponent & 1) == 0 ? 1 : -1;
        }
        if (exponent >= Long.SIZE) {
            throw overflow();
        }
        long result = 1;
        long square = base;
        long remaining = exponent;
        try {
            while (true) {
                if ((remaining & 1) != 0) {
                    result = Math.multiplyExact(result, square);
                }
                remaining >>= 1;
                if (remaining == 0) {
                    return result;
                }
                square = Math.multiplyExact(square, square);
            }
        } catch (ArithmeticException e) {
            throw overflow();
        }
    }

    /**
     * Python's float {@code **} (C99's pow with Python's errors): 1 to any power and anything to the
     * power 0 is 1, even NaN; zero to a negative power is a division by zero; a negative base with a
     * fractional exponent has no real result (Python would give a complex number); a finite result
     * too large for a double is an overflow rather than infinity.
     */
    private static double realPower(double base, double exponent) {
        if (exponent == 0.0) {
            return 1.0;
        }
        if (Double.isNaN(base)) {
            return base;
        }
        if (Double.isNaN(exponent)) {
            return base == 1.0 ? 1.0 : exponent;
        }
        if (Double.isInfinite(exponent)) {
            double magnitude = Math.abs(base);
            if (magnitude == 1.0) {
                return 1.0;
            }
            return (exponent > 0) == (magnitude > 1.0) ? Double.POSITIVE_INFINITY : 0.0;
        }
        boolean oddExponent = isOddWhole(exponent);
        if (Double.isInfinite(base)) {
            if (exponent > 0) {
                return oddExponent ? base : Math.abs(base);
            }
            return oddExponent ? Math.copySign(0.0, base) : 0.0;
        }
        if (base == 0.0) {
            if (exponent < 0) {
                throw new ValueProblem("0.0 cannot be raised to a negative power (division by zero)");
            }
            return oddExponent ? base : 0.0;
        }
        boolean negative = false;
        double magnitude = base;
        if (base < 0) {
            if (exponent != Math.floor(exponent)) {
                throw new ValueProblem("a negative number to a fractional power has no real value");
            }
            magnitude = -base;
            negative = oddExponent;
        }
        if (magnitude == 1.0) {
            return negative ? -1.0 : 1.0;
        }
        double result = positivePower(magnitude, exponent);
        if (Double.isInfinite(result)) {
            throw new ValueProblem("the result of '**' is too large for a float");
        }
        return negative ? -result : result;
    }

    /**
     * A finite positive base to a finite power, as close to Python's (the C library's pow, correctly
     * rounded in practice) as Java gets: whole exponents are computed in 60 significant digits and
     * rounded once, {@code 0.5} is the square root, other exponents use {@link Math#pow} (within one
     * unit in the last place).
     */
    private static double positivePower(double base, double exponent) {
        if (exponent == 0.5) {
            return Math.sqrt(base);
        }
        if (exponent != Math.rint(exponent) || Math.abs(exponent) > WHOLE_EXPONENT_LIMIT) {
            return Math.pow(base, exponent);
        }
        int whole = (int) exponent;
        if (whole == 1) {
            return base;
        }
        if (whole == 2) {
            return base * base; // one IEEE multiplication: correctly rounded
        }
        double binaryMagnitude = Math.log(base) / Math.log(2) * whole;
        if (binaryMagnitude > 1100 || binaryMagnitude < -1200) {
            return Math.pow(base, exponent); // certainly infinite or zero: no digits needed
        }
        return new BigDecimal(base).round(POWER_DIGITS).pow(whole, POWER_DIGITS).doubleValue();
    }

    private static boolean isOddWhole(double value) {
        // every double of magnitude 2^53 or more is an even whole number
        return Math.abs(value) < EXACT_IN_DOUBLE && value == Math.floor(value) && ((long) value & 1) != 0;
    }

    static Value bitAnd(Value a, Value b) {
        if (a instanceof Value.Bool x && b instanceof Value.Bool y) {
            return Value.of(x.value() & y.value());
        }
        checkWhole("&", a, b);
        return new Value.Int(whole(a) & whole(b));
    }

    static Value bitOr(Value a, Value b) {
        if (a instanceof Value.Bool x && b instanceof Value.Bool y) {
            return Value.of(x.value() | y.value());
        }
        checkWhole("|", a, b);
        return new Value.Int(whole(a) | whole(b));
    }

    static Value bitXor(Value a, Value b) {
        if (a instanceof Value.Bool x && b instanceof Value.Bool y) {
            return Value.of(x.value() ^ y.value());
        }
        checkWhole("^", a, b);
        return new Value.Int(whole(a) ^ whole(b));
    }

    static Value shiftLeft(Value a, Value b) {
        checkWhole("<<", a, b);
        long value = whole(a);
        long count = whole(b);
        if (count < 0) {
            throw new ValueProblem("negative shift count");
        }
        if (value == 0) {
            return new Value.Int(0);
        }
        if (count >= Long.SIZE || (value << count) >> count != value) {
            throw overflow();
        }
        return new Value.Int(value << count);
    }

    static Value shiftRight(Value a, Value b) {
        checkWhole(">>", a, b);
        long value = whole(a);
        long count = whole(b);
        if (count < 0) {
            throw new ValueProblem("negative shift count");
        }
        return new Value.Int(count >= Long.SIZE ? (value < 0 ? -1 : 0) : value >> count);
    }

    static Value negate(Value a) {
        if (isWhole(a)) {
            long value = whole(a);
            if (value == Long.MIN_VALUE) {
                throw overflow();
            }
            return new Value.Int(-value);
        }
        if (a instanceof Value.Real real) {
            return new Value.Real(-real.value());
        }
        throw new ValueProblem("bad operand type for unary -: " + a.typeName());
    }

    static Value plus(Value a) {
        if (isWhole(a)) {
            return new Value.Int(whole(a));
        }
        if (a instanceof Value.Real) {
            return a;
        }
        throw new ValueProblem("bad operand type for unary +: " + a.typeName());
    }

    static Value invert(Value a) {
        if (isWhole(a)) {
            return new Value.Int(~whole(a));
        }
        throw new ValueProblem("bad operand type for unary ~: " + a.typeName());
    }

    static Value abs(Value a) {
        if (isWhole(a)) {
            long value = whole(a);
            if (value == Long.MIN_VALUE) {
                throw overflow();
            }
            return new Value.Int(Math.abs(value));
        }
        if (a instanceof Value.Real real) {
            return new Value.Real(Math.abs(real.value()));
        }
        throw new ValueProblem("bad operand type for abs(): " + a.typeName());
    }

    static boolean equal(Value a, Value b) {
        if (isNumber(a) && isNumber(b)) {
            return compareNumbers(a, b) == 0;
        }
        if (a instanceof Value.Text x && b instanceof Value.Text y) {
            return x.value().equals(y.value());
        }
        return false;
    }

    static boolean less(Value a, Value b) {
        return order("<", a, b) == -1;
    }

    static boolean lessOrEqual(Value a, Value b) {
        int order = order("<=", a, b);
        return order == -1 || order == 0;
    }

    static boolean greater(Value a, Value b) {
        return order(">", a, b) == 1;
    }

    static boolean greaterOrEqual(Value a, Value b) {
        int order = order(">=", a, b);
        return order == 1 || order == 0;
    }

    /** Whether the text {@code container} holds {@code item} (Python's {@code in} on a str). */
    static boolean contains(Value container, Value item) {
        if (!(container instanceof Value.Text text)) {
            throw new ValueProblem("'in' needs text on its right, not " + container.typeName());
        }
        if (!(item instanceof Value.Text part)) {
            throw new ValueProblem("'in' on text needs text on its left, not " + item.typeName());
        }
        return text.value().contains(part.value());
    }

    /** -1, 0 or 1, or {@link #UNORDERED} when a NaN is involved. */
    private static int order(String operator, Value a, Value b) {
        if (isNumber(a) && isNumber(b)) {
            return compareNumbers(a, b);
        }
        if (a instanceof Value.Text x && b instanceof Value.Text y) {
            return Integer.signum(compareCodePoints(x.value(), y.value()));
        }
        throw new ValueProblem("'" + operator + "' is not supported between " + a.typeName() + " and " + b.typeName());
    }

    private static int compareNumbers(Value a, Value b) {
        if (isWhole(a) && isWhole(b)) {
            return Long.compare(whole(a), whole(b));
        }
        if (a instanceof Value.Real x && b instanceof Value.Real y) {
            return compareDoubles(x.value(), y.value());
        }
        if (a instanceof Value.Real x) {
            int order = compareWholeWithReal(whole(b), x.value());
            return order == UNORDERED ? UNORDERED : -order;
        }
        return compareWholeWithReal(whole(a), real(b));
    }

    /** Exact comparison: 2^53 + 1 is greater than the float 2^53, as in Python. */
    private static int compareWholeWithReal(long whole, double real) {
        if (Double.isNaN(real)) {
            return UNORDERED;
        }
        if (Math.abs(whole) <= EXACT_IN_DOUBLE && whole != Long.MIN_VALUE) {
            return compareDoubles(whole, real);
        }
        if (Double.isInfinite(real)) {
            return real > 0 ? -1 : 1;
        }
        return new BigDecimal(whole).compareTo(new BigDecimal(real));
    }

    private static int compareDoubles(double x, double y) {
        if (x < y) {
            return -1;
        }
        if (x > y) {
            return 1;
        }
        return x == y ? 0 : UNORDERED;
    }

    /** Python orders text by code point; Java's compareTo orders UTF-16 units, which differs above U+FFFF. */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    static void checkTextLength(long length) {
        if (length > ReparseExpression.MAX_TEXT_LENGTH) {
            throw new ValueProblem("the text would be longer than " + ReparseExpression.MAX_TEXT_LENGTH + " characters");
        }
    }

    private static void checkWhole(String operator, Value a, Value b) {
        if (!isWhole(a) || !isWhole(b)) {
            throw unsupported(operator, a, b);
        }
    }

    static ValueProblem overflow() {
        return new ValueProblem("the result is beyond the 64-bit integer range");
    }

    static ValueProblem divisionByZero() {
        return new ValueProblem("division by zero");
    }

    private static ValueProblem unsupported(String operator, Value a, Value b) {
        return new ValueProblem("unsupported operand types for '" + operator + "': " + a.typeName() + " and " + b.typeName());
    }
}
