package dev.pathpoint.mqtt.internal.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A cancel request on the sections topic: {@code {"cancel": "<id>"}}, sent with the user property
 * {@code id} (and correlation data and response topic) of the document it cancels. Nothing else is
 * taken for one: a wire-format document never has a {@code cancel} field.
 */
final class CancelRequest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Far more than {@code {"cancel": id}} with the longest id needs; larger payloads are documents. */
    private static final int MAX_BYTES = 4096;

    private CancelRequest() {
    }

    static boolean isCancel(byte[] payload) {
        if (payload.length > MAX_BYTES || payload.length < 12) {
            return false;
        }
        int first = 0;
        while (first < payload.length && Character.isWhitespace(payload[first])) {
            first++;
        }
        if (first >= payload.length || payload[first] != '{') {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(payload);
            return node != null && node.isObject() && node.size() == 1 && node.path("cancel").isTextual();
        } catch (IOException e) {
            return false;
        }
    }
}
