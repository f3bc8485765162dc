package dev.pathpoint.mqtt.internal.link;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * A cancel request on the sections topic: {@code {"cancel": "<id>"}}, sent with the user property
 * {@code id} (and correlation data and response topic) of the document it cancels. Nothing else is
 * taken for one: a wire-format document never has a {@code cancel} field.
 */
final class CancelRequest {
    private static final JsonFactory JSON = new JsonFactory();
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
        // tokens, not a tree: a sections document is told apart at its first field name, unread beyond it
        try (JsonParser parser = JSON.createParser(payload)) {
            return parser.nextToken() == JsonToken.START_OBJECT
                    && parser.nextToken() == JsonToken.FIELD_NAME && "cancel".equals(parser.currentName())
                    && parser.nextToken() == JsonToken.VALUE_STRING
                    && parser.nextToken() == JsonToken.END_OBJECT
                    && parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
