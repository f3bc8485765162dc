package dev.pathpoint.modbus.internal.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointType;

/**
 * Fuzzes the Modbus pathpoint name parser: any string must parse to a pathpoint that fits the protocol
 * or fail with {@link OperationFailedReason#INVALID} and a message naming the pathpoint, never
 * another exception or a hang. Without {@code JAZZER_FUZZ=1} this runs once per file of the committed
 * corpus in {@code src/test/resources/dev/pathpoint/modbus/internal/name/ModbusPathpointFuzzTestInputs/parse/}.
 *
 * <p>Real fuzzing for N seconds (the last {@code -max_total_time} wins over the annotation's limit):
 * <pre>
 * cd modbus-bundle && JAZZER_FUZZ=1 mvn -B test -Dtest=ModbusPathpointFuzzTest \
 *     -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=N
 * </pre>
 * Findings are written into the corpus directory as {@code crash-*} and then replay in every build;
 * Jazzer's working corpus goes to {@code .cifuzz-corpus/} (not to be committed).
 */
class ModbusPathpointFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void parse(String name) {
        ModbusPathpoint pathpoint;
        try {
            pathpoint = ModbusPathpoint.parse(name);
        } catch (OperationFailedException e) {
            assertEquals(OperationFailedReason.INVALID, e.reason(), "a bad name is INVALID");
            assertNotNull(e.getMessage(), "a bad name gets a message");
            return;
        }
        assertEquals(name, pathpoint.name());
        assertTrue(pathpoint.unit() >= 0 && pathpoint.unit() <= ModbusPathpoint.MAX_UNIT, "unit in range");
        assertTrue(pathpoint.address() >= 0 && pathpoint.lastAddress() <= ModbusPathpoint.MAX_ADDRESS,
                "spans only protocol addresses");
        assertTrue(pathpoint.width() >= 1, "covers at least one register or bit");
        assertTrue(pathpoint.bitIndex() >= -1 && pathpoint.bitIndex() <= 15, "bit index in range");
        if (pathpoint.type() == PathpointType.BIT) {
            assertEquals(1, pathpoint.width(), "a bit covers one address");
        } else {
            assertTrue(pathpoint.area().holdsRegisters(), "only bits live in bit areas");
        }
        int expectedWidth = switch (pathpoint.type()) {
            case FLOAT_32, UNSIGNED_32, SIGNED_32 -> 2;
            case FLOAT_64, UNSIGNED_64, SIGNED_64 -> 4;
            default -> -1;
        };
        if (expectedWidth > 0) {
            assertEquals(expectedWidth, pathpoint.width(), "a number covers the registers its width needs");
        }
        if (pathpoint.type().letter() != name.charAt(0)) {
            throw new AssertionError("the type keeps the name's letter: " + name + " is " + pathpoint.type());
        }
        if (pathpoint.order() != null && pathpoint.order().swapsWords()) {
            assertTrue(expectedWidth > 0, "word order only on numbers over several registers");
        }
        if (pathpoint.type() == PathpointType.TEXT) {
            assertTrue(pathpoint.width() <= ModbusPathpoint.MAX_STRING_REGISTERS, "string fits one write");
        }
        // parsing is a pure function of the name
        try {
            assertEquals(pathpoint, ModbusPathpoint.parse(name));
        } catch (OperationFailedException e) {
            throw new AssertionError("a name parsed once and then failed: " + name, e);
        }
    }
}
