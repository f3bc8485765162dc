package dev.pathpoint.engine.internal.reparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.WithUtf8Length;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import java.util.HashSet;
import java.util.List;

/**
 * Fuzzes the reparse expression parser and evaluator: any string must parse to an expression or fail
 * {@link OperationFailedReason#INVALID} with the position; a parsed expression, evaluated with any
 * constituent values, must give a value its type can hold or fail {@link OperationFailedReason#TYPE};
 * resolving nesting must give leaves or fail INVALID. Never another exception, a hang or a stack
 * overflow (Jazzer reports those as findings). Without {@code JAZZER_FUZZ=1} this runs once per file of
 * the committed corpus in
 * {@code src/test/resources/dev/pathpoint/engine/internal/reparse/ReparseExpressionFuzzTestInputs/parse/}, written
 * in Jazzer's encoding of a String by {@code src/test/python/fuzz_corpus.py} (a plain-text file would be
 * read shifted by five bytes). Names may be a little longer than the limit, so that the limit is fuzzed too.
 *
 * <p>Real fuzzing for N seconds (the last {@code -max_total_time} wins over the annotation's limit):
 * <pre>
 * cd engine-bundle && JAZZER_FUZZ=1 mvn -B test -Dtest=ReparseExpressionFuzzTest \
 *     -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=N
 * </pre>
 * Findings are written into the corpus directory as {@code crash-*} and then replay in every build;
 * Jazzer's working corpus goes to {@code .cifuzz-corpus/} (not to be committed).
 */
class ReparseExpressionFuzzTest {

    /** Values of every kind, edge cases included, that constituents may have. */
    private static final List<PathpointValue> CONSTITUENT_VALUES = List.of(PathpointValue.of(0), PathpointValue.of(1),
            PathpointValue.of(-1), PathpointValue.of(65535), PathpointValue.of(Long.MAX_VALUE),
            PathpointValue.of(Long.MIN_VALUE), PathpointValue.of(0.5), PathpointValue.of(-0.0),
            PathpointValue.of(Double.NaN), PathpointValue.of(Double.POSITIVE_INFINITY), PathpointValue.of(1e308),
            PathpointValue.of(""), PathpointValue.of("12"), PathpointValue.of("abc"), PathpointValue.of("x".repeat(300)));

    @FuzzTest(maxDuration = "10m")
    void parse(@WithUtf8Length(max = ReparseExpression.MAX_NAME_LENGTH + 64) String name) {
        ReparseExpression expression;
        try {
            expression = ReparseExpression.parse(name);
        } catch (OperationFailedException e) {
            assertEquals(OperationFailedReason.INVALID, e.reason(), "a bad name is INVALID: " + e);
            if (name != null && name.length() > 1 && PathpointType.isReparse(name)) {
                assertTrue(e.getMessage().contains(" at position "), "a bad reparse name gets a position: " + e);
            }
            return;
        }
        assertEquals(name, expression.name());
        assertTrue(name.length() <= ReparseExpression.MAX_NAME_LENGTH, "length limit holds");
        try {
            assertEquals(PathpointType.ofPathpoint(name), expression.type());
        } catch (OperationFailedException e) {
            throw new AssertionError("a parsed name has no type: " + name, e);
        }
        List<String> constituents = expression.constituents();
        assertEquals(constituents.size(), new HashSet<>(constituents).size(), "constituents are distinct");
        for (String constituent : constituents) {
            assertTrue(!constituent.isEmpty() && name.contains("{" + constituent + "}"), "a constituent is in braces");
        }
        for (int i = 0; i < CONSTITUENT_VALUES.size(); i++) {
            int first = i;
            evaluate(expression, pathpoint -> CONSTITUENT_VALUES.get((first + pathpoint.length()) % CONSTITUENT_VALUES.size()));
        }
        try {
            assertEquals(constituents, ReparseExpression.parse(name).constituents(), "parsing is a pure function");
        } catch (OperationFailedException e) {
            throw new AssertionError("a name parsed once and then failed: " + name, e);
        }
        try {
            ReparseTree tree = ReparseTree.resolve(name);
            assertTrue(tree.leaves().stream().noneMatch(PathpointType::isReparse), "leaves are not reparse names");
            evaluate(tree.root(), pathpoint -> PathpointValue.of(pathpoint.length()));
            tree.evaluate(pathpoint -> PathpointValue.of(pathpoint.length()));
        } catch (OperationFailedException e) {
            assertTrue(e.reason() == OperationFailedReason.INVALID || e.reason() == OperationFailedReason.TYPE,
                    "nesting fails INVALID (names) or TYPE (values): " + e);
        }
    }

    private static void evaluate(ReparseExpression expression, ConstituentValues values) {
        PathpointValue value;
        try {
            value = expression.evaluate(values);
        } catch (OperationFailedException e) {
            assertEquals(OperationFailedReason.TYPE, e.reason(), "evaluation fails TYPE: " + e);
            assertTrue(e.getMessage().startsWith("reparse pathpoint '"), "the message names the pathpoint: " + e);
            return;
        }
        switch (expression.type()) {
            case BIT:
                assertTrue(value.equals(PathpointValue.of(0)) || value.equals(PathpointValue.of(1)), "a bit: " + value);
                break;
            case UNSIGNED_16:
                long unsigned = ((PathpointValue.Whole) value).value();
                assertTrue(unsigned >= 0 && unsigned <= 65535, "unsigned 16: " + value);
                break;
            case SIGNED_16:
                long signed = ((PathpointValue.Whole) value).value();
                assertTrue(signed >= -32768 && signed <= 32767, "signed 16: " + value);
                break;
            case FLOAT_32:
                double single = ((PathpointValue.Real) value).value();
                assertTrue(Double.isNaN(single) || (double) (float) single == single, "float 32: " + value);
                break;
            case FLOAT_64:
                assertTrue(value instanceof PathpointValue.Real, "float 64: " + value);
                break;
            default:
                assertTrue(value instanceof PathpointValue.Text, "text: " + value);
        }
    }
}
