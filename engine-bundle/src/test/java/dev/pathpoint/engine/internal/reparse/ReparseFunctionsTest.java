package dev.pathpoint.engine.internal.reparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed library's sensor and register functions. Expected values are what the seed's own
 * {@code smok.sensor.reparse_funs.ecre_eval} returned for the same expression (smok-client 0.21.1,
 * CPython 3.11, x86-64), kinds included; the lines marked "repaired" are where the seed returns
 * {@code None}. (min, max, float, int, str and bool are covered with Python's values in
 * {@link ReparseLanguageTest} and {@link ReparsePythonOracleTest}; their errors in {@link ReparseErrorTest}.)
 */
class ReparseFunctionsTest {

    private static final String CASES = """
            kty81(1000) => int:-40
            kty81(1136) => int:-40
            kty81(1137) => float:-39.824561403508774
            kty81(1250) => float:-20.0
            kty81(1300) => float:-15.901639344262296
            kty81(2000) => float:30.0
            kty81(2000.5) => float:30.064102564102566
            kty81(3000) => float:91.07843137254902
            kty81(3275) => float:104.42857142857143
            kty81(3276) => float:94.4
            kty81(5000) => float:94.4
            kty81(True) => int:-40
            kty81(float('nan')) => float:nan
            pt1000(700) => int:-50
            pt1000(803.1) => int:-50
            pt1000(803.2) => float:-49.97474747474746
            pt1000(1000) => float:0.0
            pt1000(1000.0) => float:0.0
            pt1000(1385.0) => float:100.0
            pt1000(1422.9) => float:110.00000000000007
            pt1000(1500) => float:130.53262316910786
            pt1000(1758.4) => float:200.0
            pt1000(1958.3) => float:249.97499999999997
            pt1000(1958.4) => int:250
            pt1000(3000) => int:250
            pt1000(float('nan')) => int:-50
            huba505(0.5) => int:0
            huba505(0.4) => int:0
            huba505(2) => float:2.0
            huba505(3.5) => float:4.0
            huba505(1) => float:0.6666666666666666
            huba505(float('nan')) => int:0
            negz(-1) => int:0
            negz(-0.5) => int:0
            negz(3) => int:3
            negz(0) => int:0
            negz(2.5) => float:2.5
            negz('a' if False else 1) => int:1
            d(10, 12) => float:0.2
            d(10.0, 7) => float:0.3
            d(-4, 2) => float:1.5
            D(10, 12) => int:2
            D(3, -2.5) => float:5.5
            ked(19, 30) => int:0
            ked(20, 30) => float:0.5
            ked(100, 90) => float:0.1
            ked(19.99, 1) => int:0
            mkflt(0x3F80, 0) => float:4.600602988224807e-41
            mkflt(0, 0x803F) => float:1.0
            mkflt(0x0000, 0x2041) => float:10.0
            mkflt(0x4048, 0xF5C3) => float:-490.564453125
            mkflt(0xC3F5,0x4840) => float:3.140000104904175
            mkint32(0xFFFF,0xFFFF) => int:-1
            mkint32(1,0) => int:65536
            mkint32(0x8000,0) => int:-2147483648
            mkint32(0x7FFF,0xFFFF) => int:2147483647
            mkint32(True,False) => int:65536
            """;

    static Stream<Arguments> cases() {
        return CASES.lines().filter(line -> !line.isBlank()).map(line -> {
            int arrow = line.lastIndexOf(" => ");
            return Arguments.of(line.substring(0, arrow), line.substring(arrow + 4));
        });
    }

    @ParameterizedTest(name = "{0} => {1}")
    @MethodSource("cases")
    void givesTheSeedsValue(String expression, String expected) throws Exception {
        Value value = ReparseExpression.parse("rd" + expression).evaluateValue(pathpoint -> null);
        assertEquals(expected, value.typeName() + ":" + value.str());
    }
}
