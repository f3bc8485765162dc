package dev.pathpoint.modbus.internal.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointType;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModbusGrammarTest {
    private final ModbusGrammar grammar = new ModbusGrammar();

    @ParameterizedTest
    @ValueSource(strings = {"W1q0", "W256r1", "B1r7", "W01r0", "u1r0", "f1r0@XYZW", "w9", "d1i0#2", "W99999999r0"})
    void claimsEveryNameStartingWithAModbusTypeLetterAndAUnitDigit(String name) {
        assertTrue(Pattern.matches(ModbusGrammar.PATTERN, name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rW1r0", "rf:sum", "x1r0", "", "1W1r0", "A1r0", "Wchatty0", "W", "wfoo", "B_pump"})
    void leavesReparseAndOtherDriversNamesAlone(String name) {
        assertFalse(Pattern.matches(ModbusGrammar.PATTERN, name), name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "W1q0| at position 2: area letter 'q' is unknown",
        "W256r1| at position 1: the unit id 256 is out of range 0..255",
        "W1r0:48| at position 5: integer width 48 is not 16, 32 or 64 bits",
        "W1| at position 2: the area letter is missing (expected r, i, c or d after the unit id)",
        "W01r0| at position 1: the unit id '01' has a leading zero",
    })
    void badNamesAreInvalidNamingThePartAndPosition(String name, String expected) {
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> grammar.typeOf(name));
        assertEquals(OperationFailedReason.INVALID, e.reason());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("'" + name + "'"), "names the pathpoint: " + e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "W1r0, UNSIGNED_16", "w1r0, SIGNED_16", "W1r0:16, UNSIGNED_16", "W1r0:32, UNSIGNED_32", "w1r0:32@CDAB, SIGNED_32",
        "W1r0:64, UNSIGNED_64", "w3i8:64, SIGNED_64", "f1r0, FLOAT_32", "d1r0, FLOAT_64", "u1r0#4, TEXT", "B1c0, BIT",
        "W99r0, UNSIGNED_16",
    })
    void validNamesTellTheirTypeWhateverUnitsAreConfigured(String name, PathpointType type) throws Exception {
        assertEquals(type, grammar.typeOf(name));
    }
}
