package dev.pathpoint.modbus.internal;

import static dev.pathpoint.modbus.internal.Ops.readValue;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.driver.ReadOperation;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.modbus.internal.sim.ModbusSimulatorComponent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The DS components, driven as SCR would, without a framework: configurations applied, refused and reported. */
class ComponentsTest {
    private ModbusSimulatorComponent simulatorComponent;
    private int simulatorPort;
    private ModbusConnections monitor;
    private final List<ModbusConnectionComponent> components = new ArrayList<>();

    /** A bundle context recording the one driver registration of a component: properties set, and whether unregistered. */
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

        PathpointDriver driver() {
            return (PathpointDriver) service;
        }
    }

    /** What was written to stderr (where slf4j-simple logs) while it ran. */
    static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    @BeforeEach
    void startSimulator() throws Exception {
        simulatorComponent = new ModbusSimulatorComponent();
        simulatorComponent.activate(Map.of("port", 0, "unitIds", "1,2", "holdingRegisterValues", new String[] {"4002=1234"}));
        Method accessor = ModbusSimulatorComponent.class.getDeclaredMethod("simulator");
        accessor.setAccessible(true);
        simulatorPort = ((dev.pathpoint.modbus.internal.sim.ModbusTcpSimulator) accessor.invoke(simulatorComponent)).port();
        monitor = new ModbusConnections();
    }

    @AfterEach
    void stop() {
        components.forEach(ModbusConnectionComponent::deactivate);
        monitor.deactivate();
        simulatorComponent.deactivate();
    }

    private ModbusConnectionComponent activate(Registrations registrations, Map<String, Object> configuration) {
        ModbusConnectionComponent component = new ModbusConnectionComponent();
        component.connections = monitor;
        component.activate(registrations.context(), configuration);
        components.add(component);
        return component;
    }

    private Map<String, Object> configuration(String pid, Object... keysAndValues) {
        Map<String, Object> values = new HashMap<>(Map.of("service.pid", pid, "service.factoryPid", "dev.pathpoint.modbus",
                "name", "plant", "port", simulatorPort, "unitIds", "1"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return values;
    }

    private ConnectionReport report(String pid) {
        return monitor.connections().stream().filter(report -> report.configuration().equals(pid)).findFirst()
                .orElseThrow(() -> new AssertionError("no report for " + pid + " in " + monitor.connections()));
    }

    @Test
    void connectionComponentRegistersReconfiguresAndUnregistersItsDriver() {
        Map<String, Object> values = configuration("dev.pathpoint.modbus~plant");
        Registrations registrations = new Registrations();
        ModbusConnectionComponent component = activate(registrations, values);
        PathpointDriver driver = registrations.driver();
        assertEquals("plant", registrations.properties.get(0).get(PathpointDriver.DRIVER_NAME));
        assertTrue(Pattern.matches(registrations.pattern(), "W1r4002"));
        assertTrue(Pattern.matches(registrations.pattern(), "B1c4.x"), "bad tails route here and fail INVALID");
        assertFalse(Pattern.matches(registrations.pattern(), "W2r4002"));
        assertFalse(Pattern.matches(registrations.pattern(), "rW1r4002"));
        assertEquals(PathpointValue.of(1234), readValue(driver, "W1r4002"));

        ConnectionReport live = report("dev.pathpoint.modbus~plant");
        assertEquals("plant", live.name());
        assertEquals("modbus", live.kind());
        assertEquals("tcp://127.0.0.1:" + simulatorPort, live.endpoint());
        assertEquals(ConnectionState.CONNECTED, live.state());
        assertEquals(1L, live.counters().get("requests"));
        assertEquals(1L, live.counters().get("connects"));
        assertTrue(live.problem().isEmpty(), live.toString());

        // queue work, then change units: the queued read still completes, and the pattern follows
        ReadOperation queued = Ops.read("W1r4002");
        driver.execute(List.of(queued));
        values.put("unitIds", "1,2");
        component.modified(values);
        assertEquals(PathpointValue.of(1234), Ops.value(queued));
        assertTrue(Pattern.matches(registrations.pattern(), "W2r4002"));
        assertEquals(PathpointValue.of(1234), readValue(driver, "W2r4002"));

        component.deactivate();
        components.remove(component);
        assertTrue(registrations.unregistered);
        assertTrue(monitor.connections().isEmpty(), "a deleted configuration is no longer reported");
        ReadOperation afterClose = Ops.read("W1r4002");
        driver.execute(List.of(afterClose));
        Ops.failure(afterClose, OperationFailedReason.TIMEOUT);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "transport| TCPX| transport 'TCPX' is not one of TCP, RTU, RTU_OVER_TCP, UDP",
        "unitIds| 3,x| unitIds '3,x': 'x' is not a unit id (expected whole numbers 0..255 separated by commas, e.g. 1,2,3)",
        "unitIds| 1,300| unitIds '1,300': 300 is outside 0..255",
        "port| 50x2| port '50x2' is not a whole number",
        "port| 70000| port must be 1..65535, is 70000",
        "responseTimeoutMillis| 0| responseTimeoutMillis must be positive, is 0",
        "maxReadRegisters| 126| maxReadRegisters is 126, outside 1..125",
        "pathpointPattern| W1r[| pathpointPattern 'W1r[' is not a regular expression: Unclosed character class at position 3",
        "closeAfterEachRequest| yes| closeAfterEachRequest 'yes' is not true or false",
        "byteOrder| ABDC| byteOrder 'ABDC' is not one of ABCD, CDAB, BADC, DCBA",
        "maxOutstandingRequests| 17| maxOutstandingRequests must be 1..16, is 17",
        "queueCapacity| -1| queueCapacity must be positive, is -1",
        "service.ranking| high| service.ranking 'high' is not a whole number",
    })
    void aConfigurationThatCannotBeAppliedIsReportedMisconfiguredAndLogged(String key, String value, String reason) {
        Registrations registrations = new Registrations();
        String log = stderrOf(() -> activate(registrations, configuration("dev.pathpoint.modbus~bad", key, value)));
        assertNull(registrations.service, "no driver for a configuration that cannot be applied");
        ConnectionReport report = report("dev.pathpoint.modbus~bad");
        assertEquals(ConnectionState.MISCONFIGURED, report.state());
        assertEquals("plant", report.name());
        assertEquals(reason, report.problem().orElseThrow());
        assertFalse(report.problem().orElseThrow().contains("No enum constant"), "no library internals");
        assertTrue(log.contains("ERROR") && log.contains("dev.pathpoint.modbus~bad") && log.contains(reason),
                "logged at ERROR with the PID and the problem: " + log);
    }

    @Test
    void everyProblemOfAConfigurationIsNamedAtOnce() {
        Registrations registrations = new Registrations();
        activate(registrations, configuration("dev.pathpoint.modbus~worse", "transport", "TCPX", "port", "x", "unitIds", "3,x"));
        String problem = report("dev.pathpoint.modbus~worse").problem().orElseThrow();
        assertTrue(problem.contains("transport 'TCPX'") && problem.contains("port 'x'") && problem.contains("'x' is not a unit id"),
                problem);
        assertEquals("tcpx://127.0.0.1:x", report("dev.pathpoint.modbus~worse").endpoint(), "the endpoint as configured");
    }

    @Test
    void aRefusedLiveChangeKeepsThePreviousSettingsRunningAndSaysBoth() {
        Map<String, Object> values = configuration("dev.pathpoint.modbus~plant");
        Registrations registrations = new Registrations();
        ModbusConnectionComponent component = activate(registrations, values);
        PathpointDriver driver = registrations.driver();
        assertEquals(PathpointValue.of(1234), readValue(driver, "W1r4002"));

        Map<String, Object> bad = new HashMap<>(values);
        bad.put("transport", "TCPX");
        bad.put("unitIds", "1,2"); // part of the same change: must not be applied either
        String log = stderrOf(() -> component.modified(bad));
        assertEquals(1, registrations.properties.size(), "service properties untouched");
        assertFalse(Pattern.matches(registrations.pattern(), "W2r4002"), "nothing of the change applied");
        assertEquals(PathpointValue.of(1234), readValue(driver, "W1r4002"), "still serving with the previous settings");
        ConnectionReport report = report("dev.pathpoint.modbus~plant");
        assertEquals(ConnectionState.CONNECTED, report.state());
        String problem = report.problem().orElseThrow();
        assertTrue(problem.contains("still running with the previous settings")
                && problem.contains("was refused: transport 'TCPX' is not one of TCP, RTU, RTU_OVER_TCP, UDP"), problem);
        assertTrue(log.contains("ERROR") && log.contains("dev.pathpoint.modbus~plant") && log.contains("previous settings")
                && log.contains("transport 'TCPX'"), log);

        component.modified(configuration("dev.pathpoint.modbus~plant", "unitIds", "1,2"));
        assertTrue(Pattern.matches(registrations.pattern(), "W2r4002"), "a good change applies");
        assertTrue(report("dev.pathpoint.modbus~plant").problem().isEmpty(), "and the refusal is forgotten");
    }

    @Test
    void aMisconfiguredConnectionStartsOnceItsConfigurationIsFixed() {
        Registrations registrations = new Registrations();
        ModbusConnectionComponent component = activate(registrations, configuration("dev.pathpoint.modbus~late", "unitIds", "3,x"));
        assertNull(registrations.service);
        component.modified(configuration("dev.pathpoint.modbus~late", "unitIds", "2"));
        assertEquals(PathpointValue.of(1234), readValue(registrations.driver(), "W2r4002"));
        assertEquals(ConnectionState.CONNECTED, report("dev.pathpoint.modbus~late").state());
    }

    @Test
    void unknownPropertiesAreNamed() {
        Registrations registrations = new Registrations();
        activate(registrations, configuration("dev.pathpoint.modbus~typo", "prot", 502, "felix.fileinstall.filename", "x.config"));
        assertTrue(report("dev.pathpoint.modbus~typo").problem().orElseThrow().contains("unknown property ignored: prot"));
    }

    @Test
    void oneSerialPortIsDrivenByOneConnection() {
        Registrations first = new Registrations();
        ModbusConnectionComponent owner = activate(first, configuration("dev.pathpoint.modbus~bus", "name", "bus",
                "transport", "RTU", "serialPort", "/dev/ttyPATHPOINT0", "unitIds", "1,2"));
        Registrations second = new Registrations();
        activate(second, configuration("dev.pathpoint.modbus~meter", "name", "meter", "transport", "RTU",
                "serialPort", "/dev/ttyPATHPOINT0", "unitIds", "3"));
        assertNull(second.service, "the second configuration on the same line gets no driver of its own");
        ConnectionReport refused = report("dev.pathpoint.modbus~meter");
        assertEquals(ConnectionState.MISCONFIGURED, refused.state());
        assertTrue(refused.problem().orElseThrow().contains("serial port /dev/ttyPATHPOINT0 is already used by connection 'bus' "
                + "(configuration dev.pathpoint.modbus~bus)"), refused.toString());

        owner.deactivate();
        components.remove(owner);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.service != null);
        assertEquals(ConnectionState.IDLE, report("dev.pathpoint.modbus~meter").state(), "applied once the port is free");
    }

    @Test
    void badSimulatorConfigurationsFailActivationNamingTheProperty() {
        ModbusSimulatorComponent simulator = new ModbusSimulatorComponent();
        Map<String, Object> badImage = Map.of("service.pid", "dev.pathpoint.modbus.simulator~x", "port", 0,
                "holdingRegisterValues", new String[] {"20000=1"}, "unknownUnit", "SILENT", "maxConnections", "many");
        String[] message = new String[1];
        String log = stderrOf(() -> message[0] = assertThrows(IllegalArgumentException.class, () -> simulator.activate(badImage))
                .getMessage());
        assertTrue(message[0].contains("dev.pathpoint.modbus.simulator~x") && message[0].contains("20000")
                && message[0].contains("unknownUnit 'SILENT' is not one of GATEWAY_EXCEPTION, NO_ANSWER")
                && message[0].contains("maxConnections 'many' is not a whole number"), message[0]);
        assertTrue(log.contains("ERROR") && log.contains("dev.pathpoint.modbus.simulator~x"), log);
    }
}
