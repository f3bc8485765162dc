package dev.pathpoint.modbus.internal.sim;

import dev.pathpoint.modbus.internal.name.Area;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
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
 * configuration restarts the server with a fresh image.
 */
@Component(configurationPid = ModbusSimulatorComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = SimulatorConfig.class, factory = true)
public final class ModbusSimulatorComponent {
    public static final String FACTORY_PID = "dev.pathpoint.modbus.simulator";
    private static final Logger LOG = LoggerFactory.getLogger(ModbusSimulatorComponent.class);

    private ModbusTcpSimulator simulator;

    @Activate
    public void activate(SimulatorConfig config) {
        SimulatorImage image = image(config);
        ModbusTcpSimulator.Options options = new ModbusTcpSimulator.Options(config.bindAddress(), config.port(),
                units(config.unitIds()), config.unknownUnit(), config.maskWrites(), config.maxConnections(),
                Math.multiplyExact(config.idleTimeoutSeconds(), 1000));
        try {
            simulator = new ModbusTcpSimulator(image, options);
        } catch (IOException e) {
            throw new UncheckedIOException("Modbus simulator cannot listen on " + config.bindAddress() + ":" + config.port(), e);
        }
        LOG.info("Modbus simulator listening on {}:{}", config.bindAddress(), simulator.port());
    }

    @Deactivate
    public void deactivate() {
        simulator.close();
    }

    /** The running simulator, for tests. */
    ModbusTcpSimulator simulator() {
        return simulator;
    }

    static SimulatorImage image(SimulatorConfig config) {
        SimulatorImage image = new SimulatorImage()
                .define(Area.HOLDING_REGISTER, config.holdingRegisters())
                .define(Area.INPUT_REGISTER, config.inputRegisters())
                .define(Area.COIL, config.coils())
                .define(Area.DISCRETE_INPUT, config.discreteInputs());
        load(image, Area.HOLDING_REGISTER, config.holdingRegisterValues());
        load(image, Area.INPUT_REGISTER, config.inputRegisterValues());
        load(image, Area.COIL, config.coilValues());
        load(image, Area.DISCRETE_INPUT, config.discreteInputValues());
        return image;
    }

    private static void load(SimulatorImage image, Area area, String[] entries) {
        for (String entry : entries) {
            if (!entry.isBlank()) {
                image.load(area, entry.trim());
            }
        }
    }

    static Set<Integer> units(String text) {
        Set<Integer> units = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                int unit = Integer.parseInt(trimmed);
                if (unit < 0 || unit > 255) {
                    throw new IllegalArgumentException("unitIds: " + unit + " is outside 0..255");
                }
                units.add(unit);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unitIds: '" + trimmed + "' is not a number", e);
            }
        }
        return units;
    }
}
