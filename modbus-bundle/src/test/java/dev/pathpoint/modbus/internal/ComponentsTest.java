package dev.pathpoint.modbus.internal;

import static dev.pathpoint.modbus.internal.Ops.readValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.driver.ReadOperation;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.modbus.internal.sim.ModbusSimulatorComponent;
import dev.pathpoint.modbus.internal.sim.SimulatorConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The DS components, driven as SCR would, without a framework. */
class ComponentsTest {

    /** A configuration annotation backed by a map, defaults from the annotation (as SCR builds them). */
    @SuppressWarnings("unchecked")
    static <A> A config(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String key = method.getName().replace('_', '.');
            if (values.containsKey(key)) {
                return values.get(key);
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            return switch (method.getName()) {
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> type.getSimpleName() + values;
                default -> throw new UnsupportedOperationException(method.getName());
            };
        });
    }

    /** A bundle context recording registrations: properties set, and whether unregistered. */
    static final class Registrations {
        final List<Dictionary<String, ?>> properties = new ArrayList<>();
        Object service;
        boolean unregistered;

        @SuppressWarnings("unchecked")
        BundleContext context() {
            ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "setProperties" -> {
                            properties.add((Dictionary<String, ?>) args[0]);
                            yield null;
                        }
                        case "unregister" -> {
                            unregistered = true;
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("registerService") && args[0] == PathpointDriver.class) {
                            service = args[1];
                            properties.add((Dictionary<String, ?>) args[2]);
                            return registration;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }

        String pattern() {
            return (String) properties.get(properties.size() - 1).get(PathpointDriver.PATHPOINT_PATTERN);
        }
    }

    @Test
    void connectionComponentRegistersReconfiguresAndUnregistersItsDriver() throws Exception {
        Map<String, Object> simulatorValues = new HashMap<>(Map.of("port", 0, "unitIds", "1,2",
                "holdingRegisterValues", new String[] {"4002=1234"}));
        ModbusSimulatorComponent simulatorComponent = new ModbusSimulatorComponent();
        simulatorComponent.activate(config(SimulatorConfig.class, simulatorValues));
        int port = simulatorPort(simulatorComponent);
        try {
            Map<String, Object> values = new HashMap<>(Map.of("name", "plant", "port", port, "unitIds", "1"));
            Registrations registrations = new Registrations();
            ModbusConnectionComponent component = new ModbusConnectionComponent();
            component.activate(registrations.context(), config(ModbusConnectionConfig.class, values), values);
            PathpointDriver driver = (PathpointDriver) registrations.service;
            assertEquals("plant", registrations.properties.get(0).get(PathpointDriver.DRIVER_NAME));
            assertTrue(Pattern.matches(registrations.pattern(), "W1r4002"));
            assertTrue(Pattern.matches(registrations.pattern(), "B1c4.x"), "bad tails route here and fail INVALID");
            assertTrue(!Pattern.matches(registrations.pattern(), "W2r4002"));
            assertTrue(!Pattern.matches(registrations.pattern(), "rW1r4002"));
            assertEquals(PathpointValue.of(1234), readValue(driver, "W1r4002"));

            // queue work, then change units: the queued read still completes, and the pattern follows
            ReadOperation queued = Ops.read("W1r4002");
            driver.execute(List.of(queued));
            values.put("unitIds", "1,2");
            component.modified(config(ModbusConnectionConfig.class, values), values);
            assertEquals(PathpointValue.of(1234), Ops.value(queued));
            assertTrue(Pattern.matches(registrations.pattern(), "W2r4002"));
            assertEquals(PathpointValue.of(1234), readValue(driver, "W2r4002"));

            component.deactivate();
            assertTrue(registrations.unregistered);
            ReadOperation afterClose = Ops.read("W1r4002");
            driver.execute(List.of(afterClose));
            Ops.failure(afterClose, dev.pathpoint.api.failure.OperationFailedReason.TIMEOUT);
        } finally {
            simulatorComponent.deactivate();
        }
    }

    @Test
    void badConfigurationsNameTheProperty() {
        Registrations registrations = new Registrations();
        ModbusConnectionComponent component = new ModbusConnectionComponent();
        Map<String, Object> badUnits = Map.of("unitIds", "1,x");
        IllegalArgumentException units = assertThrows(IllegalArgumentException.class,
                () -> component.activate(registrations.context(), config(ModbusConnectionConfig.class, badUnits), badUnits));
        assertTrue(units.getMessage().contains("unitIds"));
        Map<String, Object> badGap = Map.of("maxReadRegisters", 126);
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                () -> component.activate(registrations.context(), config(ModbusConnectionConfig.class, badGap), badGap));
        assertTrue(gap.getMessage().contains("maxReadRegisters"));
        Map<String, Object> badPattern = Map.of("pathpointPattern", "W1r[");
        assertThrows(IllegalArgumentException.class,
                () -> component.activate(registrations.context(), config(ModbusConnectionConfig.class, badPattern), badPattern));
        Map<String, Object> badImage = Map.of("port", 0, "holdingRegisterValues", new String[] {"20000=1"});
        ModbusSimulatorComponent simulator = new ModbusSimulatorComponent();
        IllegalArgumentException image = assertThrows(IllegalArgumentException.class,
                () -> simulator.activate(config(SimulatorConfig.class, badImage)));
        assertTrue(image.getMessage().contains("20000"));
    }

    private static int simulatorPort(ModbusSimulatorComponent component) throws Exception {
        Method accessor = ModbusSimulatorComponent.class.getDeclaredMethod("simulator");
        accessor.setAccessible(true);
        return ((dev.pathpoint.modbus.internal.sim.ModbusTcpSimulator) accessor.invoke(component)).port();
    }
}
