package dev.pathpoint.distribution.it;

import static org.junit.Assert.assertTrue;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.SectionResult;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A Modbus device outside the Modbus bundle ({@link DeviceServer}) and a connection to it, served
 * once the first FORCE read answers: for tests that swap the Modbus bundle under load.
 */
final class OutsideDevice implements AutoCloseable {
    private final DeviceServer device;
    private final Configuration connection;

    OutsideDevice(ConfigurationAdmin configurationAdmin, OrderExecutor executor, String name, int unit) throws Exception {
        device = new DeviceServer(unit, 16);
        connection = configurationAdmin.getFactoryConfiguration("dev.pathpoint.modbus", name, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("name", name);
        properties.put("host", "127.0.0.1");
        properties.put("port", device.port());
        properties.put("unitIds", String.valueOf(unit));
        connection.update(properties);
        // FORCE: waits for the driver to come up
        SectionResult first = Sections.run(executor, new ReadOrder("W" + unit + "r0", AdviseLevel.FORCE));
        assertTrue(first.toString(), first.succeeded());
    }

    int register(int address) {
        return device.register(address);
    }

    @Override
    public void close() throws Exception {
        connection.delete();
        device.close();
    }
}
