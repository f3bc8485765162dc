package dev.pathpoint.api.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.MessageOrder;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.SysctlOrder;
import dev.pathpoint.api.order.WaitOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.Disposition;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointValue;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SectionCodecTest {

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    @Test
    void readsEveryOrderTypeWithTheSeedFieldNames() throws Exception {
        List<Section> sections = SectionCodec.readSections(json("""
                [{'orders': [
                    {'type': 'read', 'path': 'W1r0', 'advise': 1},
                    {'type': 'write', 'path': 'f1r2', 'value': 2.5, 'advise': 0, 'stale_after': 1767225600.25},
                    {'type': 'write', 'path': 'u1r4', 'value': 'text'},
                    {'type': 'write', 'path': 'W1r9', 'value': 65535},
                    {'type': 'wait', 'time': 1.5},
                    {'type': 'sysctl', 'op_type': 'update', 'op_args': 'dev.pathpoint.modbus'},
                    {'type': 'message', 'uuid': '5b0c8f0e-1111-4c8e-9e3b-0d6f1b0a8e21'}],
                  'disposition': 1},
                 {'orders': []}]
                """));
        assertEquals(2, sections.size());
        Section first = sections.get(0);
        assertEquals(Disposition.CANNOT_JOIN, first.disposition());
        assertEquals(Disposition.JOINABLE, sections.get(1).disposition());

        ReadOrder read = assertInstanceOf(ReadOrder.class, first.orders().get(0));
        assertEquals("W1r0", read.pathpoint());
        assertEquals(AdviseLevel.FORCE, read.advise());

        WriteOrder write = assertInstanceOf(WriteOrder.class, first.orders().get(1));
        assertEquals(PathpointValue.of(2.5), write.value());
        assertEquals(AdviseLevel.ADVISE, write.advise());
        assertEquals(Instant.ofEpochSecond(1767225600, 250_000_000), write.staleAfter().orElseThrow());

        WriteOrder text = assertInstanceOf(WriteOrder.class, first.orders().get(2));
        assertEquals(PathpointValue.of("text"), text.value());
        assertEquals(AdviseLevel.ADVISE, text.advise(), "advise defaults to ADVISE");
        assertTrue(text.staleAfter().isEmpty());
        assertEquals(PathpointValue.of(65535), ((WriteOrder) first.orders().get(3)).value());

        assertEquals(Duration.ofMillis(1500), assertInstanceOf(WaitOrder.class, first.orders().get(4)).period());
        SysctlOrder sysctl = assertInstanceOf(SysctlOrder.class, first.orders().get(5));
        assertEquals("update", sysctl.opType());
        assertEquals("dev.pathpoint.modbus", sysctl.opArgs());
        assertEquals("5b0c8f0e-1111-4c8e-9e3b-0d6f1b0a8e21", assertInstanceOf(MessageOrder.class, first.orders().get(6)).uuid());
    }

    @Test
    void readsASingleSectionObject() throws Exception {
        List<Section> sections = SectionCodec.readSections(json("{'orders': [{'type': 'sysctl', 'op_type': 'reboot'}]}"));
        assertEquals(1, sections.size());
        assertEquals("", ((SysctlOrder) sections.get(0).orders().get(0)).opArgs(), "op_args defaults to empty");
    }

    @Test
    void readsFromAStream() throws Exception {
        byte[] document = json("{'orders': [{'type': 'read', 'path': 'W1r0'}]}").getBytes(StandardCharsets.UTF_8);
        assertEquals(1, SectionCodec.readSections(new ByteArrayInputStream(document)).size());
    }

    @Test
    void sectionsSurviveARoundTrip() throws Exception {
        Section original = new Section(List.of(new ReadOrder("W1r0", AdviseLevel.FORCE),
                new WriteOrder("d1r4", PathpointValue.of(-0.125), AdviseLevel.FORCE, Instant.ofEpochSecond(1700000000, 500_000_000)),
                new WriteOrder("W1r1", PathpointValue.of(12), AdviseLevel.ADVISE),
                new WaitOrder(Duration.ofMillis(250)), new SysctlOrder("baob-created", "key-1"), new MessageOrder("m-1")),
                Disposition.CANNOT_JOIN);
        String written = SectionCodec.writeSections(List.of(original));
        Section copy = SectionCodec.readSections(written).get(0);
        assertEquals(written, SectionCodec.writeSections(List.of(copy)));
        assertEquals(Disposition.CANNOT_JOIN, copy.disposition());
        assertEquals(original.orders().size(), copy.orders().size());
        assertEquals(Instant.ofEpochSecond(1700000000, 500_000_000), ((WriteOrder) copy.orders().get(1)).staleAfter().orElseThrow());
        assertEquals(Duration.ofMillis(250), ((WaitOrder) copy.orders().get(3)).period());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON                  | {'orders': [                                                               | $.orders   | not valid JSON at line 1, column 13: the document ends before the array opened at line 1, column 12 is closed: expected ']'
            trailing garbage          | {'orders': []} x                                                           | $          | not valid JSON at line 1, column 16: unexpected 'x' after the end of the document
            a second document         | {'orders': []} {'orders': []}                                              | $          | not valid JSON at line 1, column 16: unexpected '{' after the end of the document: a document holds one section or one array of sections
            empty document            | ''                                                                         | $          | empty document
            a number                  | 42                                                                         | $          | expected a section
            section not an object     | [{'orders': []}, 7]                                                        | $[1]       | expected a section (object), got number
            orders missing            | {'disposition': 0}                                                         | $.orders   | missing
            orders not an array       | {'orders': {}}                                                             | $.orders   | expected an array of orders, got object
            unknown section field     | {'orders': [], 'priority': 1}                                              | $.priority | unknown field for a section
            disposition out of range  | {'orders': [], 'disposition': 2}                                           | $.disposition | expected 0 (JOINABLE) or 1 (CANNOT_JOIN), got number 2
            disposition a string      | {'orders': [], 'disposition': '1'}                                         | $.disposition | got string
            order not an object       | {'orders': ['read']}                                                       | $.orders[0] | expected an order (object), got string
            type missing              | {'orders': [{'path': 'W1r0'}]}                                             | $.orders[0].type | missing
            type unknown              | {'orders': [{'type': 'erase', 'path': 'W1r0'}]}                            | $.orders[0].type | unknown order type 'erase'
            type not a string         | {'orders': [{'type': 1}]}                                                  | $.orders[0].type | expected a string
            path missing              | {'orders': [{'type': 'read'}]}                                             | $.orders[0].path | missing
            path empty                | {'orders': [{'type': 'read', 'path': ' '}]}                                | $.orders[0].path | empty
            path a number             | {'orders': [{'type': 'read', 'path': 40001}]}                              | $.orders[0].path | expected a string (a pathpoint name), got number
            advise out of range       | {'orders': [{'type': 'read', 'path': 'W1r0', 'advise': 5}]}                | $.orders[0].advise | expected 0 (ADVISE) or 1 (FORCE), got number 5
            advise fractional         | {'orders': [{'type': 'read', 'path': 'W1r0', 'advise': 1.5}]}              | $.orders[0].advise | expected 0 (ADVISE) or 1 (FORCE), got number 1.5
            advise fraction as written | {'orders': [{'type': 'read', 'path': 'W1r0', 'advise': 1.50}]}            | $.orders[0].advise | expected 0 (ADVISE) or 1 (FORCE), got number 1.50
            disposition fractional    | {'orders': [], 'disposition': 0.25}                                        | $.disposition | expected 0 (JOINABLE) or 1 (CANNOT_JOIN), got number 0.25
            advise boolean            | {'orders': [{'type': 'read', 'path': 'W1r0', 'advise': true}]}             | $.orders[0].advise | got boolean true
            field of another type     | {'orders': [{'type': 'read', 'path': 'W1r0', 'value': 3}]}                 | $.orders[0].value | unknown field for a read order
            value missing             | {'orders': [{'type': 'write', 'path': 'W1r0'}]}                            | $.orders[0].value | missing
            value boolean             | {'orders': [{'type': 'write', 'path': 'W1r0', 'value': true}]}             | $.orders[0].value | expected a number or a string, got boolean
            value array               | {'orders': [{'type': 'write', 'path': 'W1r0', 'value': [1]}]}              | $.orders[0].value | expected a number or a string, got array
            value NaN                 | {'orders': [{'type': 'write', 'path': 'W1r0', 'value': NaN}]}              | $.orders[0].value | NaN is not a finite number
            value infinite            | {'orders': [{'type': 'write', 'path': 'W1r0', 'value': -Infinity}]}        | $.orders[0].value | not a finite number
            stale_after a string      | {'orders': [{'type': 'write', 'path': 'W1r0', 'value': 1, 'stale_after': 'soon'}]} | $.orders[0].stale_after | expected a number of epoch seconds, got string
            stale_after negative      | {'orders': [{'type': 'write', 'path': 'W1r0', 'value': 1, 'stale_after': -1}]} | $.orders[0].stale_after | expected epoch seconds from 0
            wait time missing         | {'orders': [{'type': 'wait'}]}                                             | $.orders[0].time | missing
            wait time negative        | {'orders': [{'type': 'wait', 'time': -0.5}]}                               | $.orders[0].time | expected seconds from 0
            wait time absurd          | {'orders': [{'type': 'wait', 'time': 1e300}]}                              | $.orders[0].time | expected seconds from 0
            wait time NaN             | {'orders': [{'type': 'wait', 'time': NaN}]}                                | $.orders[0].time | not a finite number
            op_type missing           | {'orders': [{'type': 'sysctl', 'op_args': ''}]}                            | $.orders[0].op_type | missing
            op_args not a string      | {'orders': [{'type': 'sysctl', 'op_type': 'update', 'op_args': ['a']}]}    | $.orders[0].op_args | expected a string, got array
            uuid missing              | {'orders': [{'type': 'message'}]}                                          | $.orders[0].uuid | missing
            duplicate field           | {'orders': [{'type': 'read', 'path': 'W1r0', 'path': 'W1r1'}]}             | $.orders[0].path | not valid JSON at line 1, column 46: field 'path' appears twice in one object
            """)
    void badInputIsRejectedNamingTheFieldAndPosition(String name, String document, String location, String problem) {
        WireFormatException e = assertThrows(WireFormatException.class, () -> SectionCodec.readSections(json(document)));
        assertEquals(location, e.location(), e.getMessage());
        assertTrue(e.problem().contains(problem), "problem was: " + e.problem());
        assertTrue(e.getMessage().startsWith(location + ": "), e.getMessage());
    }

    /** JSON syntax errors say what was expected where, in the words of JSON, never of the parser library. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ends in an object         | {'orders': [{'type': 'read'                | $.orders[0] | not valid JSON at line 1, column 28: the document ends before the object opened at line 1, column 13 is closed: expected '}'
            ends in a string          | {'orders': [{'type': 'rea                  | $.orders[0].type | not valid JSON at line 1, column 26: the document ends inside a string: expected its closing '"'
            ends before anything      | [                                          | $          | not valid JSON at line 1, column 2: the document ends before the array opened at line 1, column 1 is closed: expected ']'
            missing colon             | {'orders' []}                              | $.orders   | not valid JSON at line 1, column 11: expected ':' after field name 'orders', found '['
            unquoted field name       | {orders: []}                               | $          | not valid JSON at line 1, column 2: expected a field name in double quotes or '}', found 'o'
            missing comma in object   | {'orders': [] 'disposition': 1}            | $          | not valid JSON at line 1, column 15: expected ',' or '}' after field 'orders', found '"'
            missing comma in array    | [{'orders': []} {'orders': []}]            | $          | not valid JSON at line 1, column 17: expected ',' or ']', found '{'
            trailing comma in array   | {'orders': [{'type': 'wait', 'time': 1},]} | $.orders   | not valid JSON at line 1, column 41: expected a value after ',', found ']' (JSON allows no comma before ']')
            trailing comma in object  | {'orders': [],}                            | $          | not valid JSON at line 1, column 15: expected a field name in double quotes after ',', found '}' (JSON allows no comma before '}')
            missing value             | {'orders': }                               | $.orders   | not valid JSON at line 1, column 12: expected a value for field 'orders' (a string in double quotes, a number, an object, an array, true, false or null), found '}'
            bare word                 | {'orders': [], 'disposition': tru}         | $.disposition | not valid JSON at line 1, column 31: 'tru' is not a JSON value
            bad number                | {'orders': [], 'disposition': 01}          | $.disposition | not valid JSON at line 1, column 31: '01' is not a JSON number
            lone minus                | {'orders': [], 'disposition': -}           | $.disposition | not valid JSON at line 1, column 31: '-' is not a JSON number
            wrong closing bracket     | {'orders': [}                              | $.orders   | not valid JSON at line 1, column 13: found '}' but the array opened at line 1, column 12 is not closed: expected ',' or ']'
            not a document            | ]                                          | $          | not valid JSON at line 1, column 1: expected a section (an object) or an array of sections, found ']'
            """)
    void syntaxErrorsSayWhatWasExpectedAtWhichLineAndColumn(String name, String document, String location, String problem) {
        WireFormatException e = assertThrows(WireFormatException.class, () -> SectionCodec.readSections(json(document)));
        assertEquals(location, e.location(), e.getMessage());
        assertTrue(e.problem().startsWith(problem), "problem was: " + e.problem());
        assertNoLibraryInternals(e);
    }

    @Test
    void syntaxErrorsCountLinesAndColumns() {
        WireFormatException e = assertThrows(WireFormatException.class, () -> SectionCodec.readSections(json("""
                {"orders": [
                  {"type": "read", "path": "W1r0"}
                  {"type": "read", "path": "W1r1"}]}
                """)));
        assertEquals("not valid JSON at line 3, column 3: expected ',' or ']', found '{'", e.problem());
        assertEquals("$.orders", e.location());
    }

    @Test
    void controlCharactersInStringsAndBytesThatAreNotUtf8AreNamed() {
        WireFormatException control = assertThrows(WireFormatException.class,
                () -> SectionCodec.readSections("{\"orders\": [{\"type\": \"re\nad\"}]}"));
        assertEquals("$.orders[0].type", control.location());
        assertTrue(control.problem().contains("a string holds the control character U+000A: write it as an escape"), control.problem());
        byte[] latin1 = "{\"orders\": [{\"type\": \"read\", \"path\": \"W\u00e9\"}]}".getBytes(StandardCharsets.ISO_8859_1);
        WireFormatException bytes = assertThrows(WireFormatException.class, () -> SectionCodec.readSections(latin1));
        assertEquals("not UTF-8 text: byte 0xE9 at offset 39 cannot start or continue a UTF-8 character", bytes.problem());
        assertNoLibraryInternals(control);
        WireFormatException escape = assertThrows(WireFormatException.class,
                () -> SectionCodec.readSections("{\"orders\": [{\"type\": \"r\\qad\"}]}"));
        assertEquals("$.orders[0].type", escape.location());
        assertTrue(escape.problem().startsWith("not valid JSON at line 1, column 25: bad escape in a string at 'q'"), escape.problem());
    }

    @Test
    void limitsAreNamedInWords() {
        String deep = "[".repeat(40) + "]".repeat(40);
        WireFormatException nested = assertThrows(WireFormatException.class, () -> SectionCodec.readSections(deep));
        assertEquals("not valid JSON at line 1, column 33: nested too deeply: objects and arrays may be nested at most 32 levels deep",
                nested.problem());
        WireFormatException longNumber = assertThrows(WireFormatException.class,
                () -> SectionCodec.readSections("{\"orders\": [], \"disposition\": 1" + "0".repeat(80) + "}"));
        assertTrue(longNumber.problem().endsWith("a number longer than 64 characters"), longNumber.problem());
        assertNoLibraryInternals(nested);
        assertNoLibraryInternals(longNumber);
    }

    private static void assertNoLibraryInternals(WireFormatException e) {
        for (String internal : List.of("Source:", "REDACTED", "Jackson", "jackson", "Feature", "marker", "bound as",
                "JsonNode", "code 1", "CTRL-CHAR")) {
            assertTrue(!e.getMessage().contains(internal), "'" + internal + "' in: " + e.getMessage());
        }
    }

    @Test
    void numbersEqualToTheCodesAreAccepted() throws Exception {
        Section section = SectionCodec.readSections(json(
                "{'orders': [{'type': 'read', 'path': 'W1r0', 'advise': 1.0}, {'type': 'read', 'path': 'W1r1', 'advise': 0.0},"
                        + " {'type': 'read', 'path': 'W1r2', 'advise': 1e0}], 'disposition': 1.000}")).get(0);
        assertEquals(Disposition.CANNOT_JOIN, section.disposition());
        assertEquals(AdviseLevel.FORCE, ((ReadOrder) section.orders().get(0)).advise());
        assertEquals(AdviseLevel.ADVISE, ((ReadOrder) section.orders().get(1)).advise());
        assertEquals(AdviseLevel.FORCE, ((ReadOrder) section.orders().get(2)).advise());
        assertEquals(Disposition.JOINABLE, SectionCodec.readSections(json("{'orders': [], 'disposition': 0.0}")).get(0).disposition());
    }

    @Test
    void secondsAreWrittenInTheirShortestForm() throws Exception {
        Section section = new Section(List.of(
                new WriteOrder("W1r1", PathpointValue.of(1), AdviseLevel.ADVISE, Instant.ofEpochSecond(1796099307)),
                new WriteOrder("W1r2", PathpointValue.of(1), AdviseLevel.ADVISE, Instant.ofEpochSecond(1767225600, 250_000_000)),
                new WaitOrder(Duration.ofMillis(1500)), new WaitOrder(Duration.ofMillis(250)), new WaitOrder(Duration.ZERO),
                new WaitOrder(Duration.ofSeconds(60))), Disposition.JOINABLE);
        String written = SectionCodec.writeSections(List.of(section));
        assertEquals("{\"orders\":[{\"type\":\"write\",\"path\":\"W1r1\",\"value\":1,\"stale_after\":1796099307,\"advise\":0},"
                + "{\"type\":\"write\",\"path\":\"W1r2\",\"value\":1,\"stale_after\":1767225600.25,\"advise\":0},"
                + "{\"type\":\"wait\",\"time\":1.5},{\"type\":\"wait\",\"time\":0.25},{\"type\":\"wait\",\"time\":0},"
                + "{\"type\":\"wait\",\"time\":60}],\"disposition\":0}", written);
        String result = SectionCodec.writeResult(new SectionResult(List.of(new OrderOutcome.Stale(section.orders().get(0)),
                OrderOutcome.done(section.orders().get(2)))));
        assertTrue(result.contains("\"stale_after\":1796099307,") && result.contains("\"time\":1.5,"), result);
    }

    @Test
    void errorNamesTheSectionAndOrderIndex() {
        WireFormatException e = assertThrows(WireFormatException.class, () -> SectionCodec.readSections(json("""
                [{'orders': [{'type': 'read', 'path': 'W1r0'}]},
                 {'orders': [{'type': 'read', 'path': 'W1r1'}, {'type': 'read', 'path': 'W1r2', 'advise': 3}]}]
                """)));
        assertEquals("$[1].orders[1].advise", e.location());
    }

    @Test
    void absurdlyLargeDocumentsAreRejected() {
        byte[] huge = new byte[SectionCodec.MAX_DOCUMENT_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        WireFormatException e = assertThrows(WireFormatException.class, () -> SectionCodec.readSections(huge));
        assertEquals("$", e.location());
        assertTrue(e.problem().contains("larger than"), e.problem());
        WireFormatException streamed = assertThrows(WireFormatException.class,
                () -> SectionCodec.readSections(new ByteArrayInputStream(huge)));
        assertTrue(streamed.problem().contains("larger than"), streamed.problem());
    }

    @Test
    void tooManyOrdersAreRejected() {
        StringBuilder document = new StringBuilder("{\"orders\":[");
        for (int i = 0; i <= SectionCodec.MAX_ORDERS; i++) {
            document.append(i == 0 ? "" : ",").append("{\"type\":\"read\",\"path\":\"W1r").append(i % 100).append("\"}");
        }
        document.append("]}");
        WireFormatException e = assertThrows(WireFormatException.class, () -> SectionCodec.readSections(document.toString()));
        assertTrue(e.problem().contains("more than " + SectionCodec.MAX_ORDERS + " orders"), e.problem());
    }

    @Test
    void numbersWithAnExponentBeyondRangeAreRejected() {
        for (String document : List.of("[0e99999999999]", "{'orders':[{'type':'wait','time':0e401700000000}]}")) {
            WireFormatException e = assertThrows(WireFormatException.class, () -> SectionCodec.readSections(json(document)));
            assertTrue(e.location().startsWith("$"), e.location());
            assertTrue(e.problem().contains("is out of the range of numbers"), e.problem());
        }
    }

    @Test
    void deeplyNestedDocumentsAreRejected() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        WireFormatException e = assertThrows(WireFormatException.class, () -> SectionCodec.readSections(deep));
        assertTrue(e.problem().contains("not valid JSON"), e.problem());
    }

    @Test
    void resultsAreWrittenOrderByOrder() throws Exception {
        ReadOrder read = new ReadOrder("W1r0", AdviseLevel.FORCE);
        WriteOrder write = new WriteOrder("W1r1", PathpointValue.of(70000), AdviseLevel.ADVISE);
        WriteOrder stale = new WriteOrder("W1r2", PathpointValue.of(1), AdviseLevel.ADVISE, Instant.ofEpochSecond(1));
        ReadOrder failed = new ReadOrder("f1r4", AdviseLevel.ADVISE);
        SysctlOrder sysctl = new SysctlOrder("echo", "hi");
        ReadOrder nan = new ReadOrder("f1r6", AdviseLevel.ADVISE);
        SectionResult result = new SectionResult(List.of(OrderOutcome.done(read, PathpointValue.of(12)),
                OrderOutcome.done(write, PathpointValue.of(65535)), new OrderOutcome.Stale(stale),
                new OrderOutcome.Failed(failed, OperationFailedReason.TIMEOUT, "no answer from unit 1"),
                new OrderOutcome.Unhandled(sysctl), OrderOutcome.done(nan, PathpointValue.of(Double.NaN))));

        String line = SectionCodec.writeResult(result);
        assertTrue(!line.contains("\n"), "one line per result");
        JsonNode node = new ObjectMapper().readTree(line);
        assertEquals(false, node.get("succeeded").booleanValue());
        JsonNode orders = node.get("orders");
        assertEquals("done", orders.get(0).get("status").textValue());
        assertEquals(12, orders.get(0).get("value").intValue());
        assertEquals("W1r0", orders.get(0).get("path").textValue());
        assertEquals(65535, orders.get(1).get("value").intValue(), "a done write reports the value written");
        assertEquals("stale", orders.get(2).get("status").textValue());
        assertEquals("failed", orders.get(3).get("status").textValue());
        assertEquals("TIMEOUT", orders.get(3).get("reason").textValue());
        assertEquals("no answer from unit 1", orders.get(3).get("message").textValue());
        assertEquals("unhandled", orders.get(4).get("status").textValue());
        assertEquals("echo", orders.get(4).get("op_type").textValue());
        assertEquals("NaN", orders.get(5).get("value").textValue(), "JSON has no NaN number");
    }

    @Test
    void doneOrderWithoutValueHasNoValueField() throws Exception {
        WriteOrder write = new WriteOrder("W1r1", PathpointValue.of(1), AdviseLevel.ADVISE);
        JsonNode node = new ObjectMapper().readTree(SectionCodec.writeResult(new SectionResult(List.of(OrderOutcome.done(write)))));
        assertTrue(node.get("succeeded").booleanValue());
        assertTrue(node.get("orders").get(0).get("value") == null);
    }
}
