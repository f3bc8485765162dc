package dev.pathpoint.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.api.connection.ConnectionMonitor;
import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.testing.FreePorts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The shell commands in a real Felix, through Gogo's own command processor as the console runs them:
 * help from the descriptors, usage lines, {@code pathpoint:connections} over every monitor service,
 * and the {@code cm:} configuration commands with the Modbus bundle's metatype.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandsIT {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Inject
    BundleContext context;
    @Inject
    OrderExecutor executor;
    @Inject
    CommandProcessor processor;
    @Inject
    ConfigurationAdmin configurationAdmin;

    private CommandSession session;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @Configuration
    public Option[] config() {
        return new Option[] {RuntimeOptions.runtime(TestConfig.copyOfDefaultConfig())};
    }

    @Before
    public void session() throws Exception {
        Sections.awaitDefaultDevice(executor);
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
    }

    @After
    public void close() {
        session.close();
    }

    private String run(String command) throws Exception {
        Object result = session.execute(command);
        return result == null ? "" : result.toString();
    }

    private String drivers() {
        try {
            return run("pathpoint:drivers");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void gogosHelpShowsTheDescriptorsAndMissingArgumentsGetTheUsage() throws Exception {
        String help = run("help pathpoint:read");
        assertTrue(help, help.contains("read - reads a pathpoint and prints its value, or why the read failed"));
        assertTrue(help, help.contains("the pathpoint's name, e.g. W1r0"));
        assertTrue(help, help.contains("advise level: advise, force, 0 (ADVISE) or 1 (FORCE)"));
        assertTrue(run("pathpoint:read").contains("usage: pathpoint:read <pathpoint> [<advise>]"));
        assertTrue(run("pathpoint:read --help").startsWith("pathpoint:read - "));
        assertTrue(run("pathpoint:read W1r0").contains("done = 1200"));
    }

    /** The README's console examples, run as written. */
    @Test
    public void theReadmesExamplesWorkAsWritten() throws Exception {
        String readme = java.nio.file.Files.readString(TestConfig.runtimeDir().resolve("../../../README.md").normalize());
        int section = readme.indexOf("### Shell commands (Gogo, scope `pathpoint`)");
        int start = readme.indexOf("```\n", readme.indexOf("work as written at the Felix console", section)) + 4;
        List<String> examples = readme.substring(start, readme.indexOf("```", start)).lines().toList();
        assertTrue(examples.toString(), examples.size() >= 4);
        for (String example : examples) {
            String output = run(example);
            assertFalse(example + " printed nothing", output.isBlank());
            assertFalse(example + " -> " + output, output.startsWith("error") || output.contains("\"succeeded\":false"));
        }
        assertTrue(run("pathpoint:values 'W1r[0-9]+'").contains("W1r5"));
    }

    @Test
    public void connectionsListTheReportsOfEveryMonitorServiceAsTheyComeAndGo() throws Exception {
        Instant since = Instant.parse("2026-12-01T10:00:00Z");
        ConnectionMonitor monitor = () -> List.of(new ConnectionReport("test-plc7", "modbus", "tcp://192.0.2.7:502",
                "dev.pathpoint.modbus~test-plc7", ConnectionState.MISCONFIGURED, since, Optional.empty(),
                Optional.of("transport: 'TCPX' is not TCP, RTU, RTU_OVER_TCP or UDP"), Map.of()));
        ServiceRegistration<ConnectionMonitor> registration = context.registerService(ConnectionMonitor.class, monitor,
                new Hashtable<>(Map.of(ConnectionMonitor.KIND, "modbus")));
        try {
            String table = run("pathpoint:connections 'test-.*'");
            assertTrue(table, table.startsWith("name "));
            assertTrue(table, table.contains("test-plc7") && table.contains("MISCONFIGURED")
                    && table.contains("transport: 'TCPX' is not TCP, RTU, RTU_OVER_TCP or UDP"));
        } finally {
            registration.unregister();
        }
        assertFalse(run("pathpoint:connections 'test-.*'").contains("test-plc7"));
    }

    @Test
    public void cmCommandsListGetPutAndDeleteTypedByTheMetatype() throws Exception {
        String list = run("cm:list");
        assertTrue(list, list.contains("dev.pathpoint.modbus~simulator") && list.contains("dev.pathpoint.modbus-simulator.config"));
        String simulator = run("cm:get dev.pathpoint.modbus~simulator");
        assertTrue(simulator, simulator.contains("(factory dev.pathpoint.modbus)") && simulator.contains("unitIds = \"1\""));

        // refused, naming the problem: nothing is stored
        assertEquals("error: dev.pathpoint.modbus is a factory PID: name the configuration, e.g. dev.pathpoint.modbus~plc2\n",
                run("cm:put dev.pathpoint.modbus host 192.0.2.10"));
        String typo = run("cm:put dev.pathpoint.modbus~plc9 hots 192.0.2.10");
        assertTrue(typo, typo.startsWith("error: dev.pathpoint.modbus~plc9: 'hots' is not one of its properties: ")
                && typo.contains("host, "));
        String notANumber = run("cm:put dev.pathpoint.modbus~plc9 port 50x");
        assertTrue(notANumber, notANumber.startsWith("error: dev.pathpoint.modbus~plc9: port: '50x' is not a whole number"));
        String outOfRange = run("cm:put dev.pathpoint.modbus~plc9 port 70000");
        assertTrue(outOfRange, outOfRange.startsWith("error: dev.pathpoint.modbus~plc9: port: "));
        String badTransport = run("cm:put dev.pathpoint.modbus~plc9 transport TCPX");
        assertTrue(badTransport, badTransport.startsWith("error: dev.pathpoint.modbus~plc9: transport: "));
        assertTrue(run("cm:get dev.pathpoint.modbus~plc9").startsWith("error: no configuration dev.pathpoint.modbus~plc9"));

        // a new connection, built up property by property, applied live
        int port = FreePorts.pick();
        assertEquals("created dev.pathpoint.modbus~plc9: unitIds = \"9\"\n", run("cm:put dev.pathpoint.modbus~plc9 unitIds 9"));
        assertEquals("dev.pathpoint.modbus~plc9: port = " + port + " (Integer)\n", run("cm:put dev.pathpoint.modbus~plc9 port " + port));
        run("cm:put dev.pathpoint.modbus~plc9 name plc9");
        Await.until("the plc9 driver", LIMIT, () -> drivers().contains("plc9"), this::drivers);
        assertTrue(run("cm:get dev.pathpoint.modbus~plc9").contains("port = " + port + " (Integer)"));
        assertEquals("plc9", configurationAdmin.getConfiguration("dev.pathpoint.modbus~plc9", "?").getProperties().get("name"));

        assertEquals("dev.pathpoint.modbus~plc9: removed name\n", run("cm:delete dev.pathpoint.modbus~plc9 name"));
        assertEquals("deleted dev.pathpoint.modbus~plc9\n", run("cm:delete dev.pathpoint.modbus~plc9"));
        Await.until("the plc9 driver gone", LIMIT, () -> !drivers().contains("plc9"), this::drivers);
        assertTrue(run("cm:delete dev.pathpoint.modbus~plc9").startsWith("error: no configuration"));
    }
}
