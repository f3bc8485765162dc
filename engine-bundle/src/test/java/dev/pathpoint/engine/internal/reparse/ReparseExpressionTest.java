package dev.pathpoint.engine.internal.reparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReparseExpressionTest {

    @ParameterizedTest
    @CsvSource({"rB1, BIT", "rW1, UNSIGNED_16", "rw1, SIGNED_16", "rf1, FLOAT_32", "rd1, FLOAT_64", "ru1, TEXT"})
    void theSecondLetterIsTheType(String name, PathpointType type) throws Exception {
        ReparseExpression expression = ReparseExpression.parse(name);
        assertEquals(type, expression.type());
        assertEquals(name, expression.name());
    }

    @Test
    void theSeedExample() throws Exception {
        ReparseExpression expression = ReparseExpression.parse("rf{W1r4002}*0.1+2");
        assertEquals(List.of("W1r4002"), expression.constituents());
        assertEquals(PathpointValue.of((double) (float) 12.5), expression.evaluate(Map.of("W1r4002", PathpointValue.of(105))::get));
    }

    @Test
    void constituentsAreDistinctInFirstUseOrder() throws Exception {
        ReparseExpression expression = ReparseExpression.parse("rW{W1r2}+{W1r1}*{W1r2}-{f1r10}");
        assertEquals(List.of("W1r2", "W1r1", "f1r10"), expression.constituents());
        assertThrows(UnsupportedOperationException.class, () -> expression.constituents().add("x"));
        assertEquals(List.of(), ReparseExpression.parse("rW1+2").constituents());
    }

    @Test
    void bracesNestSoAReferenceCanNameAReparsePathpoint() throws Exception {
        ReparseExpression expression = ReparseExpression.parse("rf{rW{W1r1}+{W1r2}}*{W1r1}+{a{1{2{3}}}}");
        assertEquals(List.of("rW{W1r1}+{W1r2}", "W1r1", "a{1{2{3}}}"), expression.constituents());
    }

    @Test
    void referencesAreTakenAsWrittenAndBracesInTextAreText() throws Exception {
        assertEquals(List.of(" W1r1 "), ReparseExpression.parse("rW{ W1r1 }").constituents());
        ReparseExpression text = ReparseExpression.parse("ru'{W1r1}'");
        assertEquals(List.of(), text.constituents());
        assertEquals(PathpointValue.of("{W1r1}"), text.evaluate(p -> null));
    }

    @Test
    void theResultIsCoercedToTheType() throws Exception {
        assertEquals(PathpointValue.of(1), value("rB{x}", PathpointValue.of(5)));
        assertEquals(PathpointValue.of(0), value("rB{x}", PathpointValue.of(0.0)));
        assertEquals(PathpointValue.of(1), value("rB{x} > 3", PathpointValue.of(5)));
        assertEquals(PathpointValue.of(0), value("rW{x}", PathpointValue.of(-5)));
        assertEquals(PathpointValue.of(65535), value("rW{x}*2", PathpointValue.of(40000)));
        assertEquals(PathpointValue.of(3), value("rW{x}", PathpointValue.of(2.5)));
        assertEquals(PathpointValue.of(12), value("rW{x}", PathpointValue.of(" 12 ")));
        assertEquals(PathpointValue.of(-32768), value("rw-{x}", PathpointValue.of(40000)));
        assertEquals(PathpointValue.of((double) (float) 0.1), value("rf{x}", PathpointValue.of(0.1)));
        assertEquals(PathpointValue.of(1.0), value("rfTrue", PathpointValue.of(0)));
        assertEquals(PathpointValue.of(0.1), value("rd{x}", PathpointValue.of(0.1)));
        assertEquals(PathpointValue.of(4.0), value("rd{x}", PathpointValue.of(4)));
    }

    @Test
    void textResultsArePythonsStr() throws Exception {
        assertEquals(PathpointValue.of("0.1"), value("ru{x}", PathpointValue.of(0.1)));
        assertEquals(PathpointValue.of("1e+16"), value("ru{x}*10", PathpointValue.of(1e15)));
        assertEquals(PathpointValue.of("5.0"), value("ru{x}", PathpointValue.of(5.0)));
        assertEquals(PathpointValue.of("5"), value("ru{x}", PathpointValue.of(5)));
        assertEquals(PathpointValue.of("True"), value("ru{x} > 1", PathpointValue.of(5)));
        assertEquals(PathpointValue.of("on"), value("ru'on' if {x} else 'off'", PathpointValue.of(1)));
    }

    @Test
    void constituentKindsArePythonKinds() throws Exception {
        assertEquals(PathpointValue.of("int"), kind(PathpointValue.of(3)));
        assertEquals(PathpointValue.of("float"), kind(PathpointValue.of(3.0)));
        assertEquals(PathpointValue.of("str"), kind(PathpointValue.of("3")));
        // whole numbers stay exact beyond 2^53
        assertEquals(PathpointValue.of("9007199254740993"), value("ru{x}+1", PathpointValue.of(9007199254740992L)));
        assertEquals(PathpointValue.of(1), value("rB{x} == 'ready'", PathpointValue.of("ready")));
    }

    private static PathpointValue kind(PathpointValue constituent) throws Exception {
        return value("ru'int' if {x} == int({x}) and str({x}) == str(int({x})) else ('float' if {x} == float({x})"
                + " and str({x}) == str(float({x})) else 'str')", constituent);
    }

    @Test
    void valuesAreAskedForOnlyWhenNeededAndOnce() throws Exception {
        ReparseExpression expression = ReparseExpression.parse("rf{a}*{a}+{a} if {c} else {b}/0");
        List<String> asked = new ArrayList<>();
        Map<String, PathpointValue> values = Map.of("a", PathpointValue.of(3), "b", PathpointValue.of(1),
                "c", PathpointValue.of(1));
        assertEquals(PathpointValue.of(12.0), expression.evaluate(pathpoint -> {
            asked.add(pathpoint);
            return values.get(pathpoint);
        }));
        assertEquals(List.of("c", "a"), asked);
        assertEquals(List.of("a", "c", "b"), expression.constituents());
    }

    @Test
    void aConstituentFailureKeepsItsReasonAndNamesTheConstituent() throws Exception {
        ReparseExpression expression = ReparseExpression.parse("rf{W1r1}+{W1r2}");
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> expression.evaluate(pathpoint -> {
            if (pathpoint.equals("W1r2")) {
                throw new OperationFailedException(OperationFailedReason.TIMEOUT, "no answer from 127.0.0.1:502");
            }
            return PathpointValue.of(1);
        }));
        assertEquals(OperationFailedReason.TIMEOUT, e.reason());
        assertEquals("reparse pathpoint 'rf{W1r1}+{W1r2}': constituent 'W1r2' failed: no answer from 127.0.0.1:502",
                e.getMessage());
    }

    @Test
    void aMissingValueIsTheCallersError() throws Exception {
        ReparseExpression expression = ReparseExpression.parse("rf{W1r1}+1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> expression.evaluate(p -> null));
        assertEquals("no value was given for constituent 'W1r1' of reparse pathpoint 'rf{W1r1}+1'", e.getMessage());
        assertThrows(NullPointerException.class, () -> expression.evaluate(null));
    }

    @Test
    void anExpressionIsItsName() throws Exception {
        ReparseExpression one = ReparseExpression.parse("rf{W1r1}+1");
        assertEquals(one, ReparseExpression.parse("rf{W1r1}+1"));
        assertEquals(one.hashCode(), ReparseExpression.parse("rf{W1r1}+1").hashCode());
        assertNotEquals(one, ReparseExpression.parse("rf{W1r1} + 1"));
        assertEquals("rf{W1r1}+1", one.toString());
    }

    @Test
    void evaluationsOfOneExpressionAreIndependent() throws Exception {
        ReparseExpression expression = ReparseExpression.parse("rW{x}+1");
        assertEquals(PathpointValue.of(2), expression.evaluate(p -> PathpointValue.of(1)));
        assertEquals(PathpointValue.of(3), expression.evaluate(p -> PathpointValue.of(2)));
        assertEquals(PathpointValue.of(2), expression.evaluate(p -> PathpointValue.of(1)));
    }

    private static PathpointValue value(String name, PathpointValue x) throws Exception {
        return ReparseExpression.parse(name).evaluate(Map.of("x", x)::get);
    }
}
