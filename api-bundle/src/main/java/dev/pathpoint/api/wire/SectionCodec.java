package dev.pathpoint.api.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.MessageOrder;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.PathpointOrder;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.SysctlOrder;
import dev.pathpoint.api.order.WaitOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.Disposition;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JSON wire format of the seed library: sections in, section results out.
 *
 * <p>A document is one section or an array of sections. A section is
 * {@code {"orders": [...], "disposition": 0|1}} (disposition optional, 0 = JOINABLE). An order has a
 * {@code "type"}: {@code read} ({@code path}, {@code advise}), {@code write} ({@code path},
 * {@code value}, {@code advise}, {@code stale_after} in epoch seconds), {@code wait} ({@code time} in
 * seconds), {@code sysctl} ({@code op_type}, {@code op_args}) or {@code message} ({@code uuid}).
 * {@code advise} is optional (0 = ADVISE, 1 = FORCE), as are {@code stale_after} and {@code op_args}.
 * No other fields are accepted.
 *
 * <p>A document with any error is rejected whole with a {@link WireFormatException} naming the field
 * and position, so nothing of it is queued. Documents over {@value #MAX_DOCUMENT_BYTES} bytes or
 * {@value #MAX_ORDERS} orders are rejected.
 */
public final class SectionCodec {
    /** The largest document accepted, in bytes. */
    public static final int MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;
    /** The most orders accepted in one document. */
    public static final int MAX_ORDERS = 100_000;
    /** The longest wait, or latest {@code stale_after}, in seconds, that the format can carry. */
    static final double MAX_SECONDS = 1e11;
    /** How deep objects and arrays may nest. */
    static final int MAX_NESTING_DEPTH = 32;
    /** The longest number, in characters. */
    static final int MAX_NUMBER_LENGTH = 64;
    /** The longest string, in characters. */
    static final int MAX_STRING_LENGTH = 1024 * 1024;

    private static final Set<String> SECTION_FIELDS = Set.of("orders", "disposition");
    private static final Set<String> READ_FIELDS = Set.of("type", "path", "advise");
    private static final Set<String> WRITE_FIELDS = Set.of("type", "path", "value", "advise", "stale_after");
    private static final Set<String> WAIT_FIELDS = Set.of("type", "time");
    private static final Set<String> SYSCTL_FIELDS = Set.of("type", "op_type", "op_args");
    private static final Set<String> MESSAGE_FIELDS = Set.of("type", "uuid");

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(MAX_DOCUMENT_BYTES)
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .build())
            // read NaN and Infinity as numbers so that they get their own clear error
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            // keep numbers as written (1.50 stays 1.50) so that messages quote them faithfully
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private SectionCodec() {
    }

    /** Reads a document of one section or an array of sections. */
    public static List<Section> readSections(String json) throws WireFormatException {
        return readSections(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a document from a stream, refusing to read more than {@value #MAX_DOCUMENT_BYTES} bytes. */
    public static List<Section> readSections(InputStream in) throws WireFormatException, IOException {
        byte[] document = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
        return readSections(document);
    }

    /** Reads a UTF-8 document of one section or an array of sections. */
    public static List<Section> readSections(byte[] json) throws WireFormatException {
        if (json.length > MAX_DOCUMENT_BYTES) {
            throw new WireFormatException("$", "document is larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        // syntax errors are described by JsonText in the words of JSON, with line and column
        JsonNode root = JsonText.read(MAPPER, FACTORY, JsonText.decode(json));
        if (root == null) {
            throw new WireFormatException("$", "empty document, expected a section or an array of sections");
        }
        OrderCount count = new OrderCount();
        List<Section> sections = new ArrayList<>();
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                sections.add(readSection(root.get(i), "$[" + i + "]", count));
            }
        } else if (root.isObject()) {
            sections.add(readSection(root, "$", count));
        } else {
            throw new WireFormatException("$", "expected a section (object) or an array of sections, got " + kind(root));
        }
        return sections;
    }

    /** Counts orders across a document, to refuse absurdly large ones. */
    private static final class OrderCount {
        int total;
    }

    private static Section readSection(JsonNode node, String at, OrderCount count) throws WireFormatException {
        requireObject(node, at, "a section");
        checkFields(node, at, SECTION_FIELDS, "a section");
        JsonNode orders = node.get("orders");
        if (orders == null || orders.isNull()) {
            throw new WireFormatException(at + ".orders", "missing, a section needs an array of orders");
        }
        if (!orders.isArray()) {
            throw new WireFormatException(at + ".orders", "expected an array of orders, got " + kind(orders));
        }
        count.total += orders.size();
        if (count.total > MAX_ORDERS) {
            throw new WireFormatException(at + ".orders", "document holds more than " + MAX_ORDERS + " orders");
        }
        Disposition disposition = Disposition.values()[code(node.get("disposition"), at + ".disposition",
                "0 (JOINABLE) or 1 (CANNOT_JOIN)")];
        List<Order> parsed = new ArrayList<>(orders.size());
        for (int i = 0; i < orders.size(); i++) {
            parsed.add(readOrder(orders.get(i), at + ".orders[" + i + "]"));
        }
        return new Section(parsed, disposition);
    }

    private static Order readOrder(JsonNode node, String at) throws WireFormatException {
        requireObject(node, at, "an order");
        String type = text(node.get("type"), at + ".type", "read, write, wait, sysctl or message");
        switch (type) {
            case "read":
                checkFields(node, at, READ_FIELDS, "a read order");
                return new ReadOrder(text(node.get("path"), at + ".path", "a pathpoint name"),
                        advise(node, at));
            case "write":
                checkFields(node, at, WRITE_FIELDS, "a write order");
                return new WriteOrder(text(node.get("path"), at + ".path", "a pathpoint name"),
                        value(node.get("value"), at + ".value"), advise(node, at),
                        staleAfter(node.get("stale_after"), at + ".stale_after"));
            case "wait":
                checkFields(node, at, WAIT_FIELDS, "a wait order");
                return new WaitOrder(seconds(node.get("time"), at + ".time"));
            case "sysctl":
                checkFields(node, at, SYSCTL_FIELDS, "a sysctl order");
                return new SysctlOrder(text(node.get("op_type"), at + ".op_type", "an op type"),
                        optionalText(node.get("op_args"), at + ".op_args"));
            case "message":
                checkFields(node, at, MESSAGE_FIELDS, "a message order");
                return new MessageOrder(text(node.get("uuid"), at + ".uuid", "a message uuid"));
            default:
                throw new WireFormatException(at + ".type",
                        "unknown order type '" + type + "', expected read, write, wait, sysctl or message");
        }
    }

    private static void requireObject(JsonNode node, String at, String what) throws WireFormatException {
        if (!node.isObject()) {
            throw new WireFormatException(at, "expected " + what + " (object), got " + kind(node));
        }
    }

    private static void checkFields(JsonNode node, String at, Set<String> allowed, String what)
            throws WireFormatException {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new WireFormatException(at + "." + name,
                        "unknown field for " + what + " (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String text(JsonNode node, String at, String expected) throws WireFormatException {
        if (node == null || node.isNull()) {
            throw new WireFormatException(at, "missing, expected " + expected);
        }
        if (!node.isTextual()) {
            throw new WireFormatException(at, "expected a string (" + expected + "), got " + kind(node));
        }
        if (node.textValue().isBlank()) {
            throw new WireFormatException(at, "empty, expected " + expected);
        }
        return node.textValue();
    }

    private static String optionalText(JsonNode node, String at) throws WireFormatException {
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            throw new WireFormatException(at, "expected a string, got " + kind(node));
        }
        return node.textValue();
    }

    private static AdviseLevel advise(JsonNode order, String at) throws WireFormatException {
        return AdviseLevel.values()[code(order.get("advise"), at + ".advise", "0 (ADVISE) or 1 (FORCE)")];
    }

    /** A 0/1 code; absent or null means 0. A number equal to 0 or 1 counts (1.0 as many JSON writers put it). */
    private static int code(JsonNode node, String at, String expected) throws WireFormatException {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (node.isIntegralNumber() || node.isBigDecimal()) {
            BigDecimal number = node.decimalValue();
            if (number.signum() == 0) {
                return 0;
            }
            if (number.compareTo(BigDecimal.ONE) == 0) {
                return 1;
            }
        }
        throw new WireFormatException(at, "expected " + expected + ", got " + describe(node));
    }

    private static PathpointValue value(JsonNode node, String at) throws WireFormatException {
        if (node == null || node.isNull()) {
            throw new WireFormatException(at, "missing, a write needs a number or a string");
        }
        if (node.isTextual()) {
            return PathpointValue.of(node.textValue());
        }
        if (node.isIntegralNumber()) {
            // exact at any size (an unsigned 64-bit value beyond 2^63 - 1 too); the pathpoint's type clips it
            return PathpointValue.of(node.bigIntegerValue());
        }
        if (node.isNumber()) {
            return PathpointValue.of(finite(node, at));
        }
        throw new WireFormatException(at, "expected a number or a string, got " + kind(node));
    }

    private static Instant staleAfter(JsonNode node, String at) throws WireFormatException {
        if (node == null || node.isNull()) {
            return null;
        }
        BigDecimal seconds = nonNegativeSeconds(node, at, "epoch seconds");
        return Instant.ofEpochSecond(seconds.longValue(), nanosOf(seconds));
    }

    private static Duration seconds(JsonNode node, String at) throws WireFormatException {
        if (node == null || node.isNull()) {
            throw new WireFormatException(at, "missing, a wait needs a time in seconds");
        }
        BigDecimal seconds = nonNegativeSeconds(node, at, "seconds");
        return Duration.ofSeconds(seconds.longValue(), nanosOf(seconds));
    }

    private static BigDecimal nonNegativeSeconds(JsonNode node, String at, String unit) throws WireFormatException {
        if (!node.isNumber()) {
            throw new WireFormatException(at, "expected a number of " + unit + ", got " + kind(node));
        }
        double value = node.isIntegralNumber() ? node.doubleValue() : finite(node, at);
        if (value < 0 || value > MAX_SECONDS) {
            throw new WireFormatException(at, "expected " + unit + " from 0 to " + (long) MAX_SECONDS + ", got " + node.asText());
        }
        return node.decimalValue();
    }

    private static long nanosOf(BigDecimal seconds) {
        return seconds.subtract(new BigDecimal(seconds.toBigInteger())).movePointRight(9).longValue();
    }

    private static double finite(JsonNode node, String at) throws WireFormatException {
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            throw new WireFormatException(at, node.asText() + " is not a finite number");
        }
        return value;
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String describe(JsonNode node) {
        return node.isValueNode() ? kind(node) + " " + node.toString() : kind(node);
    }

    /** Writes sections in the wire format: one section as an object, several as an array. */
    public static String writeSections(List<Section> sections) {
        ArrayNode array = MAPPER.createArrayNode();
        for (Section section : sections) {
            ObjectNode node = array.addObject();
            ArrayNode orders = node.putArray("orders");
            section.orders().forEach(order -> writeOrder(order, orders.addObject()));
            node.put("disposition", section.disposition().code());
        }
        return (sections.size() == 1 ? array.get(0) : array).toString();
    }

    /**
     * Writes a section result on one line: {@code {"succeeded": bool, "orders": [...]}}, each order
     * with its wire fields and {@code status} ({@code done}, {@code failed}, {@code stale},
     * {@code cancelled}, {@code unhandled}), the {@code value} of a done order that has one, and the
     * {@code reason} and {@code message} of a failed one.
     */
    public static String writeResult(SectionResult result) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("succeeded", result.succeeded());
        ArrayNode orders = node.putArray("orders");
        for (OrderOutcome outcome : result.outcomes()) {
            ObjectNode order = orders.addObject();
            writeOrder(outcome.order(), order);
            order.put("status", outcome.status().name().toLowerCase(Locale.ROOT));
            if (outcome instanceof OrderOutcome.Done done) {
                done.value().ifPresentOrElse(value -> putValue(order, "value", value), () -> order.remove("value"));
            } else if (outcome instanceof OrderOutcome.Failed failed) {
                order.put("reason", failed.reason().name());
                order.put("message", failed.message());
            }
        }
        return node.toString();
    }

    /**
     * Reads a result line, as {@link #writeResult} writes it, back into the result of the section it
     * belongs to: outcome {@code i} is that of {@code orders.get(i)}, the section's own order objects.
     * Each entry must name the same order type (and pathpoint) as the order at its place, so that a
     * result is never matched to the wrong section unnoticed. A value is a whole number, a real
     * number or text as written; a real pathpoint's {@code "NaN"} or {@code "Infinity"} is a real
     * number again.
     *
     * @throws WireFormatException naming the field and position of what does not fit
     */
    public static SectionResult readResult(String line, List<? extends Order> orders) throws WireFormatException {
        JsonNode root = JsonText.read(MAPPER, FACTORY, line);
        if (root == null || !root.isObject()) {
            throw new WireFormatException("$", "expected a section result (object), got "
                    + (root == null ? "nothing" : kind(root)));
        }
        JsonNode entries = root.get("orders");
        if (entries == null || !entries.isArray()) {
            throw new WireFormatException("$.orders", "expected an array of order results, got "
                    + (entries == null ? "nothing" : kind(entries)));
        }
        if (entries.size() != orders.size()) {
            throw new WireFormatException("$.orders", "holds " + entries.size() + " order results, the section has "
                    + orders.size() + " orders");
        }
        List<OrderOutcome> outcomes = new ArrayList<>(orders.size());
        for (int i = 0; i < entries.size(); i++) {
            outcomes.add(readOutcome(entries.get(i), "$.orders[" + i + "]", orders.get(i)));
        }
        SectionResult result = new SectionResult(outcomes);
        JsonNode succeeded = root.get("succeeded");
        if (succeeded != null && (!succeeded.isBoolean() || succeeded.booleanValue() != result.succeeded())) {
            throw new WireFormatException("$.succeeded", "says " + succeeded + " but the orders say "
                    + result.succeeded());
        }
        return result;
    }

    private static OrderOutcome readOutcome(JsonNode node, String at, Order order) throws WireFormatException {
        requireObject(node, at, "an order result");
        String expectedType = typeName(order);
        String type = text(node.get("type"), at + ".type", expectedType);
        if (!type.equals(expectedType)) {
            throw new WireFormatException(at + ".type", "is '" + type + "' but order " + at.substring(at.lastIndexOf('['))
                    + " of the section is a " + expectedType + " order");
        }
        if (order instanceof PathpointOrder pathpointOrder) {
            String path = text(node.get("path"), at + ".path", "a pathpoint name");
            if (!path.equals(pathpointOrder.pathpoint())) {
                throw new WireFormatException(at + ".path", "is '" + path + "' but the section's order is on '"
                        + pathpointOrder.pathpoint() + "'");
            }
        }
        String status = text(node.get("status"), at + ".status", "done, failed, stale, cancelled or unhandled");
        switch (status) {
            case "done": {
                JsonNode value = node.get("value");
                boolean carriesValue = order instanceof PathpointOrder || order instanceof SysctlOrder;
                if (value == null || value.isNull() || !carriesValue) {
                    return OrderOutcome.done(order);
                }
                return OrderOutcome.done(order, resultValue(value, at + ".value", order));
            }
            case "failed": {
                String reason = text(node.get("reason"), at + ".reason", "a failure reason");
                OperationFailedReason parsed;
                try {
                    parsed = OperationFailedReason.valueOf(reason);
                } catch (IllegalArgumentException e) {
                    throw new WireFormatException(at + ".reason", "unknown failure reason '" + reason + "'");
                }
                return new OrderOutcome.Failed(order, parsed, optionalText(node.get("message"), at + ".message"));
            }
            case "stale":
                return new OrderOutcome.Stale(order);
            case "cancelled":
                return new OrderOutcome.Cancelled(order);
            case "unhandled":
                return new OrderOutcome.Unhandled(order);
            default:
                throw new WireFormatException(at + ".status", "unknown status '" + status
                        + "', expected done, failed, stale, cancelled or unhandled");
        }
    }

    private static PathpointValue resultValue(JsonNode node, String at, Order order) throws WireFormatException {
        if (node.isTextual() && order instanceof PathpointOrder pathpointOrder && isReal(pathpointOrder.pathpoint())) {
            switch (node.textValue()) {
                case "NaN":
                    return PathpointValue.of(Double.NaN);
                case "Infinity":
                    return PathpointValue.of(Double.POSITIVE_INFINITY);
                case "-Infinity":
                    return PathpointValue.of(Double.NEGATIVE_INFINITY);
                default:
                    break;
            }
        }
        return value(node, at);
    }

    private static boolean isReal(String pathpoint) {
        try {
            PathpointType type = PathpointType.ofPathpoint(pathpoint);
            return type == PathpointType.FLOAT_32 || type == PathpointType.FLOAT_64;
        } catch (dev.pathpoint.api.failure.OperationFailedException e) {
            return false;
        }
    }

    private static String typeName(Order order) {
        if (order instanceof ReadOrder) {
            return "read";
        } else if (order instanceof WriteOrder) {
            return "write";
        } else if (order instanceof WaitOrder) {
            return "wait";
        } else if (order instanceof SysctlOrder) {
            return "sysctl";
        }
        return "message";
    }

    private static void writeOrder(Order order, ObjectNode node) {
        if (order instanceof PathpointOrder pathpointOrder) {
            node.put("type", order instanceof ReadOrder ? "read" : "write");
            node.put("path", pathpointOrder.pathpoint());
            if (order instanceof WriteOrder write) {
                putValue(node, "value", write.value());
                write.staleAfter().ifPresent(instant -> node.put("stale_after", secondsOf(instant)));
            }
            node.put("advise", pathpointOrder.advise().code());
        } else if (order instanceof WaitOrder wait) {
            node.put("type", "wait");
            node.put("time", shortest(new BigDecimal(wait.period().getSeconds()).add(BigDecimal.valueOf(wait.period().getNano(), 9))));
        } else if (order instanceof SysctlOrder sysctl) {
            node.put("type", "sysctl");
            node.put("op_type", sysctl.opType());
            node.put("op_args", sysctl.opArgs());
        } else if (order instanceof MessageOrder message) {
            node.put("type", "message");
            node.put("uuid", message.uuid());
        }
    }

    private static BigDecimal secondsOf(Instant instant) {
        return shortest(new BigDecimal(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano(), 9)));
    }

    /** Seconds as written by hand: 1796099307, 1.5, 0.25; never 1796099307.000000000 or 1.5E+9. */
    private static BigDecimal shortest(BigDecimal seconds) {
        BigDecimal stripped = seconds.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static void putValue(ObjectNode node, String field, PathpointValue value) {
        if (value instanceof PathpointValue.Whole whole) {
            node.put(field, whole.value());
        } else if (value instanceof PathpointValue.BigWhole big) {
            node.put(field, big.value()); // an exact JSON integer, as the long range is
        } else if (value instanceof PathpointValue.Real real && Double.isFinite(real.value())) {
            node.put(field, real.value());
        } else {
            // text, and NaN or infinite floats read from a device, which JSON numbers cannot hold
            node.put(field, value.asText());
        }
    }
}
