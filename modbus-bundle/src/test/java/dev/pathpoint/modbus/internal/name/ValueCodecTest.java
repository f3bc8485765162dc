package dev.pathpoint.modbus.internal.name;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueCodecTest {

    private static int[] encode(String name, PathpointValue value, RegisterOrder order) throws OperationFailedException {
        return ValueCodec.encode(ModbusPathpoint.parse(name), value, order);
    }

    private static PathpointValue decode(String name, int[] registers, RegisterOrder order) throws OperationFailedException {
        return ValueCodec.decode(ModbusPathpoint.parse(name), registers, 0, order);
    }

    @ParameterizedTest
    @CsvSource({
        // float 1.5 = 0x3FC00000
        "ABCD, 0x3FC0, 0x0000",
        "CDAB, 0x0000, 0x3FC0",
        "BADC, 0xC03F, 0x0000",
        "DCBA, 0x0000, 0xC03F",
    })
    void floatsFollowEachOrder(RegisterOrder order, String first, String second) throws Exception {
        int[] expected = {Integer.decode(first), Integer.decode(second)};
        assertArrayEquals(expected, encode("f1r0", PathpointValue.of(1.5), order));
        assertArrayEquals(expected, encode("f1r0@" + order, PathpointValue.of(1.5), RegisterOrder.ABCD));
        assertEquals(PathpointValue.of(1.5), decode("f1r0", expected, order));
    }

    @ParameterizedTest
    @CsvSource({
        // double 1.0 = 0x3FF0 0000 0000 0001 (a little more than 1)
        "ABCD, 0x3FF0, 0x0000, 0x0000, 0x0001",
        "CDAB, 0x0001, 0x0000, 0x0000, 0x3FF0",
        "BADC, 0xF03F, 0x0000, 0x0000, 0x0100",
        "DCBA, 0x0100, 0x0000, 0x0000, 0xF03F",
    })
    void doublesFollowEachOrder(RegisterOrder order, String a, String b, String c, String d) throws Exception {
        double value = Double.longBitsToDouble(0x3FF0000000000001L);
        int[] expected = {Integer.decode(a), Integer.decode(b), Integer.decode(c), Integer.decode(d)};
        assertArrayEquals(expected, encode("d1r0", PathpointValue.of(value), order));
        assertEquals(PathpointValue.of(value), decode("d1r0", expected, order));
    }

    @ParameterizedTest
    @CsvSource({
        // 0x12345678 over two registers in each order; as signed and unsigned 32-bit integers
        "ABCD, 0x1234, 0x5678",
        "CDAB, 0x5678, 0x1234",
        "BADC, 0x3412, 0x7856",
        "DCBA, 0x7856, 0x3412",
    })
    void thirtyTwoBitIntegersFollowEachOrder(RegisterOrder order, String first, String second) throws Exception {
        int[] expected = {Integer.decode(first), Integer.decode(second)};
        for (String name : new String[] {"W1r0:32", "w1r0:32"}) {
            assertArrayEquals(expected, encode(name, PathpointValue.of(0x12345678), order), name + " by the connection's order");
            assertArrayEquals(expected, encode(name + "@" + order, PathpointValue.of(0x12345678), RegisterOrder.ABCD));
            assertEquals(PathpointValue.of(0x12345678), decode(name, expected, order));
        }
    }

    @ParameterizedTest
    @CsvSource({
        // 0x0102030405060708 over four registers in each order
        "ABCD, 0x0102, 0x0304, 0x0506, 0x0708",
        "CDAB, 0x0708, 0x0506, 0x0304, 0x0102",
        "BADC, 0x0201, 0x0403, 0x0605, 0x0807",
        "DCBA, 0x0807, 0x0605, 0x0403, 0x0201",
    })
    void sixtyFourBitIntegersFollowEachOrder(RegisterOrder order, String a, String b, String c, String d) throws Exception {
        int[] expected = {Integer.decode(a), Integer.decode(b), Integer.decode(c), Integer.decode(d)};
        for (String name : new String[] {"W1r0:64", "w1r0:64"}) {
            assertArrayEquals(expected, encode(name + "@" + order, PathpointValue.of(0x0102030405060708L), RegisterOrder.ABCD));
            assertEquals(PathpointValue.of(0x0102030405060708L), decode(name, expected, order));
        }
    }

    @Test
    void wideIntegersAreSignedOrUnsignedAndExactBeyondTwoToThe53() throws Exception {
        int[] allOnes32 = {0xFFFF, 0xFFFF};
        assertEquals(PathpointValue.of(4294967295L), decode("W1r0:32", allOnes32, RegisterOrder.ABCD));
        assertEquals(PathpointValue.of(-1), decode("w1r0:32", allOnes32, RegisterOrder.ABCD));
        int[] allOnes64 = {0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF};
        assertEquals(PathpointValue.of(new java.math.BigInteger("18446744073709551615")), decode("W1r0:64", allOnes64, RegisterOrder.ABCD));
        assertEquals(PathpointValue.of(-1), decode("w1r0:64", allOnes64, RegisterOrder.ABCD));
        int[] topBit = {0x8000, 0, 0, 0};
        assertEquals(PathpointValue.of(new java.math.BigInteger("9223372036854775808")), decode("W1r0:64", topBit, RegisterOrder.ABCD));
        assertEquals(PathpointValue.of(Long.MIN_VALUE), decode("w1r0:64", topBit, RegisterOrder.ABCD));
        // 2^53 + 1 has no double: it must survive as bits
        int[] twoToThe53Plus1 = {0x0020, 0, 0, 1};
        assertEquals(PathpointValue.of(9007199254740993L), decode("W1r0:64", twoToThe53Plus1, RegisterOrder.ABCD));
        assertArrayEquals(twoToThe53Plus1, encode("W1r0:64", PathpointValue.of(9007199254740993L), RegisterOrder.ABCD));
        assertArrayEquals(allOnes64, encode("W1r0:64", PathpointValue.of(new java.math.BigInteger("18446744073709551615")),
                RegisterOrder.ABCD));
        assertArrayEquals(topBit, encode("W1r0:64", PathpointValue.of(new java.math.BigInteger("9223372036854775808")),
                RegisterOrder.ABCD));
        assertArrayEquals(topBit, encode("w1r0:64", PathpointValue.of(Long.MIN_VALUE), RegisterOrder.ABCD));
        assertArrayEquals(allOnes64, encode("w1r0:64", PathpointValue.of(-1), RegisterOrder.ABCD));
        assertArrayEquals(allOnes32, encode("W1r0:32", PathpointValue.of(4294967295L), RegisterOrder.ABCD));
        assertArrayEquals(new int[] {0x8000, 0}, encode("w1r0:32", PathpointValue.of(Integer.MIN_VALUE), RegisterOrder.ABCD));
    }

    @Test
    void sixteenBitRegistersAreSignedOrUnsigned() throws Exception {
        assertArrayEquals(new int[] {65535}, encode("W1r0", PathpointValue.of(65535), RegisterOrder.CDAB));
        assertArrayEquals(new int[] {0}, encode("W1r0", PathpointValue.of(0), RegisterOrder.ABCD));
        assertArrayEquals(new int[] {0x8000}, encode("w1r0", PathpointValue.of(-32768), RegisterOrder.ABCD));
        assertArrayEquals(new int[] {0xFFFF}, encode("w1r0", PathpointValue.of(-1), RegisterOrder.ABCD));
        assertArrayEquals(new int[] {0x3412}, encode("W1r0@BADC", PathpointValue.of(0x1234), RegisterOrder.ABCD));
        assertEquals(PathpointValue.of(65535), decode("W1r0", new int[] {0xFFFF}, RegisterOrder.DCBA));
        assertEquals(PathpointValue.of(-1), decode("w1r0", new int[] {0xFFFF}, RegisterOrder.ABCD));
        assertEquals(PathpointValue.of(0x1234), decode("W1r0@BADC", new int[] {0x3412}, RegisterOrder.ABCD));
    }

    @Test
    void registerBitsAreReadFromTheirPosition() throws Exception {
        assertEquals(PathpointValue.of(1), decode("B1r0.15", new int[] {0x8000}, RegisterOrder.ABCD));
        assertEquals(PathpointValue.of(0), decode("B1r0.14", new int[] {0x8000}, RegisterOrder.ABCD));
        assertEquals(true, ValueCodec.encodeBit(ModbusPathpoint.parse("B1r0.3"), PathpointValue.of(1)));
        assertEquals(false, ValueCodec.encodeBit(ModbusPathpoint.parse("B1c0"), PathpointValue.of(0)));
    }

    @Test
    void stringsArePaddedAndCutAtNul() throws Exception {
        assertArrayEquals(new int[] {0x4142, 0x4300}, encode("u1r0#2", PathpointValue.of("ABC"), RegisterOrder.CDAB));
        assertArrayEquals(new int[] {0x4241, 0x0043}, encode("u1r0#2@BADC", PathpointValue.of("ABC"), RegisterOrder.ABCD));
        assertEquals(PathpointValue.of("ABC"), decode("u1r0#2", new int[] {0x4142, 0x4300}, RegisterOrder.ABCD));
        assertEquals(PathpointValue.of("ABCD"), decode("u1r0#2", new int[] {0x4142, 0x4344}, RegisterOrder.ABCD));
        assertEquals(PathpointValue.of("42"), decode("u1r0#1", encode("u1r0#1", PathpointValue.of("42"), RegisterOrder.ABCD),
                RegisterOrder.ABCD));
    }

    @Test
    void valuesThatDoNotFitFailAsType() {
        OperationFailedException tooLong = assertThrows(OperationFailedException.class,
                () -> encode("u1r0#1", PathpointValue.of("ABC"), RegisterOrder.ABCD));
        assertEquals(OperationFailedReason.TYPE, tooLong.reason());
        OperationFailedException notLatin = assertThrows(OperationFailedException.class,
                () -> encode("u1r0#4", PathpointValue.of("€"), RegisterOrder.ABCD));
        assertEquals(OperationFailedReason.TYPE, notLatin.reason());
        OperationFailedException notNumber = assertThrows(OperationFailedException.class,
                () -> encode("W1r0", PathpointValue.of("abc"), RegisterOrder.ABCD));
        assertEquals(OperationFailedReason.TYPE, notNumber.reason());
    }

    /**
     * The executor converts a written value to the pathpoint's type before a driver sees it; a value
     * that is not of the type (a caller that skipped the executor) is refused, never converted.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "W1r0    | whole | 70000                 | a whole number 0..65535",
        "W1r0    | whole | -5                    | a whole number 0..65535",
        "W1r0    | real  | 2.0                   | a whole number 0..65535",
        "W1r0    | text  | 2                     | a whole number 0..65535",
        "w1r0    | whole | -40000                | a whole number -32768..32767",
        "W1r0:32 | whole | 4294967296            | a whole number 0..4294967295",
        "w1r0:32 | whole | 2147483648            | a whole number -2147483648..2147483647",
        "W1r0:64 | whole | -1                    | a whole number 0..18446744073709551615",
        "W1r0:64 | big   | 18446744073709551616  | a whole number 0..18446744073709551615",
        "w1r0:64 | big   | 9223372036854775808   | a whole number -9223372036854775808..9223372036854775807",
        "f1r0    | whole | 1                     | a 32-bit float",
        "f1r0    | real  | 0.1                   | a 32-bit float (this one needs 64 bits)",
        "d1r0    | text  | 1.5                   | a 64-bit float",
        "u1r0#2  | whole | 42                    | a text",
    })
    void valuesNotOfThePathpointsTypeAreRefusedNotConverted(String name, String kind, String given, String takes) {
        PathpointValue value = switch (kind) {
            case "whole" -> PathpointValue.of(Long.parseLong(given));
            case "big" -> PathpointValue.of(new java.math.BigInteger(given));
            case "real" -> PathpointValue.of(Double.parseDouble(given));
            default -> PathpointValue.of(given);
        };
        OperationFailedException refused = assertThrows(OperationFailedException.class, () -> encode(name, value, RegisterOrder.ABCD));
        assertEquals(OperationFailedReason.TYPE, refused.reason());
        String shown = kind.equals("text") ? "the text '" + given + "'" : value.asText();
        assertEquals("pathpoint '" + name + "' takes " + takes + ", not " + shown
                + ": a written value must arrive converted to the pathpoint's type", refused.getMessage());
    }

    @Test
    void bitsAreZeroOrOneAndNothingElse() throws Exception {
        for (PathpointValue value : new PathpointValue[] {PathpointValue.of(7), PathpointValue.of(-1), PathpointValue.of(1.0),
            PathpointValue.of("1")}) {
            OperationFailedException refused = assertThrows(OperationFailedException.class,
                    () -> ValueCodec.encodeBit(ModbusPathpoint.parse("B1c0"), value));
            assertEquals(OperationFailedReason.TYPE, refused.reason());
            assertTrue(refused.getMessage().startsWith("pathpoint 'B1c0' takes 0 or 1, not "), refused.getMessage());
        }
    }

    @Test
    void everyOrderRoundTrips() throws Exception {
        for (RegisterOrder order : RegisterOrder.values()) {
            for (double value : new double[] {0, -1.25, 3.4028234663852886E38, 1e-40, 123456.789}) {
                int[] registers = encode("d1r0", PathpointValue.of(value), order);
                assertEquals(PathpointValue.of(value), decode("d1r0", registers, order));
                int[] floatRegisters = encode("f1r0", PathpointValue.of((double) (float) value), order);
                assertEquals(PathpointValue.of((double) (float) value), decode("f1r0", floatRegisters, order));
            }
        }
    }
}
