package dev.pathpoint.engine.internal.reparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointValue;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a name can be wrong (INVALID, at once, with the position) and every way values can fail
 * an expression (TYPE, with the position of the operator or call), and the limits.
 */
class ReparseErrorTest {

    /** NAME => POSITION: WHAT, the message being {@code reparse pathpoint 'NAME' at position POSITION: WHAT}. */
    private static final String SYNTAX_ERRORS = """
            r => 1: the type letter is missing (one of B W w f d u after the r)
            rq{W1r1} => 1: type letter 'q' is unknown (expected one of B W w f d u)
            rf => 2: the expression is missing (e.g. rf{W1r4002}*0.1)
            rf   => 2: the expression is missing (e.g. rf{W1r4002}*0.1)
            rf{W1r1}*(2+ => 12: expected a value but found the end of the name
            rf(1+2 => 6: expected ')' (closing the '(' at position 2) but found the end of the name
            rf(1 2 => 5: expected ')' (closing the '(' at position 2) but found '2'
            rf(1,2) => 4: tuples are not supported: parentheses hold one value (to test for one of several values, write {x} == 1 or {x} == 2)
            rB{x} in (1, 2) => 11: tuples are not supported: parentheses hold one value (to test for one of several values, write {x} == 1 or {x} == 2)
            rf{W1r1 => 2: '{' is never closed by '}'
            rf{a{b} => 2: '{' is never closed by '}'
            rf{} => 2: '{}' names no pathpoint
            rf} => 2: '}' closes no '{'
            rf{a}+} => 6: '}' closes no '{'
            rf1 2 => 4: expected an operator or the end of the name but found '2'
            rf1+ => 4: expected a value but found the end of the name
            rf*2 => 2: expected a value but found '*'
            rf[1] => 2: lists are not supported: brackets only index or slice a text
            rf{a}[1 => 7: expected ']' (closing the '[' at position 5) but found the end of the name
            rfmin(1 2) => 8: expected ',' or ')' (closing the '(' at position 5) but found '2'
            rfabs(1) => 2: unknown function 'abs' (the functions are min, max, float, int, str, bool, d, D, ked, huba505, negz, kty81, pt1000, mkflt, mkint32)
            rfx => 2: unknown name 'x' (pathpoints are written in braces, e.g. {W1r4002}, and functions are called with parentheses)
            rflambda => 2: unknown name 'lambda' (pathpoints are written in braces, e.g. {W1r4002}, and functions are called with parentheses)
            rfmin() => 2: min() takes at least 1 argument, not 0
            rfmax() => 2: max() takes at least 1 argument, not 0
            rfkty81(1,2) => 2: kty81() takes 1 argument, not 2
            rfmkflt(1) => 2: mkflt() takes 2 arguments, not 1
            rfint(1,2,3) => 2: int() takes 0 to 2 arguments, not 3
            rfstr(1,2) => 2: str() takes 0 to 1 arguments, not 2
            rf1 = 2 => 4: '=' is not an operator here (to compare, write ==)
            rf!1 => 2: '!' is not an operator (write 'not', or != to compare)
            rf1 is 1 => 4: 'is' is not supported (compare values with == or !=)
            rfNone => 2: None is not supported: an expression must give a number, text or bool
            rf1 if 2 => 8: expected 'else' (of the 'if' at position 4) but found the end of the name
            rf1 if 2 else => 13: expected a value but found the end of the name
            rf1 and => 7: expected a value but found the end of the name
            rfnot => 5: expected a value but found the end of the name
            rfand => 2: expected a value but found 'and'
            rf1 == not 2 => 7: expected a value but found 'not'
            rf1 not 2 => 4: expected an operator or the end of the name but found 'not'
            rf- => 3: expected a value but found the end of the name
            rf1.5.3 => 5: expected an operator or the end of the name but found '.3'
            rf12abc => 2: invalid number '12abc'
            rf0x1g => 2: invalid number '0x1g'
            rf1j => 2: invalid number '1j'
            rf1_ => 3: '_' in a number must stand between two digits
            rf1__0 => 3: '_' in a number must stand between two digits
            rf007 => 2: a whole number cannot start with 0 (007; octal is written 0o...)
            rf1e => 2: the exponent of the number '1e' has no digits
            rf1e+ => 2: the exponent of the number '1e+' has no digits
            rf0x => 2: the number '0x' has no digits after its prefix
            rf0b2 => 2: invalid number '0b2'
            rf9223372036854775808 => 2: the number 9223372036854775808 is beyond the 64-bit integer range
            rf'abc => 2: the text starting here is never closed (no closing ')
            rf'abc\\' => 2: the text starting here is never closed (no closing ')
            rfr'abc\\' => 2: the text starting here is never closed (no closing ')
            rfb'x' => 2: 'b' before a quote is not a known text prefix (only r and u are)
            rff'{x}' => 2: 'f' before a quote is not a known text prefix (only r and u are)
            rf"\\N{DASH}" => 3: named character escapes (\\N{...}) are not supported; use \\u
            rf'\\x4' => 3: \\x needs 2 hexadecimal digits
            rf'\\u12g4' => 3: \\u needs 4 hexadecimal digits
            rf'\\U00110000' => 3: the escape \\U00110000 is beyond the last Unicode character
            rf# => 2: unexpected character '#'
            rf{a}.x => 5: '.' here is not part of a number (attributes and methods are not supported)
            rf 1 +  + => 9: expected a value but found the end of the name
            """;

    static Stream<Arguments> syntaxErrors() {
        return cases(SYNTAX_ERRORS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("syntaxErrors")
    void badNamesFailInvalidWithThePosition(String name, int position, String what) {
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> ReparseExpression.parse(name));
        assertEquals(OperationFailedReason.INVALID, e.reason());
        assertEquals("reparse pathpoint '" + name + "' at position " + position + ": " + what, e.getMessage());
    }

    @Test
    void controlCharactersAreRefusedWhereTheyStand() {
        assertInvalid("rf'a\nb'", 4, "the control character U+000A cannot stand in a text; write it as an escape such as \\n");
        assertInvalid("rf1+\u00002", 4, "the control character U+0000 is not allowed");
        assertInvalid("rf1 +\u00e9", 5, "unexpected character '\u00e9'");
        assertInvalid("rf1 +\ud83d\ude00", 5, "unexpected character '\ud83d\ude00'");
    }

    @Test
    void namesThatAreNotReparseNames() {
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> ReparseExpression.parse("W1r1"));
        assertEquals(OperationFailedReason.INVALID, e.reason());
        assertEquals("pathpoint 'W1r1' is not a reparse pathpoint (those start with 'r')", e.getMessage());
        assertEquals("empty pathpoint name", assertThrows(OperationFailedException.class,
                () -> ReparseExpression.parse("")).getMessage());
        assertEquals("empty pathpoint name", assertThrows(OperationFailedException.class,
                () -> ReparseExpression.parse(null)).getMessage());
    }

    /** NAME => POSITION: WHAT; constituents a = 7, zero = 0, text = 'ab', real = 2.5. */
    private static final String VALUE_ERRORS = """
            rf{a}/{zero} => 5: division by zero
            rf{a}//0 => 5: division by zero
            rf{a}%0.0 => 5: division by zero
            rf{a}/0.0 => 5: division by zero
            rf0.0**-1 => 5: 0.0 cannot be raised to a negative power (division by zero)
            rf0**-1 => 3: 0.0 cannot be raised to a negative power (division by zero)
            rf{a}+{text} => 5: unsupported operand types for '+': int and str
            rf{text}-1 => 8: unsupported operand types for '-': str and int
            rf{text}*{real} => 8: unsupported operand types for '*': str and float
            rf{text}/2 => 8: unsupported operand types for '/': str and int
            rf{text}//2 => 8: unsupported operand types for '//': str and int
            rf1%{text} => 3: unsupported operand types for '%': int and str
            rf{text}%1 => 8: '%' on text (printf-style formatting) is not supported; use str() and +
            rf{text}**2 => 8: unsupported operand types for '**': str and int
            rf{real}&1 => 8: unsupported operand types for '&': float and int
            rf{real}|1 => 8: unsupported operand types for '|': float and int
            rf{real}^1 => 8: unsupported operand types for '^': float and int
            rf{real}<<1 => 8: unsupported operand types for '<<': float and int
            rf1>>{real} => 3: unsupported operand types for '>>': int and float
            rf1>>-1 => 3: negative shift count
            rf1<<-1 => 3: negative shift count
            rf~{real} => 2: bad operand type for unary ~: float
            rf-{text} => 2: bad operand type for unary -: str
            rf+{text} => 2: bad operand type for unary +: str
            rf9223372036854775807+{a} => 21: the result is beyond the 64-bit integer range
            rf-9223372036854775807-2 => 22: the result is beyond the 64-bit integer range
            rf4294967296*4294967296 => 12: the result is beyond the 64-bit integer range
            rf2**63 => 3: the result is beyond the 64-bit integer range
            rf3**{a}**{a} => 3: the result is beyond the 64-bit integer range
            rf1<<63 => 3: the result is beyond the 64-bit integer range
            rf-(-9223372036854775807-1) => 2: the result is beyond the 64-bit integer range
            rf(-9223372036854775807-1)//-1 => 26: the result is beyond the 64-bit integer range
            rf(-8)**0.5 => 6: a negative number to a fractional power has no real value
            rf10.0**400 => 6: the result of '**' is too large for a float
            rf{text}*2049 => 8: the text would be longer than 4096 characters
            rf{text}<1 => 8: '<' is not supported between str and int
            rf{text}<={a} => 8: '<=' is not supported between str and int
            rf{a}>{text} => 5: '>' is not supported between int and str
            rf{a}>={text} => 5: '>=' is not supported between int and str
            rf1<2<{text} => 5: '<' is not supported between int and str
            rf{text} in 1 => 9: 'in' needs text on its right, not int
            rf1 not in {text} => 4: 'in' on text needs text on its left, not int
            rf{a}[0] => 5: only text can be indexed or sliced, not int
            rf{a}[:1] => 5: only text can be indexed or sliced, not int
            rf{text}[2] => 8: text index 2 is out of range (the text has 2 characters)
            rf{text}[-3] => 8: text index -3 is out of range (the text has 2 characters)
            rf{text}[{real}] => 8: a text index must be a whole number, not float
            rf{text}[::0] => 8: the slice step cannot be zero
            rf{text}[:{text}] => 8: a text bound must be a whole number, not str
            rf{text}[::{real}] => 8: a text step must be a whole number, not float
            rfmin(1) => 2: min(): a single argument must be text (its characters are compared), not int; give two or more values to compare them
            rfmax('') => 2: max(): the text is empty
            rfmin(1,{text}) => 2: min(): '<' is not supported between str and int
            rfmax(1,{text}) => 2: max(): '>' is not supported between str and int
            rfint({text}) => 2: int(): invalid literal with base 10: 'ab'
            rfint('99999999999999999999') => 2: int(): the text '99999999999999999999' is a number beyond the 64-bit integer range
            rfint(1e300) => 2: int(): the float 1e+300 is beyond the 64-bit integer range
            rfint(float('nan')) => 2: int(): cannot convert float NaN to an integer
            rfint(float('-inf')) => 2: int(): cannot convert float infinity to an integer
            rfint('1',1) => 2: int(): the base must be 2..36, or 0 (taken from the prefix), not 1
            rfint('1',37) => 2: int(): the base must be 2..36, or 0 (taken from the prefix), not 37
            rfint('1',{real}) => 2: int(): the base must be a whole number, not float
            rfint({a},10) => 2: int(): a base is given, so the value must be text, not int
            rffloat({text}) => 2: float(): cannot convert the text 'ab' to a number
            rfmkflt(-1,0) => 2: mkflt(): argument 1 must be 0..65535 (a register), not -1
            rfmkflt(0,65536) => 2: mkflt(): argument 2 must be 0..65535 (a register), not 65536
            rfmkflt({real},0) => 2: mkflt(): argument 1 must be a whole number 0..65535 (a register), not float
            rfmkint32(0,70000) => 2: mkint32(): argument 2 must be 0..65535 (a register), not 70000
            rfmkint32({text},0) => 2: mkint32(): argument 1 must be a whole number 0..65535 (a register), not str
            rfd({zero},1) => 2: d(): division by zero
            rfd({text},1) => 2: d(): unsupported operand types for '-': int and str
            rfD(1,{text}) => 2: D(): unsupported operand types for '-': str and int
            rfked({text},1) => 2: ked(): '<' is not supported between str and int
            rfhuba505({text}) => 2: huba505(): unsupported operand types for '-': str and float
            rfnegz({text}) => 2: negz(): '<' is not supported between str and int
            rfkty81({text}) => 2: kty81(): '<=' is not supported between str and int
            rfpt1000({text}) => 2: pt1000(): unsupported operand types for '/': str and float
            """;

    static Stream<Arguments> valueErrors() {
        return cases(VALUE_ERRORS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueErrors")
    void valuesWithoutAResultFailTypeWithThePosition(String name, int position, String what) throws Exception {
        ReparseExpression expression = ReparseExpression.parse(name);
        Map<String, PathpointValue> values = Map.of("a", PathpointValue.of(7), "zero", PathpointValue.of(0),
                "text", PathpointValue.of("ab"), "real", PathpointValue.of(2.5));
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> expression.evaluate(values::get));
        assertEquals(OperationFailedReason.TYPE, e.reason());
        assertEquals("reparse pathpoint '" + name + "' at position " + position + ": " + what, e.getMessage());
    }

    @Test
    void aResultTheTypeCannotHoldFailsType() throws Exception {
        assertCoercionFails("rW'abc'", "reparse pathpoint 'rW'abc'': the result 'abc' is not a decimal number, as a W pathpoint needs");
        assertCoercionFails("rw1e400", "reparse pathpoint 'rw1e400': the result Infinity is not a number a w pathpoint can hold");
        assertCoercionFails("rBfloat('nan')", "reparse pathpoint 'rBfloat('nan')': the result NaN is not a number a B pathpoint can hold");
        assertCoercionFails("rf'1,5'", "reparse pathpoint 'rf'1,5'': the result '1,5' is not a decimal number, as a f pathpoint needs");
    }

    @Test
    void lengthLimit() throws Exception {
        String longest = "rf1" + " ".repeat(ReparseExpression.MAX_NAME_LENGTH - 3);
        assertEquals(ReparseExpression.MAX_NAME_LENGTH, longest.length());
        ReparseExpression.parse(longest);
        String tooLong = longest + " ";
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> ReparseExpression.parse(tooLong));
        assertEquals(OperationFailedReason.INVALID, e.reason());
        assertTrue(e.getMessage().endsWith("(2049 characters)' at position 2048: the name is longer than 2048 characters"),
                e.getMessage());
    }

    @Test
    void nodeLimit() throws Exception {
        // n numbers joined by + are n nodes and one chain node
        ReparseExpression.parse("rf" + "1+".repeat(ReparseExpression.MAX_NODES - 2) + "1");
        String tooMany = "rf" + "1+".repeat(600) + "1";
        // the 513th node is the 513th number, at 2 + 2 * 512
        assertInvalid(tooMany, 1026, "the expression has more than 512 parts (values, references, operators and calls)");
    }

    @Test
    void depthLimitForEveryKindOfNesting() throws Exception {
        int deepest = ReparseExpression.MAX_DEPTH;
        // the limit is reported at the construct that crosses it, here the 33rd
        assertDepth("(".repeat(deepest) + "1" + ")".repeat(deepest), "(".repeat(deepest + 1) + "1" + ")".repeat(deepest + 1),
                2 + deepest);
        assertDepth("-".repeat(deepest) + "1", "-".repeat(deepest + 1) + "1", 2 + deepest);
        assertDepth("not ".repeat(deepest) + "1", "not ".repeat(deepest + 1) + "1", 2 + 4 * deepest);
        assertDepth("2**".repeat(deepest) + "1", "2**".repeat(deepest + 1) + "1", 2 + 3 * deepest + 1);
        assertDepth("min(".repeat(deepest) + "1" + ")".repeat(deepest), "min(".repeat(deepest + 1) + "1" + ")".repeat(deepest + 1),
                2 + 4 * deepest + 3);
        assertDepth("1 if 1 else ".repeat(deepest) + "1", "1 if 1 else ".repeat(deepest + 1) + "1", 2 + 12 * deepest + 2);
        assertDepth("'a'[".repeat(deepest) + "0" + "]".repeat(deepest), "'a'[".repeat(deepest + 1) + "0" + "]".repeat(deepest + 1),
                2 + 4 * deepest + 3);
        assertDepth("(-(".repeat(deepest / 3) + "1" + "))".repeat(deepest / 3), "(-(".repeat(11) + "1" + "))".repeat(11), 2 + 32);
    }

    @Test
    void deepNestingFarBeyondTheLimitFailsWithoutExhaustingTheStack() {
        String name = "rf" + "(".repeat(ReparseExpression.MAX_NAME_LENGTH - 2);
        assertInvalid(name, 2 + ReparseExpression.MAX_DEPTH, "the expression is nested more than 32 levels deep");
    }

    @Test
    void textLimit() throws Exception {
        ReparseExpression longest = ReparseExpression.parse("ru'ab'*2048");
        assertEquals(ReparseExpression.MAX_TEXT_LENGTH, ((PathpointValue.Text) longest.evaluate(p -> null)).value().length());
        OperationFailedException e = assertThrows(OperationFailedException.class,
                () -> ReparseExpression.parse("ru'ab'*1024+'a'*2049").evaluate(p -> null));
        assertEquals("reparse pathpoint 'ru'ab'*1024+'a'*2049' at position 11: the text would be longer than 4096 characters",
                e.getMessage());
        e = assertThrows(OperationFailedException.class,
                () -> ReparseExpression.parse("ru'ab'*1024+'a'*2048+'b'").evaluate(p -> null));
        assertEquals("reparse pathpoint 'ru'ab'*1024+'a'*2048+'b'' at position 20: the text would be longer than 4096 characters",
                e.getMessage());
        // a huge count fails at once, without building anything
        e = assertThrows(OperationFailedException.class, () -> ReparseExpression.parse("ru'a'*9223372036854775807").evaluate(p -> null));
        assertEquals(OperationFailedReason.TYPE, e.reason());
    }

    @Test
    void theCostliestExpressionsWithinTheLimitsStillEndQuickly() throws Exception {
        // each part at most once, texts at most 4096 characters: 500 concatenations of a 4000-character text fail
        // at the first one that crosses the limit
        String name = "ru" + "'a'*4000" + "+'a'".repeat(200);
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> ReparseExpression.parse(name).evaluate(p -> null));
        assertEquals(OperationFailedReason.TYPE, e.reason());
        // 100 whole-exponent powers, each computed in 60 digits
        String powers = "rd" + "1.0000001**1000000+".repeat(100) + "0";
        assertTrue(ReparseExpression.parse(powers).evaluate(p -> null) instanceof PathpointValue.Real);
    }

    private static void assertDepth(String deepestExpression, String tooDeepExpression, int position) throws Exception {
        ReparseExpression.parse("rf" + deepestExpression);
        assertInvalid("rf" + tooDeepExpression, position, "the expression is nested more than 32 levels deep");
    }

    private static void assertInvalid(String name, int position, String what) {
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> ReparseExpression.parse(name));
        assertEquals(OperationFailedReason.INVALID, e.reason());
        assertEquals(Failures.describe(name) + " at position " + position + ": " + what, e.getMessage());
    }

    private static void assertCoercionFails(String name, String message) throws Exception {
        ReparseExpression expression = ReparseExpression.parse(name);
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> expression.evaluate(p -> null));
        assertEquals(OperationFailedReason.TYPE, e.reason());
        assertEquals(message, e.getMessage());
    }

    private static Stream<Arguments> cases(String table) {
        return table.lines().filter(line -> !line.isBlank()).map(line -> {
            int arrow = line.indexOf(" => ");
            int colon = line.indexOf(": ", arrow);
            return Arguments.of(line.substring(0, arrow), Integer.parseInt(line.substring(arrow + 4, colon)),
                    line.substring(colon + 2));
        });
    }
}
