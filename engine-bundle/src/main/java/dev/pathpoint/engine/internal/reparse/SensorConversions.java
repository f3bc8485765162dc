package dev.pathpoint.engine.internal.reparse;

/**
 * The seed library's reparse functions for sensors and registers ({@code smok.sensor.reparse_funs}),
 * with its results, value kinds included: {@code huba505(0.2)} is the whole number 0, as in the seed,
 * but {@code huba505(2)} is the float 2.0. They are computed with this language's own operators so
 * that kinds, rounding and errors follow the same rules as an expression.
 *
 * <p>Where the seed fails in a way that is clearly a defect it is repaired, and the repair is noted on
 * the function; its calibration tables are kept as they are, so that a gateway computes the same
 * values the seed computed from the same readings.
 */
final class SensorConversions {
    private static final Value ZERO = new Value.Int(0);
    private static final Value TWENTY = new Value.Int(20);

    /**
     * The seed's KTY81 table: temperature in degrees Celsius and resistance in ohms. (Its temperatures
     * look shifted against NXP's KTY81/210 data sheet, which gives 2000 ohms at 25 C and 3392 at 100 C;
     * kept as the seed has it.)
     */
    private static final int[] KTY81_CELSIUS = {-40, -20, -10, 0, 10, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100, 110};
    private static final int[] KTY81_OHMS = {1136, 1250, 1372, 1500, 1634, 1774, 1922, 2000, 2078, 2240, 2410, 2590,
        2780, 2978, 3182, 3392};
    /** At or below this resistance {@code kty81} gives -40; at or above the upper one 94.4, as the seed does. */
    private static final int KTY81_LOWEST_OHMS = 1136;
    private static final int KTY81_HIGHEST_OHMS = 3276;
    private static final Value KTY81_LOWEST = new Value.Int(-40);
    private static final Value KTY81_HIGHEST = new Value.Real(94.4);

    /** The seed's PT100 table (a PT1000 reads ten times these): degrees Celsius and ohms. */
    private static final int[] PT100_CELSIUS = {-50, -45, -40, -35, -30, -25, -20, -15, -10, -5, 0, 5, 10, 15, 20,
        25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100, 105, 110, 150, 200, 250};
    private static final double[] PT100_OHMS = {80.31, 82.29, 84.27, 86.25, 88.22, 90.19, 92.16, 94.12, 96.09, 98.04,
        100.0, 101.95, 103.9, 105.85, 107.79, 109.73, 111.67, 113.61, 115.54, 117.47, 119.4, 121.32, 123.24, 125.16,
        127.07, 128.98, 130.89, 132.8, 134.7, 136.6, 138.5, 140.39, 142.29, 157.31, 175.84, 195.84};

    private SensorConversions() {
    }

    /** {@code D(real, ref)}: the absolute error {@code abs(ref - real)}. */
    static Value absoluteError(Value real, Value reference) {
        return Arithmetic.abs(Arithmetic.subtract(reference, real));
    }

    /** {@code d(real, ref)}: the relative error {@code abs((ref - real) / real)}; real 0 divides by zero. */
    static Value relativeError(Value real, Value reference) {
        return Arithmetic.abs(Arithmetic.divide(absoluteError(real, reference), real));
    }

    /** {@code ked(real, ref)}: the relative error, or 0 while the referential value is below 20. */
    static Value kedError(Value real, Value reference) {
        return Arithmetic.less(real, TWENTY) ? ZERO : relativeError(real, reference);
    }

    /** {@code huba505(volts)}: a HUBA 505 transducer's pressure in bar, 0.5 V = 0 bar to 3.5 V = 4 bar, never below 0. */
    static Value huba505(Value volts) {
        Value pressure = Arithmetic.divide(
                Arithmetic.multiply(new Value.Int(4), Arithmetic.subtract(volts, new Value.Real(0.5))), new Value.Int(3));
        return Arithmetic.greater(pressure, ZERO) ? pressure : ZERO;
    }

    /** {@code negz(x)}: 0 for a negative x, else x itself. */
    static Value negativeToZero(Value x) {
        return Arithmetic.less(x, ZERO) ? ZERO : x;
    }

    /**
     * {@code kty81(ohms)}: a KTY81 sensor's temperature, linear between the table's points, -40 at or
     * below 1136 ohms and 94.4 at or above 3276 (the seed's bounds). Repaired: the seed gives no value
     * (Python's None) for a resistance exactly on a table point; here each segment includes its lower
     * point, which gives that point's temperature. A NaN resistance gives NaN.
     */
    static Value kty81(Value ohms) {
        if (Arithmetic.lessOrEqual(ohms, new Value.Int(KTY81_LOWEST_OHMS))) {
            return KTY81_LOWEST;
        }
        if (Arithmetic.greaterOrEqual(ohms, new Value.Int(KTY81_HIGHEST_OHMS))) {
            return KTY81_HIGHEST;
        }
        for (int upper = 1; upper < KTY81_OHMS.length; upper++) {
            if (Arithmetic.less(ohms, new Value.Int(KTY81_OHMS[upper]))) {
                int lower = upper - 1;
                Value rise = Arithmetic.multiply(new Value.Int(KTY81_CELSIUS[upper] - KTY81_CELSIUS[lower]),
                        Arithmetic.subtract(ohms, new Value.Int(KTY81_OHMS[lower])));
                Value slope = Arithmetic.divide(rise, new Value.Int(KTY81_OHMS[upper] - KTY81_OHMS[lower]));
                return Arithmetic.add(slope, new Value.Int(KTY81_CELSIUS[lower]));
            }
        }
        return new Value.Real(Double.NaN); // only NaN passes every comparison above
    }

    /**
     * {@code pt1000(ohms)}: a PT1000 sensor's temperature, linear between the table's points, -50 at or
     * below 803.1 ohms (and for NaN, as in the seed) and 250 at or above 1958.4.
     */
    static Value pt1000(Value ohms) {
        double pt100 = Arithmetic.real(Arithmetic.divide(ohms, new Value.Real(10.0)));
        if (!(pt100 > PT100_OHMS[0])) {
            return new Value.Int(PT100_CELSIUS[0]);
        }
        for (int upper = 1; upper < PT100_OHMS.length; upper++) {
            if (pt100 < PT100_OHMS[upper]) {
                int lower = upper - 1;
                int step = PT100_CELSIUS[upper] - PT100_CELSIUS[lower];
                return new Value.Real(
                        PT100_CELSIUS[lower] + (pt100 - PT100_OHMS[lower]) * step / (PT100_OHMS[upper] - PT100_OHMS[lower]));
            }
        }
        return new Value.Int(PT100_CELSIUS[PT100_CELSIUS.length - 1]);
    }

    /**
     * {@code mkflt(a, b)}: a 32-bit float from two 16-bit register values, as the seed computes it on
     * every machine it runs on (x86, ARM: little-endian). The seed packs {@code a} then {@code b}
     * big-endian and reads the four bytes back in the machine's order, so the float's bytes are, from
     * the most significant, b's low byte, b's high byte, a's low byte, a's high byte:
     * {@code mkflt(0, 0x803F)} is 1.0. For an ABCD device, an {@code f} pathpoint reads the float directly.
     */
    static Value makeFloat(Value a, Value b) {
        int bits = (registerValue(a, 1) << 16) | registerValue(b, 2);
        return new Value.Real(Float.intBitsToFloat(Integer.reverseBytes(bits)));
    }

    /** {@code mkint32(high, low)}: the signed 32-bit integer whose high and low 16 bits these are. */
    static Value makeInt32(Value high, Value low) {
        int bits = (registerValue(high, 1) << 16) | registerValue(low, 2);
        return new Value.Int(bits);
    }

    private static int registerValue(Value value, int argument) {
        if (!Arithmetic.isWhole(value)) {
            throw new ValueProblem("argument " + argument + " must be a whole number 0..65535 (a register), not "
                    + value.typeName());
        }
        long number = Arithmetic.whole(value);
        if (number < 0 || number > 0xFFFF) {
            throw new ValueProblem("argument " + argument + " must be 0..65535 (a register), not " + number);
        }
        return (int) number;
    }
}
