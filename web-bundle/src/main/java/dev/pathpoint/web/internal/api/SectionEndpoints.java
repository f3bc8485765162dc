package dev.pathpoint.web.internal.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pathpoint.api.order.SysctlOrder;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.wire.SectionCodec;
import dev.pathpoint.api.wire.WireFormatException;
import dev.pathpoint.web.internal.run.SectionRun;
import dev.pathpoint.web.internal.run.SectionRuns;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Sections in, result lines out ({@code POST sections}, {@code POST sysctl/{op}}), and the polling of
 * runs answered 202 ({@code GET} and {@code DELETE sections/{id}}).
 */
final class SectionEndpoints {
    static final String NDJSON = "application/x-ndjson";
    /** The longest sysctl argument text. */
    static final int MAX_SYSCTL_ARGS = 64 * 1024;
    static final Pattern OP_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Api api;

    SectionEndpoints(Api api) {
        this.api = api;
    }

    void post(Exchange exchange) throws IOException {
        if (!isJson(exchange.request.getContentType())) {
            exchange.answer(Errors.of(415, "send the sections as application/json (the wire format), got "
                    + exchange.request.getContentType()));
            return;
        }
        Duration wait = requestedWait(exchange);
        if (wait == null) {
            return;
        }
        BodyReader.read(exchange, api.state().settings().maxBodyBytes(), body -> {
            List<Section> sections;
            try {
                sections = SectionCodec.readSections(body);
            } catch (WireFormatException e) {
                ObjectNode error = Errors.node("the document was rejected, nothing of it was queued: " + e.getMessage());
                error.put("location", e.location());
                error.put("problem", e.problem());
                exchange.answer(Answer.json(400, error));
                return;
            }
            run(exchange, sections, wait);
        });
    }

    void sysctl(Exchange exchange) throws IOException {
        String op = Routes.pathParameter(exchange, "/sysctl/([^/]+)");
        if (!OP_TYPE.matcher(op).matches()) {
            exchange.answer(Errors.of(400, "op: '" + op + "' is not an op type (letters, digits and . _ -, at most 64)"));
            return;
        }
        String type = exchange.request.getContentType();
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
            exchange.answer(Errors.of(415, "send the op's arguments as text/plain (or no body), got " + type));
            return;
        }
        Duration wait = requestedWait(exchange);
        if (wait == null) {
            return;
        }
        BodyReader.read(exchange, Math.min(MAX_SYSCTL_ARGS, api.state().settings().maxBodyBytes()), body -> {
            String args;
            try {
                args = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(body)).toString().strip();
            } catch (CharacterCodingException e) {
                exchange.answer(Errors.of(400, "the arguments are not UTF-8 text"));
                return;
            }
            run(exchange, List.of(Section.of(new SysctlOrder(op, args))), wait);
        });
    }

    void get(Exchange exchange) {
        String id = Routes.pathParameter(exchange, "/sections/([^/]+)");
        Duration wait = requestedWait(exchange, Duration.ZERO);
        if (wait == null) {
            return;
        }
        SectionRun run = api.runs().find(id, exchange.identity.name()).orElse(null);
        if (run == null) {
            exchange.answer(unknownRun(id));
            return;
        }
        answerWhenDone(exchange, run, wait);
    }

    void delete(Exchange exchange) {
        String id = Routes.pathParameter(exchange, "/sections/([^/]+)");
        SectionRun run = api.runs().find(id, exchange.identity.name()).orElse(null);
        if (run == null) {
            exchange.answer(unknownRun(id));
            return;
        }
        int cancelled = run.cancel();
        ObjectNode body = state(exchange, run);
        body.put("cancelled", cancelled);
        exchange.answer(Answer.json(200, body));
    }

    private Answer unknownRun(String id) {
        return Errors.of(404, "no section run " + id + ": unknown, submitted with other credentials, or finished more than "
                + api.state().settings().resultRetention().toSeconds() + " s ago");
    }

    private void run(Exchange exchange, List<Section> sections, Duration wait) {
        SectionRun run;
        try {
            run = api.runs().start(exchange.identity.name(), sections);
        } catch (SectionRuns.TooManyRuns e) {
            exchange.answer(Errors.of(503, e.getMessage()).header("Retry-After", "1"));
            return;
        }
        api.sources().executor().execute(sections);
        answerWhenDone(exchange, run, wait);
    }

    /** The results if they come within {@code wait}, else 202 with where to poll (the run is then retained). */
    private void answerWhenDone(Exchange exchange, SectionRun run, Duration wait) {
        if (run.done().isDone() || wait.isZero()) {
            answerNow(exchange, run);
            return;
        }
        exchange.async();
        var timeout = api.timer().schedule(() -> {
            if (exchange.claim()) {
                api.runs().retain(run);
                exchange.send(running(exchange, run));
            }
        }, wait.toNanos(), TimeUnit.NANOSECONDS);
        run.done().whenCompleteAsync((lines, failure) -> {
            timeout.cancel(false);
            if (exchange.claim()) {
                exchange.send(results(exchange, lines));
            }
        }, api.worker());
    }

    private void answerNow(Exchange exchange, SectionRun run) {
        if (run.done().isDone()) {
            exchange.answer(results(exchange, run.done().join()));
        } else {
            api.runs().retain(run);
            exchange.answer(running(exchange, run));
        }
    }

    private Answer running(Exchange exchange, SectionRun run) {
        String location = location(exchange, run);
        ObjectNode body = state(exchange, run);
        return Answer.json(202, body).header("Location", location).header("Retry-After", "1");
    }

    private ObjectNode state(Exchange exchange, SectionRun run) {
        ObjectNode body = Json.object();
        body.put("id", run.id());
        body.put("state", run.done().isDone() ? "finished" : "running");
        body.put("location", location(exchange, run));
        body.put("sections", run.sections().size());
        body.put("finishedSections", run.finishedSections());
        return body;
    }

    private static String location(Exchange exchange, SectionRun run) {
        return exchange.base + "/sections/" + run.id();
    }

    /** The result lines as NDJSON, or as a JSON array when the client asks for application/json only. */
    private static Answer results(Exchange exchange, byte[] lines) {
        String accept = exchange.request.getHeader("Accept");
        if (accept != null && accept.contains("application/json") && !accept.contains(NDJSON)) {
            String text = new String(lines, StandardCharsets.UTF_8).strip();
            String array = "[" + String.join(",", text.isEmpty() ? new String[0] : text.split("\n")) + "]";
            return Answer.of(200, "application/json", array.getBytes(StandardCharsets.UTF_8));
        }
        return Answer.of(200, NDJSON, lines);
    }

    private Duration requestedWait(Exchange exchange) {
        return requestedWait(exchange, api.state().settings().resultWait());
    }

    /** {@code ?wait=SECONDS}, else {@code Prefer: respond-async} (no wait) or {@code Prefer: wait=N}, else the default. */
    private Duration requestedWait(Exchange exchange, Duration absent) {
        int max = (int) api.state().settings().maxWait().toSeconds();
        String prefer = exchange.request.getHeader("Prefer");
        Duration fallback = absent;
        if (prefer != null) {
            String lower = prefer.toLowerCase(Locale.ROOT);
            java.util.regex.Matcher waitPreference = Pattern.compile("(?:^|[,;\\s])wait=(\\d{1,6})").matcher(lower);
            if (waitPreference.find()) {
                fallback = Duration.ofSeconds(Math.min(max, Integer.parseInt(waitPreference.group(1))));
            } else if (lower.contains("respond-async")) {
                fallback = Duration.ZERO;
            }
        }
        Integer seconds = Parameters.integer(exchange, "wait", 0, max, (int) fallback.toSeconds());
        return seconds == null ? null : Duration.ofSeconds(seconds);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }
}
