package dev.pathpoint.web.internal;

import dev.pathpoint.api.connection.ConnectionMonitor;
import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.store.ValueStore;
import dev.pathpoint.web.internal.api.Sources;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The services the API lists, looked up in the service registry when asked: driver services by their
 * properties (the driver objects are never used), connection monitors by calling them.
 */
final class OsgiSources implements Sources {
    private final BundleContext context;
    private final OrderExecutor executor;
    private final ValueStore store;

    OsgiSources(BundleContext context, OrderExecutor executor, ValueStore store) {
        this.context = context;
        this.executor = executor;
        this.store = store;
    }

    @Override
    public OrderExecutor executor() {
        return executor;
    }

    @Override
    public ValueStore store() {
        return store;
    }

    @Override
    public List<DriverService> drivers() {
        List<DriverService> drivers = new ArrayList<>();
        for (ServiceReference<PathpointDriver> reference : references(PathpointDriver.class)) {
            long id = (Long) reference.getProperty(Constants.SERVICE_ID);
            Object name = reference.getProperty(PathpointDriver.DRIVER_NAME);
            Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
            Object pattern = reference.getProperty(PathpointDriver.PATHPOINT_PATTERN);
            Object batch = reference.getProperty(PathpointDriver.MAX_BATCH_SIZE);
            drivers.add(new DriverService(
                    name instanceof String text && !text.isBlank() ? text : "driver-" + id,
                    id,
                    reference.getBundle() == null ? "" : reference.getBundle().getSymbolicName(),
                    ranking instanceof Integer rank ? rank : 0,
                    pattern == null ? null : String.valueOf(pattern),
                    batch instanceof Number number && number.intValue() > 0 ? number.intValue() : null));
        }
        return drivers;
    }

    @Override
    public List<Monitor> monitors() {
        List<Monitor> monitors = new ArrayList<>();
        for (ServiceReference<ConnectionMonitor> reference : references(ConnectionMonitor.class)) {
            String source = (reference.getBundle() == null ? "?" : reference.getBundle().getSymbolicName())
                    + " (service " + reference.getProperty(Constants.SERVICE_ID) + ")";
            monitors.add(new Monitor() {
                @Override
                public String source() {
                    return source;
                }

                @Override
                public List<ConnectionReport> connections() {
                    ConnectionMonitor monitor = context.getService(reference);
                    if (monitor == null) {
                        return List.of();
                    }
                    try {
                        return monitor.connections();
                    } finally {
                        context.ungetService(reference);
                    }
                }
            });
        }
        return monitors;
    }

    private <S> Collection<ServiceReference<S>> references(Class<S> type) {
        try {
            return context.getServiceReferences(type, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IllegalStateException e) {
            // the bundle is stopping
            return List.of();
        }
    }
}
