package dev.pathpoint.distribution.hardening;

import dev.pathpoint.api.connection.ConnectionMonitor;
import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.distribution.it.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** MQTT links configured through Config Admin in the running framework, and their reports. */
final class MqttRig {
    static final Duration LIMIT = Duration.ofSeconds(30);
    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;

    MqttRig(BundleContext context, ConfigurationAdmin configurationAdmin) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
    }

    /** A link (factory PID {@code dev.pathpoint.mqtt}) to a broker on loopback; waits until it is connected. */
    Configuration addLink(String gateway, int port, Map<String, Object> extra) throws IOException {
        Configuration link = configurationAdmin.getFactoryConfiguration("dev.pathpoint.mqtt", gateway, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("gatewayId", gateway);
        properties.put("host", "127.0.0.1");
        properties.put("port", port);
        properties.put("reconnectDelayMillis", 100);
        properties.put("maxReconnectDelayMillis", 1000);
        properties.put("journalDirectory", Files.createTempDirectory("pathpoint-it-journal-" + gateway).toString());
        extra.forEach(properties::put);
        link.update(properties);
        Await.until("link " + gateway + " connected", LIMIT,
                () -> report(gateway).map(r -> r.state() == ConnectionState.CONNECTED).orElse(false),
                () -> "report: " + report(gateway));
        return link;
    }

    void removeLink(Configuration link, String gateway) throws IOException {
        link.delete();
        Await.until("link " + gateway + " gone", LIMIT, () -> report(gateway).isEmpty());
    }

    Optional<ConnectionReport> report(String gateway) {
        try {
            Collection<ServiceReference<ConnectionMonitor>> monitors = context.getServiceReferences(ConnectionMonitor.class,
                    "(" + ConnectionMonitor.KIND + "=mqtt)");
            for (ServiceReference<ConnectionMonitor> reference : monitors) {
                ConnectionMonitor monitor = context.getService(reference);
                try {
                    for (ConnectionReport report : monitor == null ? java.util.List.<ConnectionReport>of() : monitor.connections()) {
                        if (report.name().equals(gateway)) {
                            return Optional.of(report);
                        }
                    }
                } finally {
                    context.ungetService(reference);
                }
            }
            return Optional.empty();
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    long counter(String gateway, String name) {
        return report(gateway).map(r -> r.counters().getOrDefault(name, -1L)).orElse(-1L);
    }

}
