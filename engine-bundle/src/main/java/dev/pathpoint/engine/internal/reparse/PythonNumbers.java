package dev.pathpoint.engine.internal.reparse;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's text forms of numbers: {@code repr} of a float (what {@code str()} gives and what a
 * {@code u} reparse pathpoint holds), and the text accepted by {@code float()} and {@code int()}.
 * Expressions come from the seed library, so {@code str(0.1)} must be {@code 0.1} and
 * {@code str(1e16)} must be {@code 1e+16}, not Java's {@code 1.0E16}.
 */
final class PythonNumbers {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private PythonNumbers() {
    }

    /**
     * Python's {@code repr(float)}: the shortest decimal that reads back to the same double, in
     * positional form for decimal exponents -4..15 and in scientific form otherwise.
     */
    static String repr(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0.0) {
            return Double.doubleToRawLongBits(value) < 0 ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortestDecimal(Math.abs(value)).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int scale = shortest.scale();
        int exponent = digits.length() - 1 - scale;
        StringBuilder text = new StringBuilder(digits.length() + 8);
        if (value < 0) {
            text.append('-');
        }
        if (exponent >= -4 && exponent < 16) {
            if (scale <= 0) {
                text.append(digits).append("0".repeat(-scale)).append(".0");
            } else if (scale >= digits.length()) {
                text.append("0.").append("0".repeat(scale - digits.length())).append(digits);
            } else {
                int point = digits.length() - scale;
                text.append(digits, 0, point).append('.').append(digits, point, digits.length());
            }
        } else {
            text.append(digits.charAt(0));
            if (digits.length() > 1) {
                text.append('.').append(digits, 1, digits.length());
            }
            text.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                text.append('0');
            }
            text.append(magnitude);
        }
        return text.toString();
    }

    /**
     * The decimal with the fewest significant digits that converts back to {@code magnitude}; of two
     * such candidates (one below, one above) the nearer, as Python's repr picks.
     */
    private static BigDecimal shortestDecimal(double magnitude) {
        BigDecimal exact = new BigDecimal(magnitude);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal below = exact.round(new MathContext(precision, RoundingMode.FLOOR));
            BigDecimal above = exact.round(new MathContext(precision, RoundingMode.CEILING));
            boolean belowReadsBack = below.doubleValue() == magnitude;
            boolean aboveReadsBack = above.doubleValue() == magnitude;
            if (belowReadsBack && aboveReadsBack) {
                int nearer = exact.subtract(below).compareTo(above.subtract(exact));
                if (nearer == 0) {
                    return exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
                }
                return nearer < 0 ? below : above;
            }
            if (belowReadsBack) {
                return below;
            }
            if (aboveReadsBack) {
                return above;
            }
        }
        // 17 significant digits always identify a double
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }

    /**
     * Python's {@code float(text)}: optional surrounding white space, a sign, then a decimal number
     * (digits may be grouped with single underscores), {@code inf}, {@code infinity} or {@code nan} in
     * any case.
     *
     * @throws ValueProblem if the text is none of these
     */
    static double parseFloat(String text) {
        String s = strip(text);
        int i = 0;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        boolean negative = i > 0 && s.charAt(0) == '-';
        String word = s.substring(i).toLowerCase(java.util.Locale.ROOT);
        if (word.equals("inf") || word.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (word.equals("nan")) {
            return Double.NaN;
        }
        int integerEnd = digitPartEnd(s, i, 10);
        boolean valid = integerEnd >= 0;
        boolean hasDigits = integerEnd > i;
        i = Math.max(integerEnd, i);
        if (valid && i < s.length() && s.charAt(i) == '.') {
            int fractionEnd = digitPartEnd(s, i + 1, 10);
            valid = fractionEnd >= 0;
            hasDigits |= fractionEnd > i + 1;
            i = Math.max(fractionEnd, i + 1);
        }
        valid &= hasDigits;
        if (valid && i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponentEnd = digitPartEnd(s, i, 10);
            valid = exponentEnd > i;
            i = Math.max(exponentEnd, i);
        }
        if (!valid || i != s.length()) {
            throw new ValueProblem("cannot convert the text " + quote(text) + " to a number");
        }
        return Double.parseDouble(s.replace("_", ""));
    }

    /**
     * Python's {@code int(text, base)}: optional surrounding white space, a sign, digits of the base
     * (single underscores may group them). Base 16, 8 and 2 allow their prefix ({@code 0x}, {@code 0o},
     * {@code 0b}); base 0 takes the base from the prefix and refuses leading zeros, as a literal does.
     *
     * @throws ValueProblem if the text is not such a number or does not fit in 64 bits
     */
    static long parseInt(String text, int base) {
        String s = strip(text);
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int radix = base;
        boolean prefixed = false;
        if (i + 1 < s.length() && s.charAt(i) == '0') {
            int prefixRadix = prefixRadix(s.charAt(i + 1));
            if (prefixRadix != 0 && (base == 0 || base == prefixRadix)) {
                radix = prefixRadix;
                prefixed = true;
                i += 2;
                if (i < s.length() && s.charAt(i) == '_') {
                    i++; // Python allows one underscore right after the prefix
                }
            }
        }
        if (radix == 0) {
            radix = 10;
        }
        int end = digitPartEnd(s, i, radix);
        if (end <= i || end != s.length()) {
            throw invalidInt(text, base);
        }
        String digits = s.substring(i, end).replace("_", "");
        if (base == 0 && !prefixed && digits.length() > 1 && digits.charAt(0) == '0'
                && !digits.chars().allMatch(c -> c == '0')) {
            throw invalidInt(text, base); // base 0 reads like a literal: no leading zeros
        }
        BigInteger number = new BigInteger(digits, radix);
        if (negative) {
            number = number.negate();
        }
        if (number.compareTo(LONG_MIN) < 0 || number.compareTo(LONG_MAX) > 0) {
            throw new ValueProblem("the text " + quote(text) + " is a number beyond the 64-bit integer range");
        }
        return number.longValue();
    }

    /** The base a prefix letter after 0 names ({@code 0x}, {@code 0o}, {@code 0b}), or 0. */
    static int prefixRadix(char letter) {
        switch (letter) {
            case 'x':
            case 'X':
                return 16;
            case 'o':
            case 'O':
                return 8;
            case 'b':
            case 'B':
                return 2;
            default:
                return 0;
        }
    }

    private static ValueProblem invalidInt(String text, int base) {
        return new ValueProblem("invalid literal with base " + base + ": " + quote(text));
    }

    /**
     * Where a run of digits of {@code radix} starting at {@code from} ends (single underscores between
     * digits allowed): {@code from} itself if no digit is there, {@code ~i} (negative) if the underscore
     * at {@code i} is not followed by a digit.
     */
    static int digitPartEnd(String s, int from, int radix) {
        int i = from;
        if (i >= s.length() || !isDigit(s.charAt(i), radix)) {
            return from;
        }
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '_') {
                if (i + 1 >= s.length() || !isDigit(s.charAt(i + 1), radix)) {
                    return ~i;
                }
                i += 2;
            } else if (isDigit(c, radix)) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean isDigit(char c, int radix) {
        return c <= 'z' && Character.digit(c, radix) >= 0;
    }

    /** Removes white space around the text as Python's {@code str.strip()} does. */
    private static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /** Text in quotes for a message, shortened if long. */
    static String quote(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return "'" + shown + "'";
    }
}
