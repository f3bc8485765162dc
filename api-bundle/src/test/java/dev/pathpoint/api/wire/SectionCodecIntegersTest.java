package dev.pathpoint.api.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointValue;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whole numbers cross the wire exactly at every size a pathpoint holds: beyond 2^53 and beyond the long range. */
class SectionCodecIntegersTest {

    @ParameterizedTest
    @ValueSource(strings = {"9007199254740993", "-9007199254740993", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "18446744073709551615", "-9223372036854775809", "123456789012345678901234567890"})
    void writtenIntegersAreReadExactly(String digits) throws Exception {
        Section section = SectionCodec.readSections("{\"orders\": [{\"type\": \"write\", \"path\": \"W1r0:64\", \"value\": "
                + digits + "}]}").get(0);
        PathpointValue value = ((WriteOrder) section.orders().get(0)).value();
        assertEquals(PathpointValue.of(new BigInteger(digits)), value);
        assertEquals(digits, value.asText());
        BigInteger number = new BigInteger(digits);
        if (number.bitLength() < Long.SIZE) {
            assertInstanceOf(PathpointValue.Whole.class, value, "numbers in the long range are Whole");
        } else {
            assertInstanceOf(PathpointValue.BigWhole.class, value, "numbers beyond the long range are BigWhole");
        }
        String written = SectionCodec.writeSections(List.of(section));
        assertTrue(written.contains("\"value\":" + digits + ","), "exact JSON integer, not a float or a string: " + written);
        assertEquals(value, ((WriteOrder) SectionCodec.readSections(written).get(0).orders().get(0)).value(), "round trip");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9007199254740993", "18446744073709551615", "-9223372036854775808"})
    void resultValuesAreExactIntegers(String digits) {
        ReadOrder read = new ReadOrder("W1r0:64", AdviseLevel.FORCE);
        String line = SectionCodec.writeResult(new SectionResult(List.of(
                OrderOutcome.done(read, PathpointValue.of(new BigInteger(digits))))));
        assertTrue(line.contains("\"value\":" + digits + "}"), line);
    }
}
