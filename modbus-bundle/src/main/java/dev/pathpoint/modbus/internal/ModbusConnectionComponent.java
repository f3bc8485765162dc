package dev.pathpoint.modbus.internal;

import dev.pathpoint.api.driver.PathpointDriver;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance per factory configuration of {@code dev.pathpoint.modbus}: it owns the connection and
 * registers its {@link PathpointDriver} with the {@code pathpoint.pattern} computed from the
 * configuration (so the component registers the service itself rather than through DS). A changed
 * configuration is applied in place: queued work stays, the link is reopened only if its address or
 * line settings changed, and the service properties are updated.
 *
 * <p>A configuration that cannot be applied never half-applies: its properties are checked whole
 * first. A new one stays without a driver, a change to a running one is refused and the connection
 * keeps its previous settings; either way the problem is logged at ERROR with the configuration's PID
 * and reported by {@link ModbusConnections} ({@code pathpoint:connections}).
 */
@Component(configurationPid = ModbusConnectionComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = ModbusConnectionConfig.class, factory = true)
public final class ModbusConnectionComponent {
    public static final String FACTORY_PID = "dev.pathpoint.modbus";
    private static final Logger LOG = LoggerFactory.getLogger(ModbusConnectionComponent.class);

    @Reference
    ModbusConnections connections;

    private BundleContext context;
    private String pid;
    private Map<String, Object> properties;
    private boolean active;
    private ModbusDriver driver;
    private ServiceRegistration<PathpointDriver> registration;

    @Activate
    public synchronized void activate(BundleContext bundleContext, Map<String, Object> configuration) {
        context = bundleContext;
        pid = ConnectionConfiguration.pid(configuration);
        active = true;
        apply(configuration);
    }

    @Modified
    public synchronized void modified(Map<String, Object> configuration) {
        apply(configuration);
    }

    @Deactivate
    public synchronized void deactivate() {
        active = false;
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already unregistered, e.g. the bundle is stopping
            }
            registration = null;
        }
        if (driver != null) {
            driver.close();
            driver = null;
        }
        connections.removed(pid);
    }

    /** The driver, for tests; null while the configuration cannot be applied. */
    synchronized ModbusDriver driver() {
        return driver;
    }

    /** Applies the configuration again (it waited for a serial port that is now free). */
    private synchronized void retry() {
        if (active && driver == null) {
            apply(properties);
        }
    }

    private void apply(Map<String, Object> configuration) {
        properties = new HashMap<>(configuration);
        ConnectionSettings settings;
        try {
            settings = ConnectionConfiguration.settings(configuration);
        } catch (ConnectionConfiguration.Invalid e) {
            refuse(e.getMessage(), null);
            return;
        }
        String conflict = connections.serialPortConflict(pid, settings);
        if (conflict != null) {
            refuse(conflict, settings.serialPort());
            return;
        }
        List<String> unknown = ConnectionConfiguration.unknownKeys(configuration);
        if (!unknown.isEmpty()) {
            LOG.warn("Modbus connection configuration {} sets properties a connection does not have, ignored: {}", pid,
                    String.join(", ", unknown));
        }
        Dictionary<String, Object> serviceProperties = serviceProperties(settings, ConnectionConfiguration.ranking(configuration));
        if (driver == null) {
            driver = new ModbusDriver(settings);
            registration = context.registerService(PathpointDriver.class, driver, serviceProperties);
            connections.live(pid, driver.connection(), unknown);
            LOG.info("Modbus connection {} to {} serves {}", settings.name(), settings.endpoint(), settings.pathpointPattern());
        } else {
            driver.reconfigure(settings);
            registration.setProperties(serviceProperties);
            connections.live(pid, driver.connection(), unknown);
            LOG.info("Modbus connection {} reconfigured: {} serves {}", settings.name(), settings.endpoint(),
                    settings.pathpointPattern());
        }
    }

    private void refuse(String problem, String waitingForPort) {
        if (driver != null) {
            connections.refused(pid, problem);
            LOG.error("Modbus connection configuration {}: the change was refused, connection {} keeps running with its previous "
                    + "settings: {}", pid, driver.settings().name(), problem);
        } else {
            connections.misconfigured(pid, ConnectionConfiguration.describedName(properties),
                    ConnectionConfiguration.describedEndpoint(properties), problem, waitingForPort,
                    waitingForPort == null ? null : this::retry);
            LOG.error("Modbus connection configuration {} cannot be applied, no driver runs for it: {}", pid, problem);
        }
    }

    static Dictionary<String, Object> serviceProperties(ConnectionSettings settings, int ranking) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(PathpointDriver.PATHPOINT_PATTERN, settings.pathpointPattern());
        properties.put(PathpointDriver.DRIVER_NAME, settings.name());
        properties.put(Constants.SERVICE_RANKING, ranking);
        properties.put("modbus.endpoint", settings.endpoint());
        return properties;
    }
}
