package dev.pathpoint.distribution.hardening;

import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.executor.OrderExecutor;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Configuring the running engine and Modbus connections through Config Admin, and waiting until it took effect. */
final class Rig {
    static final Duration SETUP_LIMIT = Duration.ofSeconds(30);

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;

    Rig(BundleContext context, ConfigurationAdmin configurationAdmin) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
    }

    /**
     * Sets engine properties (PID {@code dev.pathpoint.engine}) and waits until the engine's
     * OrderExecutor service shows them: DS publishes the component properties after {@code modified}.
     */
    void configureEngine(Map<String, Object> settings) throws IOException {
        Configuration engine = configurationAdmin.getConfiguration("dev.pathpoint.engine", "?");
        engine.update(new Hashtable<>(settings));
        Await.until("engine settings " + settings, SETUP_LIMIT, () -> {
            ServiceReference<OrderExecutor> reference = context.getServiceReference(OrderExecutor.class);
            return reference != null && settings.entrySet().stream()
                    .allMatch(e -> Objects.equals(String.valueOf(e.getValue()), String.valueOf(reference.getProperty(e.getKey()))));
        });
    }

    /** A Modbus TCP connection (factory PID {@code dev.pathpoint.modbus}); waits for its driver service. */
    Configuration addConnection(String name, int port, String unitIds, Map<String, Object> extra) throws IOException {
        Configuration connection = configurationAdmin.getFactoryConfiguration("dev.pathpoint.modbus", name, "?");
        Dictionary<String, Object> properties = new Hashtable<>(extra);
        properties.put("name", name);
        properties.put("host", "127.0.0.1");
        properties.put("port", port);
        properties.put("unitIds", unitIds);
        connection.update(properties);
        Await.until("driver " + name, SETUP_LIMIT, () -> !drivers(name).isEmpty());
        return connection;
    }

    void removeConnection(Configuration connection, String name) throws IOException {
        connection.delete();
        Await.until("driver " + name + " gone", SETUP_LIMIT, () -> drivers(name).isEmpty());
    }

    Collection<ServiceReference<PathpointDriver>> drivers(String name) {
        try {
            return context.getServiceReferences(PathpointDriver.class, "(" + PathpointDriver.DRIVER_NAME + "=" + name + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    dev.pathpoint.api.store.ValueStore store() {
        ServiceReference<dev.pathpoint.api.store.ValueStore> reference = context.getServiceReference(dev.pathpoint.api.store.ValueStore.class);
        if (reference == null) {
            throw new AssertionError("no ValueStore service");
        }
        return context.getService(reference);
    }

    OrderExecutor executor() {
        ServiceReference<OrderExecutor> reference = context.getServiceReference(OrderExecutor.class);
        if (reference == null) {
            throw new AssertionError("no OrderExecutor service");
        }
        return context.getService(reference);
    }
}
