package dev.pathpoint.mqtt.internal.central;

import dev.pathpoint.api.connection.ConnectionMonitor;
import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.remote.RemoteExecutor;
import dev.pathpoint.api.remote.RemoteGateways;
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
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance per factory configuration of {@code dev.pathpoint.mqtt.central}: a {@link CentralLink},
 * registered as {@link RemoteGateways}, with an {@link OrderExecutor} (and {@link RemoteExecutor})
 * service per gateway the configuration lists, and reported as a {@link ConnectionMonitor} of kind
 * {@code mqtt-central}. A gateway's executor has the service property
 * {@value RemoteGateways#GATEWAY_ID} and a ranking of {@value #EXECUTOR_RANKING}, so that an
 * unfiltered {@code OrderExecutor} reference keeps the local engine. A changed configuration starts
 * the link anew (sections not answered yet fail {@code SHUTDOWN}); one that cannot be applied is
 * reported {@code MISCONFIGURED} with the reason.
 */
@Component(configurationPid = CentralComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ConnectionMonitor.class, property = ConnectionMonitor.KIND + "=" + CentralLink.KIND, immediate = true)
@Designate(ocd = CentralConfig.class, factory = true)
public final class CentralComponent implements ConnectionMonitor {
    public static final String FACTORY_PID = "dev.pathpoint.mqtt.central";
    static final int EXECUTOR_RANKING = -100;
    /** Service property of the RemoteGateways service and the executors: the central's client id. */
    static final String CLIENT_ID_PROPERTY = "mqtt.central.client.id";
    private static final Logger LOG = LoggerFactory.getLogger(CentralComponent.class);

    private final BundleContext context;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private volatile CentralLink link;
    private volatile ConnectionReport misconfigured;

    @Activate
    public CentralComponent(BundleContext context, CentralConfig config, Map<String, Object> properties) {
        this.context = context;
        apply(config, properties);
    }

    @Modified
    synchronized void modified(CentralConfig config, Map<String, Object> properties) {
        stop();
        apply(config, properties);
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    private synchronized void apply(CentralConfig config, Map<String, Object> properties) {
        String pid = String.valueOf(properties.getOrDefault(Constants.SERVICE_PID, FACTORY_PID));
        CentralSettings settings;
        CentralLink started;
        try {
            settings = CentralSettings.from(config);
            started = new CentralLink(settings, pid, Clock.systemUTC()).start();
        } catch (IllegalArgumentException e) {
            LOG.error("MQTT central {} is not started: {}", pid, e.getMessage());
            misconfigured = new ConnectionReport(config.clientId() == null ? pid : config.clientId(), CentralLink.KIND,
                    (config.tls() ? "mqtts://" : "mqtt://") + config.host() + ":" + config.port(), pid,
                    ConnectionState.MISCONFIGURED, Instant.now(), Optional.empty(), Optional.of(e.getMessage()), Map.of());
            return;
        }
        misconfigured = null;
        link = started;
        Hashtable<String, Object> central = new Hashtable<>();
        central.put(CLIENT_ID_PROPERTY, settings.clientId());
        registrations.add(context.registerService(RemoteGateways.class, started, central));
        for (String gateway : settings.gateways()) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(RemoteGateways.GATEWAY_ID, gateway);
            props.put(CLIENT_ID_PROPERTY, settings.clientId());
            props.put(Constants.SERVICE_RANKING, EXECUTOR_RANKING);
            registrations.add(context.registerService(new String[] {OrderExecutor.class.getName(),
                RemoteExecutor.class.getName()}, started.forGateway(gateway), props));
        }
        LOG.info("MQTT {} started, gateways registered: {}", settings, settings.gateways());
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
        CentralLink current = link;
        link = null;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public List<ConnectionReport> connections() {
        CentralLink current = link;
        if (current != null) {
            return List.of(current.report());
        }
        ConnectionReport report = misconfigured;
        return report == null ? List.of() : List.of(report);
    }
}
