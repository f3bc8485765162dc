package dev.pathpoint.api.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pathpoint.api.section.Section;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes the wire codec's reader: any byte sequence must give sections or a {@link WireFormatException}
 * that says where, never another exception, a hang or unbounded memory (Jazzer reports those as
 * findings). Without {@code JAZZER_FUZZ=1} this runs once per file of the committed corpus in
 * {@code src/test/resources/dev/pathpoint/api/wire/SectionCodecFuzzTestInputs/readSections/}.
 *
 * <p>Real fuzzing for N seconds (the last {@code -max_total_time} wins over the annotation's limit):
 * <pre>
 * cd api-bundle && JAZZER_FUZZ=1 mvn -B test -Dtest=SectionCodecFuzzTest \
 *     -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=N
 * </pre>
 * Findings are written into the corpus directory as {@code crash-*} and then replay in every build;
 * Jazzer's working corpus goes to {@code .cifuzz-corpus/} (not to be committed).
 */
class SectionCodecFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void readSections(byte[] document) {
        List<Section> sections;
        try {
            sections = SectionCodec.readSections(document);
        } catch (WireFormatException e) {
            assertNotNull(e.location(), "a rejection names where");
            assertTrue(e.location().startsWith("$"), "location is a document path: " + e.location());
            assertNotNull(e.problem(), "a rejection says what");
            String input = new String(document, StandardCharsets.ISO_8859_1);
            for (String internal : List.of("Source:", "REDACTED", "jackson", "Feature", "JsonNode", "marker")) {
                // a rejection may quote the document, never the parser library
                assertTrue(input.contains(internal) || !e.getMessage().contains(internal),
                        "no parser internals in a rejection: " + e.getMessage());
            }
            return;
        }
        int orders = sections.stream().mapToInt(s -> s.orders().size()).sum();
        assertTrue(orders <= SectionCodec.MAX_ORDERS, "order limit holds");
        // what was accepted writes back to a document that reads to the same thing
        String written = SectionCodec.writeSections(sections);
        List<Section> again;
        try {
            again = SectionCodec.readSections(written);
        } catch (WireFormatException e) {
            throw new AssertionError("accepted input wrote back as an unreadable document: " + written, e);
        }
        assertEquals(written, SectionCodec.writeSections(again), "write-read-write is stable");
    }
}
