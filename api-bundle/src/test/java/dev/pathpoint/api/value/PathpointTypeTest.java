package dev.pathpoint.api.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathpointTypeTest {

    /** Doubles and whole numbers convert as through their exact decimal (the quick way must agree with it). */
    @Test
    void numbersConvertAsTheirExactDecimalsWould() throws OperationFailedException {
        java.util.Random random = new java.util.Random(20261201);
        for (int i = 0; i < 20_000; i++) {
            double real = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(random.nextLong());
                case 1 -> random.nextGaussian() * 1e6;
                case 2 -> random.nextInt(70_000) * 0.1;
                default -> (double) random.nextFloat();
            };
            if (!Double.isFinite(real)) {
                continue;
            }
            java.math.BigDecimal exact = new java.math.BigDecimal(real);
            assertEquals(PathpointValue.of((double) exact.floatValue()), PathpointType.FLOAT_32.coerce(PathpointValue.of(real)),
                    "f of " + real);
            assertEquals(PathpointValue.of(exact.doubleValue()), PathpointType.FLOAT_64.coerce(PathpointValue.of(real)));
            long whole = i % 3 == 0 ? random.nextLong() : random.nextInt(140_000) - 70_000;
            java.math.BigDecimal wholeExact = java.math.BigDecimal.valueOf(whole);
            assertEquals(PathpointValue.of((double) wholeExact.floatValue()), PathpointType.FLOAT_32.coerce(PathpointValue.of(whole)));
            assertEquals(PathpointValue.of(wholeExact.doubleValue()), PathpointType.FLOAT_64.coerce(PathpointValue.of(whole)));
            for (PathpointType type : new PathpointType[] {PathpointType.BIT, PathpointType.UNSIGNED_16, PathpointType.SIGNED_16,
                    PathpointType.UNSIGNED_32, PathpointType.SIGNED_32, PathpointType.UNSIGNED_64, PathpointType.SIGNED_64}) {
                // the same number as text takes the exact way
                assertEquals(type.coerce(PathpointValue.of(Long.toString(whole))), type.coerce(PathpointValue.of(whole)),
                        type + " of " + whole);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "B1c3, BIT", "W1r4002, UNSIGNED_16", "w2r0, SIGNED_16", "f1r10, FLOAT_32", "d1r20, FLOAT_64", "u1r30, TEXT",
        "rW_sum, UNSIGNED_16", "rf:avg, FLOAT_32", "ru, TEXT", "rB, BIT"
    })
    void typeComesFromTheFirstLetterOrAfterReparsePrefix(String pathpoint, PathpointType expected) throws Exception {
        assertEquals(expected, PathpointType.ofPathpoint(pathpoint));
    }

    @Test
    void reparseNamesAreRecognised() {
        assertTrue(PathpointType.isReparse("rW1"));
        assertEquals(false, PathpointType.isReparse("W1r0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x1r0", "r", "rx", "1W", " W1r0"})
    void namesWithoutATypeLetterAreInvalid(String pathpoint) {
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> PathpointType.ofPathpoint(pathpoint));
        assertEquals(OperationFailedReason.INVALID, e.reason());
        assertTrue(e.getMessage().contains("pathpoint"), e.getMessage());
    }

    @Test
    void nullNameIsInvalid() {
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> PathpointType.ofPathpoint(null));
        assertEquals(OperationFailedReason.INVALID, e.reason());
    }

    @Test
    void invalidNameMessageNamesTheNameAndTheLetter() {
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> PathpointType.ofPathpoint("Q1r0"));
        assertTrue(e.getMessage().contains("'Q1r0'") && e.getMessage().contains("'Q'"), e.getMessage());
    }

    static Stream<Arguments> coercions() {
        return Stream.of(
                // bits: any non-zero is 1
                Arguments.of(PathpointType.BIT, PathpointValue.of(0), PathpointValue.of(0)),
                Arguments.of(PathpointType.BIT, PathpointValue.of(7), PathpointValue.of(1)),
                Arguments.of(PathpointType.BIT, PathpointValue.of(-1), PathpointValue.of(1)),
                Arguments.of(PathpointType.BIT, PathpointValue.of(0.2), PathpointValue.of(1)),
                Arguments.of(PathpointType.BIT, PathpointValue.of("0"), PathpointValue.of(0)),
                Arguments.of(PathpointType.BIT, PathpointValue.of(" 1 "), PathpointValue.of(1)),
                // unsigned 16: clipped to 0..65535, fractions rounded half away from zero
                Arguments.of(PathpointType.UNSIGNED_16, PathpointValue.of(70000), PathpointValue.of(65535)),
                Arguments.of(PathpointType.UNSIGNED_16, PathpointValue.of(-5), PathpointValue.of(0)),
                Arguments.of(PathpointType.UNSIGNED_16, PathpointValue.of(12.5), PathpointValue.of(13)),
                Arguments.of(PathpointType.UNSIGNED_16, PathpointValue.of(12.49), PathpointValue.of(12)),
                Arguments.of(PathpointType.UNSIGNED_16, PathpointValue.of("4002"), PathpointValue.of(4002)),
                Arguments.of(PathpointType.UNSIGNED_16, PathpointValue.of("1e3"), PathpointValue.of(1000)),
                Arguments.of(PathpointType.UNSIGNED_16, PathpointValue.of(Long.MAX_VALUE), PathpointValue.of(65535)),
                // signed 16: clipped to -32768..32767
                Arguments.of(PathpointType.SIGNED_16, PathpointValue.of(40000), PathpointValue.of(32767)),
                Arguments.of(PathpointType.SIGNED_16, PathpointValue.of(-40000), PathpointValue.of(-32768)),
                Arguments.of(PathpointType.SIGNED_16, PathpointValue.of(-2.5), PathpointValue.of(-3)),
                Arguments.of(PathpointType.SIGNED_16, PathpointValue.of(-1e300), PathpointValue.of(-32768)),
                // floats
                Arguments.of(PathpointType.FLOAT_32, PathpointValue.of(0.1), PathpointValue.of((double) 0.1f)),
                Arguments.of(PathpointType.FLOAT_32, PathpointValue.of(3), PathpointValue.of(3.0)),
                Arguments.of(PathpointType.FLOAT_32, PathpointValue.of("2.5"), PathpointValue.of(2.5)),
                Arguments.of(PathpointType.FLOAT_64, PathpointValue.of(0.1), PathpointValue.of(0.1)),
                Arguments.of(PathpointType.FLOAT_64, PathpointValue.of(Long.MAX_VALUE), PathpointValue.of((double) Long.MAX_VALUE)),
                Arguments.of(PathpointType.FLOAT_64, PathpointValue.of(Double.NaN), PathpointValue.of(Double.NaN)),
                // text
                Arguments.of(PathpointType.TEXT, PathpointValue.of(42), PathpointValue.of("42")),
                Arguments.of(PathpointType.TEXT, PathpointValue.of(1.5), PathpointValue.of("1.5")),
                Arguments.of(PathpointType.TEXT, PathpointValue.of("abc"), PathpointValue.of("abc")));
    }

    @ParameterizedTest
    @MethodSource("coercions")
    void valuesAreCoercedToTheType(PathpointType type, PathpointValue given, PathpointValue expected) throws Exception {
        assertEquals(expected, type.coerce(given));
    }

    static Stream<Arguments> impossibleCoercions() {
        return Stream.of(
                Arguments.of(PathpointType.UNSIGNED_16, PathpointValue.of("twelve")),
                Arguments.of(PathpointType.SIGNED_16, PathpointValue.of(Double.NaN)),
                Arguments.of(PathpointType.BIT, PathpointValue.of(Double.POSITIVE_INFINITY)),
                Arguments.of(PathpointType.FLOAT_32, PathpointValue.of("NaN")),
                Arguments.of(PathpointType.FLOAT_64, PathpointValue.of("0x10")),
                Arguments.of(PathpointType.UNSIGNED_16, PathpointValue.of("")));
    }

    @ParameterizedTest
    @MethodSource("impossibleCoercions")
    void valuesThatAreNotNumbersFailWithType(PathpointType type, PathpointValue given) {
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> type.coerce(given));
        assertEquals(OperationFailedReason.TYPE, e.reason());
        assertTrue(e.getMessage().contains(String.valueOf(type.letter())), e.getMessage());
    }
}
