package dev.pathpoint.modbus.internal.sim;

import dev.pathpoint.modbus.internal.name.Area;
import dev.pathpoint.modbus.internal.config.ConfigValues;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated device per factory configuration of {@code dev.pathpoint.modbus.simulator}. A changed
 * configuration restarts the server with a fresh image. A configuration that cannot be applied (a bad
 * number, range or value entry, a port in use) fails the activation with a message naming the property,
 * logged at ERROR with the configuration's PID.
 */
@Component(configurationPid = ModbusSimulatorComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = SimulatorConfig.class, factory = true)
public final class ModbusSimulatorComponent {
    public static final String FACTORY_PID = "dev.pathpoint.modbus.simulator";
    private static final Logger LOG = LoggerFactory.getLogger(ModbusSimulatorComponent.class);

    private ModbusTcpSimulator simulator;

    /**
     * @throws IllegalArgumentException naming every bad property, so that SCR's failed-activation reason says it too
     */
    @Activate
    public void activate(Map<String, Object> properties) {
        Object pid = properties.getOrDefault("service.pid", FACTORY_PID);
        try {
            simulator = start(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("Modbus simulator configuration {} cannot be applied: {}", pid, e.getMessage());
            throw new IllegalArgumentException("Modbus simulator configuration " + pid + ": " + e.getMessage(), e);
        }
        LOG.info("Modbus simulator listening on {}:{} ({})", simulator.options().bindAddress(), simulator.port(), pid);
    }

    private static ModbusTcpSimulator start(Map<String, Object> properties) {
        ConfigValues values = new ConfigValues(properties, SimulatorConfig.class);
        String bindAddress = values.text("bindAddress").trim();
        int port = values.integer("port");
        Set<Integer> units = values.unitIds("unitIds");
        ModbusTcpSimulator.UnknownUnit unknownUnit = values.choice("unknownUnit", ModbusTcpSimulator.UnknownUnit.class);
        boolean maskWrites = values.flag("maskWrites");
        int maxConnections = values.integer("maxConnections");
        int idleTimeoutSeconds = values.integer("idleTimeoutSeconds");
        SimulatorImage image = null;
        try {
            image = image(values);
        } catch (IllegalArgumentException e) {
            values.problem(e.getMessage());
        }
        if (idleTimeoutSeconds < 1 || idleTimeoutSeconds > Integer.MAX_VALUE / 1000) {
            values.problem("idleTimeoutSeconds must be 1.." + Integer.MAX_VALUE / 1000 + ", is " + idleTimeoutSeconds);
        }
        ModbusTcpSimulator.Options options = null;
        if (values.problems().isEmpty()) {
            try {
                options = new ModbusTcpSimulator.Options(bindAddress, port, units, unknownUnit, maskWrites, maxConnections,
                        idleTimeoutSeconds * 1000);
            } catch (IllegalArgumentException e) {
                values.problem(e.getMessage());
            }
        }
        if (!values.problems().isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", values.problems()));
        }
        try {
            return new ModbusTcpSimulator(image, options);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
    }

    @Deactivate
    public void deactivate() {
        simulator.close();
    }

    /** The running simulator, for tests. */
    ModbusTcpSimulator simulator() {
        return simulator;
    }

    private static SimulatorImage image(ConfigValues values) {
        SimulatorImage image = new SimulatorImage()
                .define(Area.HOLDING_REGISTER, values.text("holdingRegisters"))
                .define(Area.INPUT_REGISTER, values.text("inputRegisters"))
                .define(Area.COIL, values.text("coils"))
                .define(Area.DISCRETE_INPUT, values.text("discreteInputs"));
        load(image, Area.HOLDING_REGISTER, values.texts("holdingRegisterValues"));
        load(image, Area.INPUT_REGISTER, values.texts("inputRegisterValues"));
        load(image, Area.COIL, values.texts("coilValues"));
        load(image, Area.DISCRETE_INPUT, values.texts("discreteInputValues"));
        return image;
    }

    private static void load(SimulatorImage image, Area area, String[] entries) {
        for (String entry : entries) {
            if (!entry.isBlank()) {
                image.load(area, entry.trim());
            }
        }
    }
}
