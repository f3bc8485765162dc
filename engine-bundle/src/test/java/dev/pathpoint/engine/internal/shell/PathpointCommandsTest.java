package dev.pathpoint.engine.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.Files;
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
    }

    @Test
    void aBadAdviseLevelIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.read("W1r0", "maybe"));
        assertEquals("advise level 'maybe' is not advise, force, 0 or 1", e.getMessage());
        assertEquals(AdviseLevel.FORCE, PathpointCommands.adviseLevel("Force"));
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
    }
}
