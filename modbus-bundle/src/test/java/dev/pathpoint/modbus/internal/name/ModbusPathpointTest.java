package dev.pathpoint.modbus.internal.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointType;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModbusPathpointTest {

    @Test
    void parsesTheExampleFromTheDesign() throws Exception {
        ModbusPathpoint p = ModbusPathpoint.parse("W1r4002");
        assertEquals(PathpointType.UNSIGNED_16, p.type());
        assertEquals(1, p.unit());
        assertEquals(Area.HOLDING_REGISTER, p.area());
        assertEquals(4002, p.address());
        assertEquals(1, p.width());
        assertEquals(-1, p.bitIndex());
        assertNull(p.order());
    }

    @ParameterizedTest
    @CsvSource({
        "w2i10, SIGNED_16, 2, INPUT_REGISTER, 10, 1, -1, ",
        "f1r100@CDAB, FLOAT_32, 1, HOLDING_REGISTER, 100, 2, -1, CDAB",
        "d255i0@DCBA, FLOAT_64, 255, INPUT_REGISTER, 0, 4, -1, DCBA",
        "u1r7#8, TEXT, 1, HOLDING_REGISTER, 7, 8, -1, ",
        "u1r7#8@BADC, TEXT, 1, HOLDING_REGISTER, 7, 8, -1, BADC",
        "u1r7@BADC#8, TEXT, 1, HOLDING_REGISTER, 7, 8, -1, BADC",
        "B1c12, BIT, 1, COIL, 12, 1, -1, ",
        "B0d65535, BIT, 0, DISCRETE_INPUT, 65535, 1, -1, ",
        "B1r7.15, BIT, 1, HOLDING_REGISTER, 7, 1, 15, ",
        "B3i0.0, BIT, 3, INPUT_REGISTER, 0, 1, 0, ",
        "W1r65535@BADC, UNSIGNED_16, 1, HOLDING_REGISTER, 65535, 1, -1, BADC",
        "W1r100:16, UNSIGNED_16, 1, HOLDING_REGISTER, 100, 1, -1, ",
        "W1r100:32, UNSIGNED_32, 1, HOLDING_REGISTER, 100, 2, -1, ",
        "w1r100:32@CDAB, SIGNED_32, 1, HOLDING_REGISTER, 100, 2, -1, CDAB",
        "w1r100@DCBA:32, SIGNED_32, 1, HOLDING_REGISTER, 100, 2, -1, DCBA",
        "W2i0:64@BADC, UNSIGNED_64, 2, INPUT_REGISTER, 0, 4, -1, BADC",
        "w1r65532:64, SIGNED_64, 1, HOLDING_REGISTER, 65532, 4, -1, ",
    })
    void parsesEveryAreaTypeAndModifier(String name, PathpointType type, int unit, Area area, int address, int width, int bitIndex,
            String order) throws Exception {
        ModbusPathpoint p = ModbusPathpoint.parse(name);
        assertEquals(type, p.type());
        assertEquals(unit, p.unit());
        assertEquals(area, p.area());
        assertEquals(address, p.address());
        assertEquals(width, p.width());
        assertEquals(bitIndex, p.bitIndex());
        assertEquals(order == null ? null : RegisterOrder.valueOf(order), p.order());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''| empty",
        "rW1r0| reparse pathpoint",
        "X1r0| type letter 'X' is unknown",
        "Wr0| expected the unit id (a decimal number) but found 'r'",
        "W256r0| unit id 256 is out of range 0..255",
        "W01r0| unit id '01' has a leading zero",
        "W1| area letter is missing",
        "W1z0| area letter 'z' is unknown",
        "W1r| expected the address (a decimal number) but found the end of the name",
        "W1r65536| address 65536 is out of range 0..65535",
        "W1r99999999999| address 99999999999 is out of range",
        "f1r65535| past the last address 65535",
        "u1r65530#8| past the last address",
        "W1r5x| unexpected 'x'",
        "W1r5@ABCX| byte/word order 'ABCX' is unknown",
        "f1r5@CDAB@CDAB| the order modifier '@' is given twice",
        "B1r5| needs a bit index",
        "B1r5.16| bit index 16 is out of range 0..15",
        "B1r5.1.2| the bit modifier '.' is given twice",
        "B1c5.1| is a single bit",
        "B1c5@ABCD| a bit has no byte/word order",
        "W1c5| type W needs a register area (r or i)",
        "f1d5| type f needs a register area",
        "W1r5.3| only for B pathpoints",
        "u1r5| needs its length in registers",
        "u1r5#0| string length in registers 0 is out of range 1..123",
        "u1r5#124| string length in registers 124 is out of range 1..123",
        "W1r5#2| only for u (string) pathpoints",
        "W1r5@CDAB| word order CDAB applies only to values over several registers (f, d, :32 and :64)",
        "u1r5#2@DCBA| word order DCBA applies only to values over several registers",
        "W1r5:16@CDAB| word order CDAB applies only to values over several registers",
        "W1r5:24| at position 5: integer width 24 is not 16, 32 or 64 bits",
        "W1r5:| at position 5: expected the integer width in bits (a decimal number) but found the end of the name",
        "W1r5:032| the integer width in bits '032' has a leading zero",
        "W1r5:32:32| at position 7: the width modifier ':' is given twice",
        "f1r5:32| the ':' width modifier is only for W and w (integer) pathpoints, not f",
        "B1r5.1:32| the ':' width modifier is only for W and w",
        "u1r5#2:32| the ':' width modifier is only for W and w",
        "W1c5:32| type W needs a register area (r or i)",
        "W1r65535:32| spans addresses 65535..65536, past the last address 65535",
        "w1r65533:64| spans addresses 65533..65536",
        "W1r5#2:32| only for u (string) pathpoints",
    })
    void rejectsBadNamesSayingWhichPartIsWrong(String name, String expected) {
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> ModbusPathpoint.parse(name));
        assertEquals(OperationFailedReason.INVALID, e.reason());
        assertTrue(e.getMessage().contains(expected), () -> e.getMessage() + " should contain " + expected);
    }

    @Test
    void randomNamesEitherParseOrFailInvalidNeverCrash() {
        Random random = new Random(42);
        String alphabet = "BWwfdur0123456789icd.#@:ABCDx-";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                ModbusPathpoint p = ModbusPathpoint.parse(name.toString());
                assertTrue(p.lastAddress() <= 65535);
                assertEquals(name.toString(), p.name());
            } catch (OperationFailedException e) {
                assertEquals(OperationFailedReason.INVALID, e.reason());
            }
        }
    }
}
