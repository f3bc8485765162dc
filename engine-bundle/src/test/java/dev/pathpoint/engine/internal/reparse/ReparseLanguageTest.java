package dev.pathpoint.engine.internal.reparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operator, precedence level and literal form, with the kind and {@code str()} CPython 3.11
 * gives (each expected value below was printed by Python's own eval of the same text).
 */
class ReparseLanguageTest {

    private static final String CASES = """
            7 + 2 => int:9
            7 + 2.5 => float:9.5
            True + True => int:2
            'ab' + 'cd' => str:abcd
            7 - 10 => int:-3
            7.5 - 2 => float:5.5
            7 * 6 => int:42
            2.5 * 4 => float:10.0
            'ab' * 3 => str:ababab
            3 * 'ab' => str:ababab
            'ab' * 0 => str:
            'ab' * -2 => str:
            'ab' * True => str:ab
            7 / 2 => float:3.5
            8 / 2 => float:4.0
            -7 / 2 => float:-3.5
            1 / 3 => float:0.3333333333333333
            9007199254740993 / 1 => float:9007199254740992.0
            9223372036854775807 / 3 => float:3.0744573456182584e+18
            7 // 2 => int:3
            -7 // 2 => int:-4
            7 // -2 => int:-4
            7.5 // 2 => float:3.0
            -7.5 // 2 => float:-4.0
            7 % 3 => int:1
            -7 % 3 => int:2
            7 % -3 => int:-2
            -7.5 % 2 => float:0.5
            7.5 % -2 => float:-0.5
            2 ** 10 => int:1024
            2 ** -1 => float:0.5
            (-2) ** 3 => int:-8
            2 ** 0.5 => float:1.4142135623730951
            (-8) ** 2.0 => float:64.0
            0 ** 0 => int:1
            2.0 ** 3 => float:8.0
            10 ** 18 => int:1000000000000000000
            6 & 3 => int:2
            6 | 3 => int:7
            6 ^ 3 => int:5
            True & True => bool:True
            True | 2 => int:3
            ~5 => int:-6
            ~True => int:-2
            1 << 10 => int:1024
            -1 << 3 => int:-8
            1024 >> 3 => int:128
            -9 >> 1 => int:-5
            1 >> 100 => int:0
            -1 >> 100 => int:-1
            -5 => int:-5
            +5 => int:5
            - -5 => int:5
            -True => int:-1
            +True => int:1
            -2.5 => float:-2.5
            not 0 => bool:True
            not '' => bool:True
            not 'a' => bool:False
            not 1.5 => bool:False
            0 or 5 => int:5
            3 or 5 => int:3
            '' or 'x' => str:x
            0 and 5 => int:0
            3 and 5 => int:5
            1 and 0 or 7 => int:7
            1 < 2 => bool:True
            2 <= 2 => bool:True
            3 > 4 => bool:False
            3 >= 3.0 => bool:True
            1 == 1.0 => bool:True
            1 != 1.0 => bool:False
            'a' == 1 => bool:False
            'a' != 1 => bool:True
            'a' < 'b' => bool:True
            'B' < 'a' => bool:True
            'ab' < 'abc' => bool:True
            1 < 2 < 3 => bool:True
            1 < 3 < 2 => bool:False
            3 > 2 > 1 == 1 => bool:True
            'a' in 'cat' => bool:True
            'x' not in 'cat' => bool:True
            '' in 'cat' => bool:True
            9007199254740993 > 9007199254740992.0 => bool:True
            9007199254740993 == 9007199254740992.0 => bool:False
            1 if True else 2 => int:1
            1 if 0 else 2 => int:2
            'yes' if 'a' else 'no' => str:yes
            1 if 0 else 2 if 0 else 3 => int:3
            1 + 2 * 3 => int:7
            (1 + 2) * 3 => int:9
            10 - 4 - 3 => int:3
            2 ** 3 ** 2 => int:512
            -2 ** 2 => int:-4
            (-2) ** 2 => int:4
            2 ** -1 ** 2 => float:0.5
            2 * 3 % 4 => int:2
            7 // 2 * 2 => int:6
            100 / 10 / 5 => float:2.0
            1 + 2 << 1 => int:6
            1 | 2 ^ 3 & 4 => int:3
            1 | 2 == 3 => bool:True
            not 1 == 2 => bool:True
            not 1 + 1 => bool:False
            1 < 2 and 3 < 4 => bool:True
            1 or 0 and 0 => int:1
            0 and 1 or 1 => int:1
            -3 ** 2 => int:-9
            ~1 + 1 => int:-1
            'ab'[0] => str:a
            'ab'[-1] => str:b
            'hello'[1:3] => str:el
            'hello'[::-1] => str:olleh
            'hello'[::2] => str:hlo
            'hello'[-3:] => str:llo
            'hello'[:10] => str:hello
            'hello'[3:1] => str:
            'hello'[4:1:-1] => str:oll
            'a' 'b' => str:ab
            "it's" => str:it's
            '\\x41\\u00e9\\t|' => str:A\u00e9\t|
            '\\101\\0' => str:A\0
            r'\\d' => str:\\d
            '\\d' => str:\\d
            0x1F + 0o17 + 0b11 => int:49
            1_000 + 0.5 => float:1000.5
            1e3 => float:1000.0
            .5 => float:0.5
            2. => float:2.0
            1E-2 => float:0.01
            00 => int:0
            True => bool:True
            False => bool:False
            min(3, 1, 2) => int:1
            max('b', 'a') => str:b
            min('hello') => str:e
            max(1, 1.0) => int:1
            min(1.0, 1) => float:1.0
            min(2, 1,) => int:1
            float() => float:0.0
            float(3) => float:3.0
            float(True) => float:1.0
            float(' -1_5.5e1 ') => float:-155.0
            float('-inf') => float:-inf
            float('nan') => float:nan
            int() => int:0
            int(3.9) => int:3
            int(-3.9) => int:-3
            int(True) => int:1
            int(' 1_0 ') => int:10
            int('ff', 16) => int:255
            int('0x1f', 0) => int:31
            int('z', 36) => int:35
            str() => str:
            str(0.1) => str:0.1
            str(1e16) => str:1e+16
            str(True) => str:True
            str(-7) => str:-7
            str('x') => str:x
            bool() => bool:False
            bool('') => bool:False
            bool('0') => bool:True
            bool(0.0) => bool:False
            bool(-1) => bool:True
            """;

    static Stream<Arguments> cases() {
        return CASES.lines().map(String::strip).filter(line -> !line.isEmpty()).map(line -> {
            int arrow = line.lastIndexOf(" => ");
            return Arguments.of(line.substring(0, arrow), line.substring(arrow + 4));
        });
    }

    @ParameterizedTest(name = "{0} => {1}")
    @MethodSource("cases")
    void evaluatesAsPython(String expression, String expected) throws Exception {
        Value value = ReparseExpression.parse("rd" + expression).evaluateValue(pathpoint -> {
            throw new AssertionError("no references here");
        });
        assertEquals(expected, value.typeName() + ":" + value.str());
    }
}
