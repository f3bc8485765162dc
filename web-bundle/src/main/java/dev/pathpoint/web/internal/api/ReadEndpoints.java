package dev.pathpoint.web.internal.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.executor.ExecutorStatistics;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.web.internal.stats.StatisticsHistory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The GET endpoints that read: values, drivers, connections, links, queue, stats. */
final class ReadEndpoints {
    /** Longer filters are refused: pathpoint names are short, and a regex is matched against every one. */
    static final int MAX_PATTERN_LENGTH = 512;
    /** The connection kind whose reports are links to a broker ({@code mqtt}, {@code mqtt-central}...), not device connections. */
    static final String LINK_KIND = "mqtt";

    private final Api api;

    ReadEndpoints(Api api) {
        this.api = api;
    }

    void values(Exchange exchange) {
        Predicate<String> filter = filter(exchange);
        if (filter == null) {
            return;
        }
        int max = api.state().settings().maxValues();
        Integer limit = Parameters.integer(exchange, "limit", 1, max, max);
        if (limit == null) {
            return;
        }
        TreeMap<String, Reading> selected = new TreeMap<>();
        for (Map.Entry<String, Reading> entry : api.sources().store().readings().entrySet()) {
            if (filter.test(entry.getKey())) {
                selected.put(entry.getKey(), entry.getValue());
            }
        }
        ArrayNode values = Json.array();
        for (Reading reading : selected.values()) {
            if (values.size() == limit) {
                break;
            }
            values.add(Json.reading(reading));
        }
        ObjectNode body = Json.object();
        body.set("values", values);
        body.put("matched", selected.size());
        body.put("truncated", selected.size() > values.size());
        exchange.answer(Answer.json(200, body));
    }

    /** The {@code pattern} parameter as a whole-name regex filter; null after answering 400. */
    static Predicate<String> filter(Exchange exchange) {
        String pattern = exchange.request.getParameter("pattern");
        if (pattern == null || pattern.isEmpty()) {
            return name -> true;
        }
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            exchange.answer(Errors.of(400, "pattern: longer than " + MAX_PATTERN_LENGTH + " characters"));
            return null;
        }
        try {
            Pattern compiled = Pattern.compile(pattern);
            return name -> compiled.matcher(name).matches();
        } catch (PatternSyntaxException e) {
            exchange.answer(Errors.of(400, "pattern: '" + pattern + "' is not a regular expression: "
                    + e.getDescription() + (e.getIndex() >= 0 ? " at position " + e.getIndex() : "")));
            return null;
        }
    }

    void drivers(Exchange exchange) {
        ExecutorStatistics statistics = api.sources().executor().statistics();
        List<Sources.DriverService> drivers = new ArrayList<>(api.sources().drivers());
        // best first, as the engine picks them: highest ranking, then lowest service id
        drivers.sort(Comparator.comparingInt(Sources.DriverService::ranking).reversed()
                .thenComparingLong(Sources.DriverService::serviceId));
        ArrayNode list = Json.array();
        for (Sources.DriverService driver : drivers) {
            ObjectNode node = list.addObject();
            node.put("name", driver.name());
            node.put("serviceId", driver.serviceId());
            node.put("bundle", driver.bundle());
            node.put("ranking", driver.ranking());
            node.put("pattern", driver.pattern());
            if (driver.maxBatchSize() != null) {
                node.put("maxBatchSize", driver.maxBatchSize());
            }
            // the executor names a second driver of the same name name#service.id
            Integer inFlight = statistics.inFlightByDriver().get(driver.name() + "#" + driver.serviceId());
            if (inFlight == null) {
                inFlight = statistics.inFlightByDriver().get(driver.name());
            }
            node.put("inFlight", inFlight == null ? 0 : inFlight);
        }
        ObjectNode body = Json.object();
        body.set("drivers", list);
        exchange.answer(Answer.json(200, body));
    }

    void connections(Exchange exchange) {
        exchange.answer(Answer.json(200, reports("connections", kind -> !isLink(kind))));
    }

    void links(Exchange exchange) {
        exchange.answer(Answer.json(200, reports("links", ReadEndpoints::isLink)));
    }

    static boolean isLink(String kind) {
        return kind.equals(LINK_KIND) || kind.startsWith(LINK_KIND + "-");
    }

    private ObjectNode reports(String field, Predicate<String> kinds) {
        ArrayNode list = Json.array();
        ArrayNode problems = Json.array();
        for (Sources.Monitor monitor : api.sources().monitors()) {
            List<ConnectionReport> reports;
            try {
                reports = monitor.connections();
            } catch (RuntimeException e) {
                problems.addObject().put("monitor", monitor.source()).put("error", String.valueOf(e.getMessage()));
                continue;
            }
            for (ConnectionReport report : reports) {
                if (kinds.test(report.kind())) {
                    list.add(report(report, monitor.source()));
                }
            }
        }
        ObjectNode body = Json.object();
        body.set(field, list);
        if (!problems.isEmpty()) {
            body.set("problems", problems);
        }
        return body;
    }

    static ObjectNode report(ConnectionReport report, String source) {
        ObjectNode node = Json.object();
        node.put("name", report.name());
        node.put("kind", report.kind());
        node.put("endpoint", report.endpoint());
        node.put("configuration", report.configuration());
        node.put("state", report.state().name());
        node.put("since", report.since().toString());
        report.nextAttempt().ifPresent(next -> node.put("nextAttempt", next.toString()));
        report.problem().ifPresent(problem -> node.put("problem", problem));
        ObjectNode counters = node.putObject("counters");
        new TreeMap<>(report.counters()).forEach(counters::put);
        node.put("monitor", source);
        return node;
    }

    void queue(Exchange exchange) {
        ExecutorStatistics statistics = api.sources().executor().statistics();
        ObjectNode body = Json.object();
        body.put("queuedSections", statistics.queuedSections());
        body.put("runningSections", statistics.runningSections());
        body.put("inFlight", statistics.inFlightByDriver().values().stream().mapToInt(Integer::intValue).sum());
        inFlight(body, statistics);
        body.putObject("http").put("unfinishedRuns", api.runs().runningCount()).put("retainedResults", api.runs().retainedCount())
                .put("streamClients", api.stream().clients()).put("streamPendingChanges", api.stream().pendingChanges())
                .put("streamDroppedChanges", api.stream().droppedChanges());
        exchange.answer(Answer.json(200, body));
    }

    void stats(Exchange exchange) {
        ExecutorStatistics statistics = api.sources().executor().statistics();
        ObjectNode body = Json.object();
        body.put("queuedSections", statistics.queuedSections());
        body.put("runningSections", statistics.runningSections());
        body.put("ordersCompleted", statistics.ordersCompleted());
        body.put("retries", statistics.retries());
        body.put("meanLatencyMillis", Json.millis(statistics.meanLatency()));
        body.put("maxLatencyMillis", Json.millis(statistics.maxLatency()));
        ObjectNode failures = body.putObject("failuresByReason");
        for (OperationFailedReason reason : OperationFailedReason.values()) {
            Long count = statistics.failuresByReason().get(reason);
            if (count != null) {
                failures.put(reason.name(), count);
            }
        }
        inFlight(body, statistics);
        body.put("sampleSeconds", api.state().settings().statsSample().toSeconds());
        ArrayNode history = body.putArray("history");
        for (StatisticsHistory.Sample sample : api.history().samples()) {
            history.addObject()
                    .put("time", sample.time().toString())
                    .put("queuedSections", sample.queuedSections())
                    .put("runningSections", sample.runningSections())
                    .put("ordersCompleted", sample.ordersCompleted())
                    .put("ordersPerSecond", sample.ordersPerSecond())
                    .put("meanLatencyMillis", sample.meanLatencyMillis())
                    .put("maxLatencyMillis", sample.maxLatencyMillis());
        }
        exchange.answer(Answer.json(200, body));
    }

    private static void inFlight(ObjectNode body, ExecutorStatistics statistics) {
        ObjectNode byDriver = body.putObject("inFlightByDriver");
        new TreeMap<>(statistics.inFlightByDriver()).forEach(byDriver::put);
    }
}
