package dev.pathpoint.engine.internal.reparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The language against Python itself: 5000 random expressions over numbers, texts and bools, and the
 * value CPython 3.11 gave each (or that it raised), from {@code src/test/python/reparse_oracle.py}.
 * Every one must parse; each must give the same kind and the same {@code str()} (for floats: the same
 * double, since Python's str is the shortest text that reads back), or fail {@code TYPE}.
 */
class ReparsePythonOracleTest {

    @Test
    void everyExpressionEvaluatesAsPythonDoes() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int cases = 0;
        for (String line : OracleFiles.lines("python-oracle.tsv")) {
            cases++;
            int tab = line.indexOf('\t');
            String expression = line.substring(0, tab);
            String expected = line.substring(tab + 1);
            String actual;
            try {
                Value value = ReparseExpression.parse("rd" + expression).evaluateValue(pathpoint -> {
                    throw new AssertionError("no references in oracle expressions");
                });
                actual = value.typeName() + ":" + value.str();
            } catch (OperationFailedException e) {
                if (e.reason() != OperationFailedReason.TYPE) {
                    mismatches.add(expression + "  ->  " + e + "  (Python: " + expected + ")");
                    continue;
                }
                actual = "error";
            }
            if (!actual.equals(expected)) {
                mismatches.add(expression + "  ->  " + actual + "  (Python: " + expected + ")");
            }
        }
        assertEquals(5000, cases, "oracle cases read");
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + cases + " differ from Python, e.g.:\n"
                    + String.join("\n", mismatches.subList(0, Math.min(40, mismatches.size()))));
        }
    }
}
