package dev.pathpoint.mqtt.internal.link;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.pathpoint.mqtt.internal.journal.Ledger.Document;
import java.nio.charset.StandardCharsets;

/**
 * The result document of one message: {@code {"id": ..., "gateway": ..., "sections": [...]}} with one
 * wire-format result line per section, in the document's order; or, for a document that was not run,
 * {@code {"id": ..., "gateway": ..., "error": {"location": ..., "problem": ...}}}.
 */
final class ResultDocuments {
    private ResultDocuments() {
    }

    static byte[] of(Document document, String gatewayId) {
        StringBuilder out = new StringBuilder(64 + 200 * document.sectionCount());
        out.append("{\"id\":");
        quote(out, document.origin().id());
        out.append(",\"gateway\":");
        quote(out, gatewayId);
        if (document.refusal().isPresent()) {
            out.append(",\"error\":{\"location\":");
            quote(out, document.refusal().get().location());
            out.append(",\"problem\":");
            quote(out, document.refusal().get().problem());
            out.append("}}");
        } else {
            out.append(",\"sections\":[");
            for (int i = 0; i < document.sectionCount(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                // each result is a JSON object written by SectionCodec.writeResult
                out.append(document.result(i).orElseThrow(() -> new IllegalStateException("a section has no result")));
            }
            out.append("]}");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, out);
        out.append('"');
    }
}
