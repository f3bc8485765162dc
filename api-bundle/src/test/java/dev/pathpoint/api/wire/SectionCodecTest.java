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
            not JSON                  | {'orders': [                                                               | $          | not valid JSON
            trailing garbage          | {'orders': []} x                                                           | $          | not valid JSON
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
            advise fractional         | {'orders': [{'type': 'read', 'path': 'W1r0', 'advise': 0.5}]}              | $.orders[0].advise | expected 0 (ADVISE) or 1 (FORCE)
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
            duplicate field           | {'orders': [{'type': 'read', 'path': 'W1r0', 'path': 'W1r1'}]}             | $          | Duplicate field 'path'
            """)
    void badInputIsRejectedNamingTheFieldAndPosition(String name, String document, String location, String problem) {
        WireFormatException e = assertThrows(WireFormatException.class, () -> SectionCodec.readSections(json(document)));
        assertEquals(location, e.location(), e.getMessage());
        assertTrue(e.problem().contains(problem), "problem was: " + e.problem());
        assertTrue(e.getMessage().startsWith(location + ": "), e.getMessage());
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
            assertEquals("$", e.location());
            assertTrue(e.problem().contains("number"), e.problem());
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
