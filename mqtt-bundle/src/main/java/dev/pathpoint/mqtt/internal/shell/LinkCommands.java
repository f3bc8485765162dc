package dev.pathpoint.mqtt.internal.shell;

import dev.pathpoint.api.connection.ConnectionMonitor;
import dev.pathpoint.api.connection.ConnectionReport;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code pathpoint:links}: every MQTT link with its broker, state, last error and counters. A plain
 * public method returning text (Gogo prints it); {@code @Descriptor} is imported optionally, so the
 * bundle needs no shell to run.
 */
@Component(service = LinkCommands.class, property = {"osgi.command.scope=pathpoint", "osgi.command.function=links"})
public final class LinkCommands {
    private final List<ConnectionMonitor> monitors = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(|(" + ConnectionMonitor.KIND + "=mqtt)(" + ConnectionMonitor.KIND + "=mqtt-central))")
    void addMonitor(ConnectionMonitor monitor) {
        monitors.add(monitor);
    }

    void removeMonitor(ConnectionMonitor monitor) {
        monitors.remove(monitor);
    }

    @Descriptor("MQTT links to the central system: broker, state, last error, counters")
    public String links() {
        List<ConnectionReport> reports = monitors.stream().flatMap(monitor -> monitor.connections().stream())
                .sorted(Comparator.comparing(ConnectionReport::name)).toList();
        if (reports.isEmpty()) {
            return "no MQTT link configured (add a dev.pathpoint.mqtt or dev.pathpoint.mqtt.central factory configuration)";
        }
        StringBuilder out = new StringBuilder();
        for (ConnectionReport report : reports) {
            out.append(format(report));
        }
        return out.toString();
    }

    static String format(ConnectionReport report) {
        StringBuilder out = new StringBuilder();
        out.append(report.kind().equals("mqtt") ? "link " : "central ").append(report.name()).append(" -> ").append(report.endpoint()).append(": ")
                .append(report.state()).append(" since ").append(report.since());
        report.nextAttempt().ifPresent(next -> out.append(", next attempt ").append(next));
        out.append('\n');
        out.append("  configuration ").append(report.configuration()).append('\n');
        report.problem().ifPresent(problem -> out.append("  last error: ").append(problem).append('\n'));
        Map<String, Long> counters = report.counters();
        if (!counters.isEmpty()) {
            line(out, "gateways", counters, "gatewaysFollowed", "gatewaysOnline");
            line(out, "remote sections", counters, "sectionsWaiting", "sectionsAwaitingResult", "sectionsSent",
                    "sectionsTimedOut", "sectionsRefusedByBroker", "cancelsSent");
            line(out, "remote results", counters, "resultsReceived", "resultsRepeated", "resultsUnknown",
                    "resultsUnreadable");
            line(out, "documents", counters, "documentsReceived", "documentsAccepted", "documentsRefused",
                    "documentsAcknowledged", "duplicatesDropped", "documentsHeld", "documentsPending");
            line(out, "sections", counters, "sectionsInFlight", "sectionsRun", "sectionsRequeued", "sectionsRerunAfterStart");
            line(out, "results", counters, "resultsPublished", "resultsAcknowledged", "resultsRefusedByBroker",
                    "resultsRepublishedAfterStart");
            line(out, "journal", counters, "journalBytes", "journalSegments", "journalSyncs", "dedupeWindow");
            line(out, "notices", counters, "messagesPublished", "messagesFailed", "baobEventsPublished",
                    "baobEventsDropped", "valuesPublished", "valuesDropped");
            line(out, "connection", counters, "connects", "connectionLosses");
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String title, Map<String, Long> counters, String... names) {
        StringBuilder line = new StringBuilder();
        for (String name : names) {
            Long value = counters.get(name);
            if (value != null) {
                line.append(' ').append(name).append('=').append(value);
            }
        }
        if (line.length() > 0) {
            out.append("  ").append(title).append(':').append(line).append('\n');
        }
    }
}
