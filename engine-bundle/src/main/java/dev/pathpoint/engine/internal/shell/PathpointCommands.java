package dev.pathpoint.engine.internal.shell;

import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.executor.ExecutorStatistics;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.SysctlOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.Disposition;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.api.wire.SectionCodec;
import dev.pathpoint.api.wire.WireFormatException;
import dev.pathpoint.engine.internal.EngineView;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo shell commands in scope {@code pathpoint}. Plain public methods taking strings and returning
 * text, so no Gogo dependency is needed. Commands that run orders wait for the result (at most
 * {@link #RESULT_TIMEOUT}); the orders go through the engine like any other producer's.
 */
@Component(service = PathpointCommands.class, property = {
        "osgi.command.scope=pathpoint",
        "osgi.command.function=read",
        "osgi.command.function=write",
        "osgi.command.function=exec",
        "osgi.command.function=queue",
        "osgi.command.function=drivers",
        "osgi.command.function=values",
        "osgi.command.function=sysctl",
        "osgi.command.function=stats"})
public final class PathpointCommands {
    static final Duration RESULT_TIMEOUT = Duration.ofMinutes(2);
    private static final int QUEUE_LISTED = 20;

    private final EngineView engine;

    @Activate
    public PathpointCommands(@Reference EngineView engine) {
        this.engine = engine;
    }

    /** {@code read <pathpoint>}: reads under FORCE. */
    public String read(String pathpoint) {
        return read(pathpoint, "force");
    }

    /** {@code read <pathpoint> advise|force}. */
    public String read(String pathpoint, String advise) {
        return runOne(new ReadOrder(pathpoint, adviseLevel(advise)));
    }

    /** {@code write <pathpoint> <value>}: writes under FORCE. */
    public String write(String pathpoint, String value) {
        return write(pathpoint, value, "force");
    }

    /** {@code write <pathpoint> <value> advise|force}; the value is a whole number, a decimal or text. */
    public String write(String pathpoint, String value, String advise) {
        return runOne(new WriteOrder(pathpoint, parseValue(value), adviseLevel(advise)));
    }

    /** {@code exec <json or file>}: runs a wire-format document; one JSON result line per section. */
    public String exec(String document) {
        List<Section> sections;
        try {
            String text = document.trim();
            if (text.startsWith("{") || text.startsWith("[")) {
                sections = SectionCodec.readSections(text);
            } else {
                Path file = Path.of(text);
                if (!Files.isRegularFile(file)) {
                    return "error: '" + text + "' is neither a JSON document nor a readable file";
                }
                try (var in = Files.newInputStream(file)) {
                    sections = SectionCodec.readSections(in);
                }
            }
        } catch (WireFormatException e) {
            return "error: " + e.getMessage();
        } catch (IOException e) {
            return "error: cannot read '" + document.trim() + "': " + e.getMessage();
        }
        engine.executor().execute(sections);
        StringBuilder out = new StringBuilder();
        for (Section section : sections) {
            out.append(await(section).map(SectionCodec::writeResult, failure -> failure)).append('\n');
        }
        return out.toString();
    }

    /** {@code queue}: queue depth, running sections and the first queued sections. */
    public String queue() {
        ExecutorStatistics statistics = engine.executor().statistics();
        StringBuilder out = new StringBuilder();
        out.append("queued: ").append(statistics.queuedSections())
                .append(" (capacity ").append(engine.settings().queueCapacity()).append(")")
                .append(", running: ").append(statistics.runningSections()).append('\n');
        List<Section> queued = engine.queuedSections(QUEUE_LISTED);
        if (!queued.isEmpty()) {
            TextTable table = new TextTable("#", "disposition", "orders");
            for (int i = 0; i < queued.size(); i++) {
                Section section = queued.get(i);
                table.row(i, section.disposition(), section.orders().stream().map(Order::toString)
                        .collect(Collectors.joining("; ")));
            }
            out.append(table);
        }
        return out.toString();
    }

    /**
     * {@code drivers}: registered drivers, best first, with pattern, ranking, operations in flight and
     * operations waiting for a free batch slot.
     */
    public String drivers() {
        List<DriverEntry> drivers = engine.drivers();
        if (drivers.isEmpty()) {
            return "no drivers registered\n";
        }
        TextTable table = new TextTable("name", "service.id", "ranking", "in-flight", "waiting",
                PathpointDriver.PATHPOINT_PATTERN);
        for (DriverEntry driver : drivers) {
            String pattern = driver.patternProblem() == null ? driver.patternText() : "(" + driver.patternProblem() + ")";
            table.row(driver.name(), driver.serviceId(), driver.ranking(), driver.inFlight(), driver.waiting(),
                    pattern);
        }
        return table.toString();
    }

    /** {@code values}: the last reading of every pathpoint. */
    public String values() {
        return values(".*");
    }

    /** {@code values <regex>}: the last readings of the pathpoints matching the pattern. */
    public String values(String pattern) {
        Pattern selected;
        try {
            selected = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            return "error: '" + pattern + "' is not a valid regular expression: " + e.getDescription();
        }
        TextTable table = new TextTable("pathpoint", "timestamp", "reading");
        for (Map.Entry<String, Reading> entry : engine.store().readings().entrySet()) {
            if (selected.matcher(entry.getKey()).matches()) {
                Reading reading = entry.getValue();
                table.row(entry.getKey(), reading.timestamp(), describe(reading));
            }
        }
        return table.size() == 0 ? "no readings\n" : table.toString();
    }

    /** {@code sysctl <op> [args...]}: runs a sysctl order; the arguments are joined with spaces. */
    public String sysctl(String opType, String... args) {
        return runOne(new SysctlOrder(opType, String.join(" ", args)));
    }

    /** {@code stats}: the executor statistics. */
    public String stats() {
        ExecutorStatistics statistics = engine.executor().statistics();
        TextTable table = new TextTable("statistic", "value");
        table.row("queued sections", statistics.queuedSections());
        table.row("running sections", statistics.runningSections());
        table.row("orders completed", statistics.ordersCompleted());
        table.row("retries", statistics.retries());
        table.row("mean latency", millis(statistics.meanLatency()));
        table.row("max latency", millis(statistics.maxLatency()));
        statistics.inFlightByDriver().forEach((driver, count) -> table.row("in flight: " + driver, count));
        for (OperationFailedReason reason : OperationFailedReason.values()) {
            Long count = statistics.failuresByReason().get(reason);
            if (count != null) {
                table.row("failed: " + reason, count);
            }
        }
        return table.toString();
    }

    private String runOne(Order order) {
        Section section = new Section(List.of(order), Disposition.JOINABLE);
        engine.executor().execute(section);
        return await(section).map(result -> describe(result.outcome(0)), failure -> failure) + "\n";
    }

    /** The result of a section, or why there is none. */
    private record Awaited(SectionResult result, String failure) {
        String map(java.util.function.Function<SectionResult, String> onResult, java.util.function.Function<String, String> onFailure) {
            return result != null ? onResult.apply(result) : onFailure.apply(failure);
        }
    }

    private static Awaited await(Section section) {
        try {
            return new Awaited(section.future().get(RESULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), null);
        } catch (TimeoutException e) {
            return new Awaited(null, "error: no result within " + RESULT_TIMEOUT.toSeconds() + " s; the section is still running");
        } catch (CancellationException e) {
            return new Awaited(null, "cancelled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Awaited(null, "error: interrupted while waiting for the result");
        } catch (ExecutionException e) {
            return new Awaited(null, "error: " + e.getCause());
        }
    }

    static String describe(OrderOutcome outcome) {
        String order = outcome.order().toString();
        if (outcome instanceof OrderOutcome.Done done) {
            return order + ": done" + done.value().map(value -> " = " + value.asText()).orElse("");
        }
        if (outcome instanceof OrderOutcome.Failed failed) {
            return order + ": failed " + failed.reason() + ": " + failed.message();
        }
        return order + ": " + outcome.status().name().toLowerCase(Locale.ROOT);
    }

    private static String describe(Reading reading) {
        if (reading instanceof Reading.Success success) {
            return success.value().asText();
        }
        Reading.Failure failure = (Reading.Failure) reading;
        return "failed " + failure.reason() + ": " + failure.message();
    }

    private static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.3f ms", duration.toNanos() / 1e6);
    }

    /** ADVISE or FORCE, by name (any case) or wire code 0/1. */
    static AdviseLevel adviseLevel(String text) {
        String value = text.trim().toUpperCase(Locale.ROOT);
        switch (value) {
            case "ADVISE":
            case "0":
                return AdviseLevel.ADVISE;
            case "FORCE":
            case "1":
                return AdviseLevel.FORCE;
            default:
                throw new IllegalArgumentException("advise level '" + text + "' is not advise, force, 0 or 1");
        }
    }

    /** A whole number, else a decimal number, else text. */
    static PathpointValue parseValue(String text) {
        String trimmed = text.trim();
        try {
            return PathpointValue.of(Long.parseLong(trimmed));
        } catch (NumberFormatException notWhole) {
            try {
                double value = Double.parseDouble(trimmed);
                if (Double.isFinite(value)) {
                    return PathpointValue.of(value);
                }
            } catch (NumberFormatException notNumber) {
                // text
            }
            return PathpointValue.of(text);
        }
    }
}
