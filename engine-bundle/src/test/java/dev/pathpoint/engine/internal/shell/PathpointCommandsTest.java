package dev.pathpoint.engine.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.connection.ConnectionMonitor;
import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.sysctl.SysctlHandler;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.engine.internal.registry.DriverRegistry;
import dev.pathpoint.engine.internal.registry.HandlerRegistry;
import dev.pathpoint.engine.internal.registry.GrammarRegistry;
import dev.pathpoint.engine.internal.registry.ListenerRegistry;
import dev.pathpoint.engine.internal.testing.ServiceList;
import dev.pathpoint.engine.internal.registry.Whiteboard;
import dev.pathpoint.engine.internal.registry.WhiteboardServices;
import dev.pathpoint.engine.internal.EngineState;
import dev.pathpoint.engine.internal.EngineView;
import dev.pathpoint.engine.internal.registry.DriverEntry;
import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.store.ValueStore;
import java.util.List;
import dev.pathpoint.engine.internal.dispatch.Engine;
import dev.pathpoint.engine.internal.testing.TestDriver;
import dev.pathpoint.engine.internal.time.SystemTimeSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathpointCommandsTest {
    private SystemTimeSource time;
    private Engine engine;
    private TestDriver driver;
    private PathpointCommands commands;

    @BeforeEach
    void start() {
        ServiceList<SysctlHandler> sysctls = new ServiceList<>();
        Whiteboard whiteboard = new Whiteboard(new DriverRegistry(), new HandlerRegistry(sysctls.services(), WhiteboardServices.none()),
                new ListenerRegistry(WhiteboardServices.none()), new GrammarRegistry(WhiteboardServices.none()));
        DriverRegistry drivers = whiteboard.drivers();
        driver = new TestDriver("plc-1");
        drivers.add(driver, Map.of(PathpointDriver.PATHPOINT_PATTERN, "W1.*", PathpointDriver.DRIVER_NAME, "plc-1",
                "service.id", 7L, "service.ranking", 3));
        sysctls.add((op, args) -> "did " + op + " with '" + args + "'", Map.of(SysctlHandler.OP, "update"));
        time = new SystemTimeSource(Clock.systemUTC(), "shell-test-timer");
        engine = new Engine(EngineSettings.from(Map.of("noDriverWaitAdviseMillis", 0L, "noDriverWaitForceMillis", 0L,
                "statisticsLogIntervalSeconds", 0L)), whiteboard, time, "shell-test").start();
        commands = new PathpointCommands(view(engine));
    }

    /** The engine as the engine component shows it to the shell. */
    static EngineView view(Engine engine) {
        return new EngineView() {
            @Override
            public OrderExecutor executor() {
                return engine;
            }

            @Override
            public ValueStore store() {
                return engine.store();
            }

            @Override
            public List<DriverEntry> drivers() {
                return engine.drivers();
            }

            @Override
            public List<Section> queuedSections(int max) {
                return engine.queuedSections(max);
            }

            @Override
            public EngineSettings settings() {
                return engine.settings();
            }

            @Override
            public EngineState state() {
                return engine.state();
            }

            @Override
            public String describePendingWork() {
                return engine.describePendingWork();
            }
        };
    }

    @AfterEach
    void stop() {
        engine.close();
        time.close();
    }

    @Test
    void readAndWritePrintTheOutcome() {
        driver.set("W1r0", PathpointValue.of(42));

        assertEquals("read W1r0 (FORCE): done = 42\n", commands.read("W1r0"));
        assertEquals("write W1r1 = 70000 (ADVISE): done = 65535\n", commands.write("W1r1", "70000", "advise"));
        assertEquals("write W1r2 = 1.5 (FORCE): done = 2\n", commands.write("W1r2", "1.5"));
        assertEquals("read W9r0 (ADVISE): failed NO_DRIVER: no driver serves pathpoint 'W9r0' (waited 0 ms, ADVISE)\n",
                commands.read("W9r0", "0"));
        assertTrue(commands.write("W1r3", "abc").contains("failed TYPE"));
        assertEquals(PathpointValue.of(new java.math.BigInteger("18446744073709551615")),
                PathpointCommands.parseValue("18446744073709551615"), "whole numbers stay exact beyond 64 bits");
        assertEquals(PathpointValue.of(9007199254740993L), PathpointCommands.parseValue("9007199254740993"));
    }

    @Test
    void aBadAdviseLevelIsNamedWithTheUsage() {
        assertEquals("error: advise level 'maybe' is not advise, force, 0 or 1\nusage: pathpoint:read <pathpoint> [<advise>]\n",
                commands.read("W1r0", "maybe"));
        assertEquals(AdviseLevel.FORCE, PathpointCommands.adviseLevel("Force"));
        assertTrue(driver.operations().isEmpty(), "nothing was read");
    }

    @Test
    void everyCommandAndParameterHasADescriptorForGogosHelp() {
        List<String> functions = List.of("read", "write", "exec", "queue", "drivers", "connections", "values", "sysctl", "stats");
        for (Method method : PathpointCommands.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            assertTrue(functions.contains(method.getName()), "a public method that is no command: " + method);
            Descriptor descriptor = method.getAnnotation(Descriptor.class);
            assertTrue(descriptor != null && !descriptor.value().isBlank(), "no @Descriptor on " + method);
            for (Annotation[] parameter : method.getParameterAnnotations()) {
                assertTrue(Arrays.stream(parameter).anyMatch(Descriptor.class::isInstance), "a parameter without @Descriptor in " + method);
            }
        }
    }

    @Test
    void dashDashHelpPrintsTheHelpInsteadOfBeingReadAsAName() {
        assertEquals("""
                pathpoint:read - reads a pathpoint and prints its value, or why the read failed
                usage: pathpoint:read <pathpoint> [<advise>]
                  <pathpoint>  the pathpoint's name, e.g. W1r0
                  <advise>     advise level: advise, force, 0 (ADVISE) or 1 (FORCE); force by default
                """, commands.read("--help"));
        assertTrue(commands.write("--help", "1").startsWith("pathpoint:write - writes a value"), commands.write("--help", "1"));
        assertTrue(commands.values("--help").contains("<regex>  a regular expression the whole name must match"));
        assertTrue(commands.sysctl("--help").contains("<op>"));
        assertTrue(commands.stats("--help").startsWith("pathpoint:stats - prints the executor statistics"));
        assertTrue(commands.connections("-h").startsWith("pathpoint:connections - lists"));
        assertTrue(commands.exec("--help").contains("in single quotes"));
        assertTrue(driver.operations().isEmpty(), "--help read nothing");
    }

    /** Through Gogo's own command processor: its coercion picks the form, as in the shell. */
    @Test
    void inGogoMissingOrSurplusArgumentsPrintTheUsageLine() throws Exception {
        ThreadIOImpl threadIo = new ThreadIOImpl();
        threadIo.start();
        try {
            CommandProcessorImpl processor = new CommandProcessorImpl(threadIo);
            for (String function : List.of("read", "write", "values", "sysctl", "stats")) {
                processor.addCommand("pathpoint", commands, function);
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
            CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
            driver.set("W1r0", PathpointValue.of(42));

            assertEquals("error: pathpoint:read: arguments missing\nusage: pathpoint:read <pathpoint> [<advise>]\n"
                    + "(pathpoint:read --help tells more)\n", session.execute("pathpoint:read"));
            assertEquals("error: pathpoint:write: these arguments do not fit: W1r0 1 force now\n"
                    + "usage: pathpoint:write <pathpoint> <value> [<advise>]\n(pathpoint:write --help tells more)\n",
                    session.execute("pathpoint:write W1r0 1 force now"));
            assertTrue(((String) session.execute("pathpoint:sysctl")).startsWith("error: pathpoint:sysctl: arguments missing"));
            assertTrue(((String) session.execute("pathpoint:stats extra")).contains("usage: pathpoint:stats"));
            assertTrue(((String) session.execute("pathpoint:read --help")).startsWith("pathpoint:read - "));
            assertEquals("read W1r0 (FORCE): done = 42\n", session.execute("pathpoint:read W1r0"));
            assertEquals("read W1r0 (ADVISE): done = 42\n", session.execute("pathpoint:read W1r0 advise"));
            assertTrue(((String) session.execute("pathpoint:values 'W1.*'")).contains("W1r0"));
            session.close();
        } finally {
            threadIo.stop();
        }
    }

    @Test
    void valuesSortPathpointsByTheirParts() {
        // names the test driver serves (W1.*): only a driver's answer is stored
        for (String name : List.of("W1r10000", "W1r2", "W10r1", "W1r10", "W1r02", "W1r1", "W1c3")) {
            driver.set(name, PathpointValue.of(1));
            commands.read(name);
        }
        List<String> names = commands.values().lines().skip(1).map(line -> line.split(" ")[0]).toList();
        assertEquals(List.of("W1c3", "W1r1", "W1r2", "W1r02", "W1r10", "W1r10000", "W10r1"), names);
    }

    @Test
    void naturalOrderComparesDigitRunsAsNumbersOfAnyLength() {
        List<String> sorted = new java.util.ArrayList<>(List.of("plc10", "plc9", "plc", "plc09", "a99999999999999999999999b",
                "a100000000000000000000000b", "W1r2@CDAB", "W1r2"));
        sorted.sort(NaturalOrder.INSTANCE);
        assertEquals(List.of("W1r2", "W1r2@CDAB", "a99999999999999999999999b", "a100000000000000000000000b",
                "plc", "plc9", "plc09", "plc10"), sorted);
    }

    @Test
    void connectionsListEveryMonitorsReportsAsATable() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        commands = new PathpointCommands(view(engine), Clock.fixed(now, ZoneOffset.UTC));
        ConnectionMonitor modbus = () -> List.of(
                new ConnectionReport("plc10", "modbus", "tcp://192.0.2.10:502", "dev.pathpoint.modbus~plc10",
                        ConnectionState.BACKING_OFF, now.minusSeconds(3), Optional.of(now.plusMillis(2500)),
                        Optional.of("connection refused"), Map.of("requests", 12L, "reconnects", 3L)),
                new ConnectionReport("plc2", "modbus", "(unitIds=\"3,x\")", "dev.pathpoint.modbus~plc2",
                        ConnectionState.MISCONFIGURED, now.minusSeconds(60), Optional.empty(),
                        Optional.of("unitIds: 'x' is not a unit id (0..255)"), Map.of()));
        ConnectionMonitor mqtt = () -> List.of(new ConnectionReport("central", "mqtt", "mqtts://broker:8883",
                "dev.pathpoint.mqtt", ConnectionState.CONNECTED, now.minusSeconds(600), Optional.empty(), Optional.empty(), Map.of()));
        ConnectionMonitor broken = () -> {
            throw new IllegalStateException("monitor stopped");
        };
        commands.monitors = List.of(modbus, mqtt, broken);

        String table = commands.connections();
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(0).matches("name +kind +endpoint +state +since +counters +configuration +problem"), lines.get(0));
        assertTrue(lines.get(1).startsWith("central  mqtt    mqtts://broker:8883   CONNECTED "), table);
        assertTrue(lines.get(2).startsWith("plc2     modbus"), "plc2 sorts before plc10: " + table);
        assertTrue(lines.get(2).contains("MISCONFIGURED") && lines.get(2).endsWith("unitIds: 'x' is not a unit id (0..255)"), table);
        assertTrue(lines.get(3).contains("BACKING_OFF (next attempt in 2.5 s)") && lines.get(3).contains("2026-12-01T09:59:57Z")
                && lines.get(3).contains("reconnects=3 requests=12") && lines.get(3).endsWith("connection refused"), table);
        assertTrue(lines.get(4).startsWith("error: a connection monitor (") && lines.get(4).contains("monitor stopped"), table);

        assertEquals(4, commands.connections("plc.*").lines().count(), "header and the two plc rows, then the error line");
        commands.monitors = List.of();
        assertEquals("no connections: no bundle reports any\n", commands.connections());
    }

    @Test
    void anInterruptedWaitEndsTheCommandAndSaysWhatBecomesOfTheOrder() {
        driver.manual();
        Thread.currentThread().interrupt();
        String out = commands.read("W1r5");
        assertTrue(out.startsWith("interrupted: read W1r5 (FORCE) "), out);
        assertTrue(!Thread.interrupted(), "the interrupt ended the command; it is not raised again");
    }

    @Test
    void execRunsAJsonDocumentAndPrintsOneResultPerSection() {
        driver.set("W1r0", PathpointValue.of(7));

        String out = commands.exec("[{\"orders\": [{\"type\": \"read\", \"path\": \"W1r0\"}]},"
                + " {\"orders\": [{\"type\": \"write\", \"path\": \"W1r1\", \"value\": 3, \"advise\": 1}], \"disposition\": 1}]");

        String[] lines = out.split("\n");
        assertEquals(2, lines.length, out);
        assertEquals("{\"succeeded\":true,\"orders\":[{\"type\":\"read\",\"path\":\"W1r0\",\"advise\":0,\"status\":\"done\",\"value\":7}]}", lines[0]);
        assertTrue(lines[1].contains("\"status\":\"done\"") && lines[1].contains("\"value\":3"), lines[1]);
    }

    @Test
    void execReadsAFileAndReportsBadInputWithItsLocation(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("orders.json");
        Files.writeString(file, "{\"orders\": [{\"type\": \"sysctl\", \"op_type\": \"update\", \"op_args\": \"now\"}]}");

        assertTrue(commands.exec(file.toString()).contains("\"value\":\"did update with 'now'\""));
        assertEquals("error: $.orders[0].type: unknown order type 'jump', expected read, write, wait, sysctl or message",
                commands.exec("{\"orders\": [{\"type\": \"jump\"}]}"));
        assertTrue(commands.exec(folder.resolve("missing.json").toString()).startsWith("error: "));
    }

    @Test
    void sysctlRunsTheHandlerAndSaysWhenNobodyHandlesIt() {
        assertEquals("sysctl update a b: done = did update with 'a b'\n", commands.sysctl("update", "a", "b"));
        assertEquals("sysctl reboot: unhandled\n", commands.sysctl("reboot"));
    }

    @Test
    void driversValuesQueueAndStatsPrintTables() {
        driver.set("W1r0", PathpointValue.of(42));
        commands.read("W1r0");

        String drivers = commands.drivers();
        assertTrue(drivers.startsWith("name   service.id  ranking  in-flight  waiting  pathpoint.pattern\n"), drivers);
        assertTrue(drivers.contains("plc-1  7           3        0          0        W1.*"), drivers);
        String values = commands.values();
        assertTrue(values.contains("W1r0") && values.contains("42"), values);
        assertEquals("no readings\n", commands.values("X.*"));
        assertTrue(commands.values("[").startsWith("error: '[' is not a valid regular expression"));
        assertEquals("queued: 0 (capacity 10000), running: 0\n", commands.queue());
        String stats = commands.stats();
        assertTrue(stats.contains("orders completed") && stats.contains("in flight: plc-1"), stats);
        assertTrue(stats.contains("readings stored               1 of at most 100000"), stats);
        assertTrue(stats.contains("pathpoints with work (lanes)  0"), stats);
    }
}
