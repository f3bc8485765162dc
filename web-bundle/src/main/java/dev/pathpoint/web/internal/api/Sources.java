package dev.pathpoint.web.internal.api;

import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.store.ValueStore;
import java.util.List;

/** Where the API's answers come from: the API bundle's services only. */
public interface Sources {

    OrderExecutor executor();

    ValueStore store();

    /** The registered {@code PathpointDriver} services, from their service properties. */
    List<DriverService> drivers();

    /** The registered {@code ConnectionMonitor} services. */
    List<Monitor> monitors();

    /**
     * A driver service as its properties describe it.
     *
     * @param name {@code pathpoint.driver.name}, or {@code driver-<service.id>} as the engine names it
     * @param pattern {@code pathpoint.pattern} as registered (null if missing)
     */
    record DriverService(String name, long serviceId, String bundle, int ranking, String pattern, Integer maxBatchSize) {
    }

    /** A connection monitor and where it comes from. */
    interface Monitor {
        String source();

        List<ConnectionReport> connections();
    }
}
