package dev.pathpoint.web.internal.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.value.PathpointValue;
import java.time.Duration;
import java.time.Instant;

/** JSON of the API's answers (Jackson trees, written compactly). */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** A reading: {@code pathpoint}, {@code timestamp} (ISO-8601), and {@code value} or {@code reason} and {@code message}. */
    public static ObjectNode reading(Reading reading) {
        ObjectNode node = object();
        node.put("pathpoint", reading.pathpoint());
        node.put("timestamp", reading.timestamp().toString());
        if (reading instanceof Reading.Success success) {
            value(node, "value", success.value());
        } else if (reading instanceof Reading.Failure failure) {
            node.put("reason", failure.reason().name());
            node.put("message", failure.message());
        }
        return node;
    }

    /** A value as the wire format writes it: a number, or text (also for NaN and infinities, which JSON cannot hold). */
    public static void value(ObjectNode node, String field, PathpointValue value) {
        if (value instanceof PathpointValue.Whole whole) {
            node.put(field, whole.value());
        } else if (value instanceof PathpointValue.Real real && Double.isFinite(real.value())) {
            node.put(field, real.value());
        } else {
            node.put(field, value.asText());
        }
    }

    public static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }

    public static String instant(Instant instant) {
        return instant.toString();
    }
}
