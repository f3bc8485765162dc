package dev.pathpoint.engine.internal.reparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonNumbersTest {

    /** 3032 doubles (every exponent range, subnormals, NaN, infinities) and CPython's repr of each. */
    @Test
    void reprIsPythons() throws IOException {
        List<String> mismatches = new ArrayList<>();
        List<String> lines = OracleFiles.lines("python-float-repr.tsv");
        for (String line : lines) {
            String[] parts = line.split("\t");
            double value = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
            String repr = PythonNumbers.repr(value);
            if (!repr.equals(parts[1])) {
                mismatches.add(parts[0] + ": " + repr + " (Python: " + parts[1] + ")");
            }
        }
        assertEquals(3032, lines.size());
        assertTrue(mismatches.isEmpty(), mismatches.size() + " differ: " + mismatches.subList(0, Math.min(20, mismatches.size())));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0.1|0.1", "1.0|1.0", "100.0|100.0", "1e16|1e+16", "1e15|1000000000000000.0", "0.0001|0.0001",
        "0.00001|1e-05", "-2.5|-2.5", "123456789.125|123456789.125", "1e-320|1e-320", "1.5e300|1.5e+300"})
    void reprExamples(double value, String expected) {
        assertEquals(expected, PythonNumbers.repr(value));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.5|1.5", "' 2 '|2.0", "-1_000.5|-1000.5", "+.5|0.5", "1.|1.0", "1e3|1000.0", "1E-2|0.01", "inf|Infinity",
        "-Infinity|-Infinity", "nAn|NaN", "'\t7 '|7.0", "1_2e1_0|1.2E11"})
    void floatOfText(String text, double expected) {
        assertEquals(expected, PythonNumbers.parseFloat(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''", "abc", "1e", "e5", ".", "1__0", "_1", "1_", "0x10", "1.5f", "1d", "- 1",
        "infinit", "1.2.3", "++1"})
    void floatOfBadText(String text) {
        ValueProblem problem = assertThrows(ValueProblem.class, () -> PythonNumbers.parseFloat(text));
        assertTrue(problem.getMessage().contains("cannot convert the text '" + text + "'"), problem.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "12|10|12", "' -7 '|10|-7", "010|10|10", "1_000|10|1000", "ff|16|255", "0xff|16|255", "0x_ff|16|255",
        "0o17|8|15", "0b101|2|5", "z|36|35", "0x1f|0|31", "0o17|0|15", "0b11|0|3", "17|0|17", "000|0|0",
        "9223372036854775807|10|9223372036854775807", "-9223372036854775808|10|-9223372036854775808"})
    void intOfText(String text, int base, long expected) {
        assertEquals(expected, PythonNumbers.parseInt(text, base));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''|10", "1.5|10", "abc|10", "0x1f|10", "12|2", "010|0", "1__0|10", "_1|10",
        "1_|10", "0x|16", "8|8", "0b2|2", "'1 2'|10", "0xff|8"})
    void intOfBadText(String text, int base) {
        ValueProblem problem = assertThrows(ValueProblem.class, () -> PythonNumbers.parseInt(text, base));
        assertEquals("invalid literal with base " + base + ": '" + text + "'", problem.getMessage());
    }

    @Test
    void intOfTextBeyond64Bits() {
        ValueProblem problem = assertThrows(ValueProblem.class, () -> PythonNumbers.parseInt("9223372036854775808", 10));
        assertEquals("the text '9223372036854775808' is a number beyond the 64-bit integer range", problem.getMessage());
    }
}
