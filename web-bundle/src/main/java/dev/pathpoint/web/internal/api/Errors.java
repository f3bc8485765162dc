package dev.pathpoint.web.internal.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Error answers: {@code {"error": "what was wrong"}} and, where it helps, more fields. */
final class Errors {
    private Errors() {
    }

    static Answer of(int status, String message) {
        return Answer.json(status, node(message));
    }

    static ObjectNode node(String message) {
        return Json.object().put("error", message);
    }
}
