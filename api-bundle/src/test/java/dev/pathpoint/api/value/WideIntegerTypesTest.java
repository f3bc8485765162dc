package dev.pathpoint.api.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import java.math.BigInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The 32- and 64-bit integer types: the seed's letters, exact coercion at any size, one form per number. */
class WideIntegerTypesTest {
    private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);

    @Test
    void lettersKeepTheirSeedMeaning() throws Exception {
        assertEquals(PathpointType.UNSIGNED_16, PathpointType.ofLetter('W'), "a letter alone is the 16-bit type");
        assertEquals(PathpointType.SIGNED_16, PathpointType.ofLetter('w'));
        assertEquals(PathpointType.UNSIGNED_16, PathpointType.ofPathpoint("W1r0:64"), "width comes from a grammar, not the letter");
        for (PathpointType type : new PathpointType[] {PathpointType.UNSIGNED_32, PathpointType.UNSIGNED_64}) {
            assertEquals('W', type.letter());
        }
        for (PathpointType type : new PathpointType[] {PathpointType.SIGNED_32, PathpointType.SIGNED_64}) {
            assertEquals('w', type.letter());
        }
    }

    static Stream<Arguments> coercions() {
        return Stream.of(
                Arguments.of(PathpointType.UNSIGNED_32, PathpointValue.of(-1), "0"),
                Arguments.of(PathpointType.UNSIGNED_32, PathpointValue.of(4294967295L), "4294967295"),
                Arguments.of(PathpointType.UNSIGNED_32, PathpointValue.of(4294967296L), "4294967295"),
                Arguments.of(PathpointType.UNSIGNED_32, PathpointValue.of(2.5), "3"),
                Arguments.of(PathpointType.SIGNED_32, PathpointValue.of(-2147483649L), "-2147483648"),
                Arguments.of(PathpointType.SIGNED_32, PathpointValue.of("2147483648"), "2147483647"),
                Arguments.of(PathpointType.SIGNED_32, PathpointValue.of(-2.5), "-3"),
                // beyond 2^53 nothing goes through a double
                Arguments.of(PathpointType.SIGNED_64, PathpointValue.of(9007199254740993L), "9007199254740993"),
                Arguments.of(PathpointType.SIGNED_64, PathpointValue.of("-9007199254740993"), "-9007199254740993"),
                Arguments.of(PathpointType.SIGNED_64, PathpointValue.of(TWO_TO_THE_64), "9223372036854775807"),
                Arguments.of(PathpointType.SIGNED_64, PathpointValue.of(TWO_TO_THE_64.negate()), "-9223372036854775808"),
                Arguments.of(PathpointType.UNSIGNED_64, PathpointValue.of(-7), "0"),
                Arguments.of(PathpointType.UNSIGNED_64, PathpointValue.of(Long.MAX_VALUE), "9223372036854775807"),
                Arguments.of(PathpointType.UNSIGNED_64, PathpointValue.of("18446744073709551615"), "18446744073709551615"),
                Arguments.of(PathpointType.UNSIGNED_64, PathpointValue.of("18446744073709551614.5"), "18446744073709551615"),
                Arguments.of(PathpointType.UNSIGNED_64, PathpointValue.of("9223372036854775809"), "9223372036854775809"),
                Arguments.of(PathpointType.UNSIGNED_64, PathpointValue.of(TWO_TO_THE_64), "18446744073709551615"),
                Arguments.of(PathpointType.UNSIGNED_64, PathpointValue.of(1e300), "18446744073709551615"),
                Arguments.of(PathpointType.UNSIGNED_64, PathpointValue.of("1e999999999"), "18446744073709551615"),
                Arguments.of(PathpointType.UNSIGNED_64, PathpointValue.of("1e-999999999"), "0"),
                // the 16-bit types take big numbers too
                Arguments.of(PathpointType.UNSIGNED_16, PathpointValue.of(TWO_TO_THE_64), "65535"),
                Arguments.of(PathpointType.SIGNED_16, PathpointValue.of(TWO_TO_THE_64.negate()), "-32768"),
                Arguments.of(PathpointType.BIT, PathpointValue.of(TWO_TO_THE_64), "1"),
                Arguments.of(PathpointType.FLOAT_64, PathpointValue.of(TWO_TO_THE_64), "1.8446744073709552E19"),
                Arguments.of(PathpointType.TEXT, PathpointValue.of(TWO_TO_THE_64), "18446744073709551616"));
    }

    @ParameterizedTest
    @MethodSource("coercions")
    void valuesAreClippedExactly(PathpointType type, PathpointValue given, String expected) throws Exception {
        PathpointValue coerced = type.coerce(given);
        assertEquals(expected, coerced.asText());
        if (type != PathpointType.FLOAT_64 && type != PathpointType.TEXT) {
            assertEquals(PathpointValue.of(new BigInteger(expected)), coerced, "one form per number");
        }
    }

    @Test
    void notANumberFailsWithType() {
        for (PathpointType type : new PathpointType[] {PathpointType.UNSIGNED_32, PathpointType.SIGNED_64}) {
            OperationFailedException e = assertThrows(OperationFailedException.class, () -> type.coerce(PathpointValue.of(Double.NaN)));
            assertEquals(OperationFailedReason.TYPE, e.reason());
            assertEquals(OperationFailedReason.TYPE,
                    assertThrows(OperationFailedException.class, () -> type.coerce(PathpointValue.of("lots"))).reason());
        }
    }

    @Test
    void bigNumbersHaveOneForm() {
        assertInstanceOf(PathpointValue.Whole.class, PathpointValue.of(BigInteger.valueOf(Long.MIN_VALUE)));
        assertInstanceOf(PathpointValue.Whole.class, PathpointValue.of(BigInteger.valueOf(Long.MAX_VALUE)));
        assertInstanceOf(PathpointValue.BigWhole.class, PathpointValue.of(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE)));
        assertEquals(PathpointValue.of(42), PathpointValue.of(BigInteger.valueOf(42)));
        assertThrows(IllegalArgumentException.class, () -> new PathpointValue.BigWhole(BigInteger.TEN),
                "a number that fits a long is only ever a Whole");
    }
}
