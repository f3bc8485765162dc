package dev.pathpoint.modbus.internal;

import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.modbus.internal.plan.PlanningLimits;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
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
 * One instance per factory configuration of {@code dev.pathpoint.modbus}: it owns the connection and
 * registers its {@link PathpointDriver} with the {@code pathpoint.pattern} computed from the
 * configuration (so the component registers the service itself rather than through DS). A changed
 * configuration is applied in place: queued work stays, the link is reopened only if its address or
 * line settings changed, and the service properties are updated.
 */
@Component(configurationPid = ModbusConnectionComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = ModbusConnectionConfig.class, factory = true)
public final class ModbusConnectionComponent {
    public static final String FACTORY_PID = "dev.pathpoint.modbus";
    private static final Logger LOG = LoggerFactory.getLogger(ModbusConnectionComponent.class);

    private ModbusDriver driver;
    private ServiceRegistration<PathpointDriver> registration;

    @Activate
    public void activate(BundleContext context, ModbusConnectionConfig config, Map<String, Object> properties) {
        ConnectionSettings settings = settings(config, properties);
        driver = new ModbusDriver(settings);
        registration = context.registerService(PathpointDriver.class, driver, serviceProperties(settings, config));
        LOG.info("Modbus connection {} to {} serves {}", settings.name(), settings.endpoint(), settings.pathpointPattern());
    }

    @Modified
    public void modified(ModbusConnectionConfig config, Map<String, Object> properties) {
        ConnectionSettings settings = settings(config, properties);
        driver.reconfigure(settings);
        registration.setProperties(serviceProperties(settings, config));
        LOG.info("Modbus connection {} reconfigured: {} serves {}", settings.name(), settings.endpoint(), settings.pathpointPattern());
    }

    @Deactivate
    public void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already unregistered, e.g. the bundle is stopping
        }
        driver.close();
    }

    /** The driver, for tests. */
    ModbusDriver driver() {
        return driver;
    }

    static Dictionary<String, Object> serviceProperties(ConnectionSettings settings, ModbusConnectionConfig config) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(PathpointDriver.PATHPOINT_PATTERN, settings.pathpointPattern());
        properties.put(PathpointDriver.DRIVER_NAME, settings.name());
        properties.put(Constants.SERVICE_RANKING, config.service_ranking());
        properties.put("modbus.endpoint", settings.endpoint());
        return properties;
    }

    /**
     * Checks a configuration and turns it into settings.
     *
     * @throws IllegalArgumentException naming the bad property
     */
    static ConnectionSettings settings(ModbusConnectionConfig config, Map<String, Object> properties) {
        String name = config.name().isBlank() ? defaultName(config, properties) : config.name().trim();
        PlanningLimits limits = new PlanningLimits(config.maxReadRegisters(), config.maxReadBits(), config.maxRegisterGap(),
                config.maxBitGap(), config.maxWriteRegisters(), config.maxWriteCoils(), config.multipleRegisterWrites(),
                config.maskWrites());
        return new ConnectionSettings(name, config.transport(), config.host(), config.port(), config.serialPort(),
                config.baudRate(), config.dataBits(), config.parity(), config.stopBits(), unitIds(config.unitIds()),
                config.pathpointPattern(), config.connectTimeoutMillis(), config.responseTimeoutMillis(),
                config.interRequestDelayMillis(), config.reconnectDelayMillis(), config.maxReconnectDelayMillis(),
                config.closeAfterEachRequest(), config.byteOrder(), limits, config.queueCapacity());
    }

    private static String defaultName(ModbusConnectionConfig config, Map<String, Object> properties) {
        return "modbus-" + (config.transport() == Transport.RTU ? config.serialPort() : config.host() + ":" + config.port());
    }

    static Set<Integer> unitIds(String text) {
        Set<Integer> units = new LinkedHashSet<>();
        if (text == null || text.isBlank()) {
            return units;
        }
        for (String part : text.split(",")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                units.add(Integer.parseInt(trimmed));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unitIds: '" + trimmed + "' is not a number (expected e.g. 1,2,3)", e);
            }
        }
        return units;
    }
}
