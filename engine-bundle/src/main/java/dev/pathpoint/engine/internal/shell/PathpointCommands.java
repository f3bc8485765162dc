package dev.pathpoint.engine.internal.shell;

import dev.pathpoint.api.connection.ConnectionMonitor;
import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.connection.ConnectionState;
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
import dev.pathpoint.engine.internal.EngineState;
import dev.pathpoint.engine.internal.EngineView;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
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
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo shell commands in scope {@code pathpoint}, in Felix and in Karaf. Plain public methods taking
 * strings and returning text; {@link Descriptor} gives {@code help pathpoint:read} its words. Each
 * command also answers {@code --help} itself (Karaf hands it over as an argument), and arguments that
 * fit none of its forms get its usage line, never a coercion error.
 *
 * <p>Commands that run orders wait for the result (at most {@link #RESULT_TIMEOUT}); Ctrl-C
 * interrupts the wait. The orders go through the engine like any other producer's.
 */
@Component(service = PathpointCommands.class, property = {
        "osgi.command.scope=pathpoint",
        "osgi.command.function=read",
        "osgi.command.function=write",
        "osgi.command.function=exec",
        "osgi.command.function=queue",
        "osgi.command.function=drivers",
        "osgi.command.function=connections",
        "osgi.command.function=values",
        "osgi.command.function=sysctl",
        "osgi.command.function=stats"})
public final class PathpointCommands {
    static final Duration RESULT_TIMEOUT = Duration.ofMinutes(2);
    private static final int QUEUE_LISTED = 20;
    private static final String ADVISE = "advise level: advise, force, 0 (ADVISE) or 1 (FORCE); force by default";
    private static final String HELP = "--help, or arguments that fit no other form: prints the usage";
    private static final CommandHelp USAGE = new CommandHelp(PathpointCommands.class, "pathpoint", Map.of(
            "read", "<pathpoint> [<advise>]",
            "write", "<pathpoint> <value> [<advise>]",
            "exec", "<document>",
            "queue", "",
            "drivers", "",
            "connections", "[<regex>]",
            "values", "[<regex>]",
            "sysctl", "<op> [<arguments>...]",
            "stats", ""));

    private final EngineView engine;
    private final Clock clock;

    /** Every connection monitor of every bundle (Modbus connections, MQTT links...), replaced as they come and go. */
    @Reference(service = ConnectionMonitor.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile List<ConnectionMonitor> monitors = List.of();

    @Activate
    public PathpointCommands(@Reference EngineView engine) {
        this(engine, Clock.systemUTC());
    }

    PathpointCommands(EngineView engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    @Descriptor("reads a pathpoint under FORCE and prints its value, or why the read failed")
    public String read(@Descriptor("the pathpoint's name, e.g. W1r0") String pathpoint) {
        return read(pathpoint, "force");
    }

    @Descriptor("reads a pathpoint and prints its value, or why the read failed")
    public String read(@Descriptor("the pathpoint's name, e.g. W1r0") String pathpoint,
            @Descriptor(ADVISE) String advise) {
        if (CommandHelp.isHelp(pathpoint)) {
            return USAGE.help("read");
        }
        AdviseLevel level = adviseLevel(advise);
        return level == null ? badAdvise("read", advise) : runOne(new ReadOrder(pathpoint, level));
    }

    @Descriptor("prints how to use pathpoint:read")
    public String read(@Descriptor(HELP) String... arguments) {
        return USAGE.misfit("read", arguments);
    }

    @Descriptor("writes a value to a pathpoint under FORCE and prints the value written after type conversion")
    public String write(@Descriptor("the pathpoint's name, e.g. W1r4002") String pathpoint,
            @Descriptor("a whole number, a decimal number or text") String value) {
        return write(pathpoint, value, "force");
    }

    @Descriptor("writes a value to a pathpoint and prints the value written after type conversion")
    public String write(@Descriptor("the pathpoint's name, e.g. W1r4002") String pathpoint,
            @Descriptor("a whole number, a decimal number or text") String value,
            @Descriptor(ADVISE) String advise) {
        if (CommandHelp.isHelp(pathpoint)) {
            return USAGE.help("write");
        }
        AdviseLevel level = adviseLevel(advise);
        return level == null ? badAdvise("write", advise) : runOne(new WriteOrder(pathpoint, parseValue(value), level));
    }

    @Descriptor("prints how to use pathpoint:write")
    public String write(@Descriptor(HELP) String... arguments) {
        return USAGE.misfit("write", arguments);
    }

    @Descriptor("runs a wire-format document (one section or an array of sections) and prints one JSON result line per section")
    public String exec(@Descriptor("the document in single quotes, e.g. '{\"orders\": [{\"type\": \"read\", \"path\": \"W1r0\"}]}',"
            + " or the path of a file holding one") String document) {
        if (CommandHelp.isHelp(document)) {
            return USAGE.help("exec");
        }
        List<Section> sections;
        try {
            String text = document.trim();
            if (text.startsWith("{") || text.startsWith("[")) {
                sections = SectionCodec.readSections(text);
            } else {
                Path file = Path.of(text);
                if (!Files.isRegularFile(file)) {
                    return "error: '" + text + "' is neither a JSON document nor a readable file"
                            + " (in Gogo, put a JSON document in single quotes)";
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
        for (int i = 0; i < sections.size(); i++) {
            Awaited awaited = await(sections.get(i));
            if (awaited.interrupted()) {
                sections.subList(i, sections.size()).forEach(Section::cancel);
                return out.append("interrupted: ").append(sections.size() - i)
                        .append(" sections without a result here; those that had started run to their end\n").toString();
            }
            out.append(awaited.map(SectionCodec::writeResult, failure -> failure)).append('\n');
        }
        return out.toString();
    }

    @Descriptor("prints how to use pathpoint:exec")
    public String exec(@Descriptor(HELP) String... arguments) {
        return USAGE.misfit("exec", arguments);
    }

    @Descriptor("prints the queue depth and capacity, the running sections and the first 20 queued sections")
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

    @Descriptor("prints how to use pathpoint:queue")
    public String queue(@Descriptor(HELP) String... arguments) {
        return USAGE.misfit("queue", arguments);
    }

    @Descriptor("lists the drivers, best ranked first: name, service.id, ranking, operations in flight,"
            + " operations waiting for a free batch slot, pathpoint pattern (or why it serves nothing)")
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

    @Descriptor("prints how to use pathpoint:drivers")
    public String drivers(@Descriptor(HELP) String... arguments) {
        return USAGE.misfit("drivers", arguments);
    }

    @Descriptor("lists every configured connection (Modbus devices, links): endpoint, state, since when,"
            + " next attempt, counters, and the last error or why its configuration failed")
    public String connections() {
        return connections(".*");
    }

    @Descriptor("lists the configured connections whose name matches a regular expression")
    public String connections(@Descriptor("a regular expression the whole name must match, in single quotes, e.g. 'plc.*'")
            String regex) {
        if (CommandHelp.isHelp(regex)) {
            return USAGE.help("connections");
        }
        NameFilter selected = NameFilter.of(regex);
        if (selected.problem() != null) {
            return selected.problem();
        }
        List<ConnectionReport> reports = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (ConnectionMonitor monitor : monitors) {
            try {
                reports.addAll(monitor.connections());
            } catch (RuntimeException e) {
                failures.add("error: a connection monitor (" + monitor.getClass().getName() + ") failed: " + e);
            }
        }
        reports.removeIf(report -> !selected.matches(report.name()));
        reports.sort(Comparator.comparing(ConnectionReport::name, NaturalOrder.INSTANCE)
                .thenComparing(ConnectionReport::kind));
        StringBuilder out = new StringBuilder();
        if (reports.isEmpty()) {
            out.append(monitors.isEmpty() ? "no connections: no bundle reports any\n" : "no connections\n");
        } else {
            Instant now = clock.instant();
            TextTable table = new TextTable("name", "kind", "endpoint", "state", "since", "counters", "configuration",
                    "problem");
            for (ConnectionReport report : reports) {
                table.row(report.name(), report.kind(), report.endpoint(), state(report, now),
                        report.since().truncatedTo(ChronoUnit.SECONDS), counters(report.counters()),
                        report.configuration(), report.problem().orElse(""));
            }
            out.append(table);
        }
        failures.forEach(failure -> out.append(failure).append('\n'));
        return out.toString();
    }

    @Descriptor("prints how to use pathpoint:connections")
    public String connections(@Descriptor(HELP) String... arguments) {
        return USAGE.misfit("connections", arguments);
    }

    private static String state(ConnectionReport report, Instant now) {
        String state = report.state().name();
        if (report.state() == ConnectionState.BACKING_OFF && report.nextAttempt().isPresent()) {
            Duration left = Duration.between(now, report.nextAttempt().get());
            return state + " (next attempt " + (left.isNegative() ? "due" : "in " + seconds(left)) + ")";
        }
        return state;
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private static String counters(Map<String, Long> counters) {
        return counters.entrySet().stream().sorted(Map.Entry.comparingByKey(NaturalOrder.INSTANCE))
                .map(entry -> entry.getKey() + "=" + entry.getValue()).collect(Collectors.joining(" "));
    }

    @Descriptor("prints the last reading of every pathpoint, in the order of their names' parts: timestamp, and value or failure")
    public String values() {
        return values(".*");
    }

    @Descriptor("prints the last readings of the pathpoints whose name matches a regular expression")
    public String values(@Descriptor("a regular expression the whole name must match, in single quotes, e.g. 'W1r.*'")
            String regex) {
        if (CommandHelp.isHelp(regex)) {
            return USAGE.help("values");
        }
        NameFilter selected = NameFilter.of(regex);
        if (selected.problem() != null) {
            return selected.problem();
        }
        TextTable table = new TextTable("pathpoint", "timestamp", "reading");
        engine.store().readings().entrySet().stream()
                .filter(entry -> selected.matches(entry.getKey()))
                .sorted(Map.Entry.comparingByKey(NaturalOrder.INSTANCE))
                .forEach(entry -> table.row(entry.getKey(), entry.getValue().timestamp(), describe(entry.getValue())));
        return table.size() == 0 ? "no readings\n" : table.toString();
    }

    @Descriptor("prints how to use pathpoint:values")
    public String values(@Descriptor(HELP) String... arguments) {
        return USAGE.misfit("values", arguments);
    }

    @Descriptor("runs a sysctl order and prints its report; the arguments are joined with spaces")
    public String sysctl(@Descriptor("the op type, e.g. update, reboot, baob-created") String opType,
            @Descriptor("the op's arguments, if it takes any") String... args) {
        if (CommandHelp.isHelp(opType)) {
            return USAGE.help("sysctl");
        }
        return runOne(new SysctlOrder(opType, String.join(" ", args)));
    }

    @Descriptor("prints how to use pathpoint:sysctl")
    public String sysctl() {
        return USAGE.misfit("sysctl", new String[0]);
    }

    @Descriptor("prints the executor statistics: queued and running sections, orders completed, retries,"
            + " latency, in flight per driver, failures by reason")
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
        EngineState state = engine.state();
        table.row("pathpoints with work (lanes)", state.lanes());
        table.row("timers scheduled", state.timers());
        table.row("readings stored", state.storedReadings() + " of at most " + engine.settings().valueStoreCapacity());
        for (OperationFailedReason reason : OperationFailedReason.values()) {
            Long count = statistics.failuresByReason().get(reason);
            if (count != null) {
                table.row("failed: " + reason, count);
            }
        }
        return table.toString();
    }

    @Descriptor("prints how to use pathpoint:stats")
    public String stats(@Descriptor(HELP) String... arguments) {
        return USAGE.misfit("stats", arguments);
    }

    private String runOne(Order order) {
        Section section = new Section(List.of(order), Disposition.JOINABLE);
        engine.executor().execute(section);
        Awaited awaited = await(section);
        if (awaited.interrupted()) {
            return section.cancel() ? "interrupted: " + order + " cancelled before it started\n"
                    : "interrupted: " + order + " had started and runs to its end; its result is not shown here\n";
        }
        return awaited.map(result -> describe(result.outcome(0)), failure -> failure) + "\n";
    }

    /** A regular expression names must match whole, or why the text is none. */
    private record NameFilter(Pattern pattern, String problem) {
        static NameFilter of(String regex) {
            try {
                return new NameFilter(Pattern.compile(regex), null);
            } catch (PatternSyntaxException e) {
                return new NameFilter(null, "error: '" + regex + "' is not a valid regular expression: " + e.getDescription());
            }
        }

        boolean matches(String name) {
            return pattern.matcher(name).matches();
        }
    }

    /** The result of a section, or why there is none. */
    private record Awaited(SectionResult result, String failure, boolean interrupted) {
        String map(java.util.function.Function<SectionResult, String> onResult, java.util.function.Function<String, String> onFailure) {
            return result != null ? onResult.apply(result) : onFailure.apply(failure);
        }
    }

    private static Awaited await(Section section) {
        try {
            return new Awaited(section.future().get(RESULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), null, false);
        } catch (TimeoutException e) {
            return new Awaited(null, "error: no result within " + RESULT_TIMEOUT.toSeconds() + " s; the section is still running", false);
        } catch (CancellationException e) {
            return new Awaited(null, "cancelled", false);
        } catch (InterruptedException e) {
            // Ctrl-C in the shell: the command ends here, which is what the interrupt asked for
            return new Awaited(null, null, true);
        } catch (ExecutionException e) {
            return new Awaited(null, "error: " + e.getCause(), false);
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

    private static String badAdvise(String command, String advise) {
        return "error: advise level '" + advise + "' is not advise, force, 0 or 1\n" + USAGE.usage(command) + "\n";
    }

    /** ADVISE or FORCE, by name (any case) or wire code 0/1; null for anything else. */
    static AdviseLevel adviseLevel(String text) {
        switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "ADVISE":
            case "0":
                return AdviseLevel.ADVISE;
            case "FORCE":
            case "1":
                return AdviseLevel.FORCE;
            default:
                return null;
        }
    }

    /** A whole number (exact at any size), else a decimal number, else text. */
    static PathpointValue parseValue(String text) {
        String trimmed = text.trim();
        try {
            return PathpointValue.of(new java.math.BigInteger(trimmed));
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
