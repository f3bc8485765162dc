package dev.pathpoint.web.internal.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A complete response: status, headers and body. */
record Answer(int status, String contentType, byte[] body, List<String[]> headers) {

    static Answer of(int status, String contentType, byte[] body) {
        return new Answer(status, contentType, body, new ArrayList<>());
    }

    static Answer json(int status, Object node) {
        return of(status, "application/json", node.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Answer empty(int status) {
        return of(status, null, new byte[0]);
    }

    Answer header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }
}
