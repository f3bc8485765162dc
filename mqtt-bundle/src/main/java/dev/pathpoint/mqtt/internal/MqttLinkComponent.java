package dev.pathpoint.mqtt.internal;

import dev.pathpoint.api.connection.ConnectionMonitor;
import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.message.MessageHandler;
import dev.pathpoint.api.store.PathpointListener;
import dev.pathpoint.mqtt.internal.link.Link;
import dev.pathpoint.mqtt.internal.link.LinkSettings;
import dev.pathpoint.mqtt.internal.notice.BaobForwarder;
import dev.pathpoint.mqtt.internal.notice.LinkMessageHandler;
import dev.pathpoint.mqtt.internal.notice.ValuePublisher;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance per factory configuration of {@code dev.pathpoint.mqtt}: one {@link Link}, reported as a
 * {@link ConnectionMonitor} of kind {@code mqtt}. It registers what the configuration asks for: the
 * message handler, the BAOB event forwarder and the value listener. A changed configuration restarts
 * the link (a clean disconnect and a new connection; the journal carries the work over); a
 * configuration that cannot be applied is reported {@code MISCONFIGURED} with the reason.
 */
@Component(configurationPid = MqttLinkComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ConnectionMonitor.class, property = ConnectionMonitor.KIND + "=mqtt", immediate = true)
@Designate(ocd = LinkConfig.class, factory = true)
public final class MqttLinkComponent implements ConnectionMonitor {
    public static final String FACTORY_PID = "dev.pathpoint.mqtt";
    private static final Logger LOG = LoggerFactory.getLogger(MqttLinkComponent.class);

    private final BundleContext context;
    private final OrderExecutor executor;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private ValuePublisher values;
    private volatile Link link;
    private volatile ConnectionReport misconfigured;

    @Activate
    public MqttLinkComponent(BundleContext context,
            // never a remote gateway's executor (a central and a gateway may share one framework)
            @Reference(target = "(!(" + dev.pathpoint.api.remote.RemoteGateways.GATEWAY_ID + "=*))") OrderExecutor executor, LinkConfig config,
            Map<String, Object> properties) {
        this.context = context;
        this.executor = executor;
        apply(config, properties);
    }

    @Modified
    synchronized void modified(LinkConfig config, Map<String, Object> properties) {
        stop();
        apply(config, properties);
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    private synchronized void apply(LinkConfig config, Map<String, Object> properties) {
        String pid = String.valueOf(properties.getOrDefault(Constants.SERVICE_PID, FACTORY_PID));
        LinkSettings settings;
        try {
            settings = LinkSettings.from(config, journalRoot());
        } catch (IllegalArgumentException e) {
            misconfigure(config, pid, e.getMessage());
            return;
        }
        Link started = new Link(settings, pid, executor, Clock.systemUTC());
        try {
            started.start();
        } catch (IOException | IllegalArgumentException e) {
            misconfigure(config, pid, e instanceof IOException ? "the journal cannot be used: " + e.getMessage() : e.getMessage());
            return;
        }
        misconfigured = null;
        link = started;
        register(started, settings);
        LOG.info("MQTT {} started (journal {})", settings, settings.journalDirectory());
    }

    private void register(Link started, LinkSettings settings) {
        if (settings.messagesEnabled()) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(Constants.SERVICE_RANKING, settings.messageHandlerRanking());
            props.put("mqtt.gateway", settings.gatewayId());
            registrations.add(context.registerService(MessageHandler.class,
                    new LinkMessageHandler(started, settings.messageTimeout()), props));
        }
        if (settings.baobEnabled()) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(EventConstants.EVENT_TOPIC, settings.baobEventTopic());
            registrations.add(context.registerService(EventHandler.class, new BaobForwarder(started), props));
        }
        if (settings.valuesEnabled()) {
            values = new ValuePublisher(started, settings.valuesMinInterval());
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(PathpointListener.PATHPOINT_PATTERN, settings.valuesPattern().pattern());
            registrations.add(context.registerService(PathpointListener.class, values, props));
        }
    }

    private void stop() {
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        registrations.clear();
        if (values != null) {
            values.close();
            values = null;
        }
        Link current = link;
        link = null;
        if (current != null) {
            current.close();
        }
    }

    private void misconfigure(LinkConfig config, String pid, String problem) {
        LOG.error("MQTT link {} is not started: {}", pid, problem);
        String name = config.gatewayId() == null || config.gatewayId().isBlank() ? pid : config.gatewayId().trim();
        misconfigured = new ConnectionReport(name, "mqtt", (config.tls() ? "mqtts://" : "mqtt://") + config.host() + ":"
                + config.port(), pid, ConnectionState.MISCONFIGURED, Instant.now(), Optional.empty(), Optional.of(problem),
                Map.of());
    }

    private Path journalRoot() {
        File data = context.getDataFile("journal");
        if (data == null) {
            // a framework without a file system for bundles: the configuration must name a directory
            return Path.of(System.getProperty("java.io.tmpdir"), "pathpoint-mqtt-journal");
        }
        return data.toPath();
    }

    @Override
    public List<ConnectionReport> connections() {
        Link current = link;
        if (current != null) {
            return List.of(current.report());
        }
        ConnectionReport report = misconfigured;
        return report == null ? List.of() : List.of(report);
    }

    /** The link, for tests in the framework. */
    Link link() {
        return link;
    }
}
