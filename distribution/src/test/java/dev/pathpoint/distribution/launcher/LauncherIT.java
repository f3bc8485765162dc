package dev.pathpoint.distribution.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pathpoint.distribution.it.BundleJars;
import dev.pathpoint.distribution.it.TestConfig;
import dev.pathpoint.distribution.it.chatty.ChattyDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The launcher as users script it and service managers run it: the command line, {@code --exec} with
 * its exit codes, SIGTERM, the start script without a terminal, and errors on stderr. The console on
 * a terminal: {@link ConsoleIT}.
 */
public class LauncherIT {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Logged by the engine once the simulator's connection serves pathpoints, after the shell commands exist. */
    private static final String DRIVER_READY = "Driver simulator added";

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();
    private Path config;

    @Before
    public void configurationOnAFreePort() throws Exception {
        config = TestConfig.copyOfDefaultConfig();
    }

    private Path sections(String json) throws Exception {
        Path file = folder.newFile().toPath();
        Files.writeString(file, json.replace('\'', '"'));
        return file;
    }

    @Test
    public void execPrintsOneResultPerSectionAndExitsZeroWhenAllSucceed() throws Exception {
        Path file = sections("""
                [{'orders': [{'type': 'read', 'path': 'W1r0', 'advise': 1}, {'type': 'write', 'path': 'W1r5', 'value': 42, 'advise': 1}]},
                 {'orders': [{'type': 'read', 'path': 'W1r5', 'advise': 1}, {'type': 'wait', 'time': 0.05}], 'disposition': 1}]
                """);
        try (RuntimeProcess runtime = RuntimeProcess.start("--config", config.toString(), "--exec", file.toString())) {
            assertEquals(runtime.stderr(), 0, runtime.awaitExit(LIMIT));
            List<String> lines = runtime.stdout().lines().toList();
            assertEquals(runtime.stdout(), 2, lines.size());
            JsonNode first = JSON.readTree(lines.get(0));
            assertTrue(first.get("succeeded").booleanValue());
            assertEquals(1200, first.get("orders").get(0).get("value").intValue());
            JsonNode second = JSON.readTree(lines.get(1));
            assertEquals("the barrier section reads what the first wrote", 42, second.get("orders").get(0).get("value").intValue());
        }
    }

    @Test
    public void whatBundlesPrintInExecModeGoesToStderrAndStdoutHoldsOnlyResults() throws Exception {
        // a driver bundle that prints to System.out while serving the read: the print happens before
        // the read completes, so it has been printed before the result line is
        BundleJars.chattyDriverBundle(config.resolve("chatty.jar"));
        Path file = sections("{'orders': [{'type': 'read', 'path': 'Wchatty0', 'advise': 1}]}");
        try (RuntimeProcess runtime = RuntimeProcess.start("--config", config.toString(), "--exec", file.toString())) {
            assertEquals(runtime.stderr(), 0, runtime.awaitExit(LIMIT));
            List<String> lines = runtime.stdout().lines().toList();
            assertEquals(runtime.stdout(), 1, lines.size());
            assertEquals(7, JSON.readTree(lines.get(0)).get("orders").get(0).get("value").intValue());
            assertTrue(runtime.stderr(), runtime.stderr().contains(ChattyDriver.CHATTER + "1"));
        }
    }

    @Test
    public void execExitsOneWhenAnOrderFails() throws Exception {
        Path file = sections("{'orders': [{'type': 'read', 'path': 'W1r0'}, {'type': 'sysctl', 'op_type': 'no-such-op'}]}");
        try (RuntimeProcess runtime = RuntimeProcess.start("--config", config.toString(), "--exec", file.toString())) {
            assertEquals(runtime.stderr(), 1, runtime.awaitExit(LIMIT));
            JsonNode result = JSON.readTree(runtime.stdout().lines().findFirst().orElseThrow());
            assertEquals("unhandled", result.get("orders").get(1).get("status").textValue());
        }
    }

    @Test
    public void execRejectsABadDocumentNamingThePlaceAndExitsTwo() throws Exception {
        Path file = sections("{'orders': [{'type': 'read', 'path': 'W1r0'}, {'type': 'write', 'path': 'W1r1'}]}");
        try (RuntimeProcess runtime = RuntimeProcess.start("--config", config.toString(), "--exec", file.toString())) {
            assertEquals(2, runtime.awaitExit(LIMIT));
            assertEquals("", runtime.stdout());
            assertTrue(runtime.stderr(), runtime.stderr().contains("$.orders[1].value: missing"));
        }
    }

    @Test
    public void badArgumentsAreAUsageError() throws Exception {
        try (RuntimeProcess runtime = RuntimeProcess.start("--exec", folder.getRoot().toPath().resolve("absent.json").toString())) {
            assertEquals(64, runtime.awaitExit(LIMIT));
            assertTrue(runtime.stderr(), runtime.stderr().contains("absent.json: not a readable file"));
        }
        Path file = sections("{'orders': []}");
        try (RuntimeProcess runtime = RuntimeProcess.start("--timeout", "5")) {
            assertEquals("--timeout without --exec", 64, runtime.awaitExit(LIMIT));
            assertTrue(runtime.stderr(), runtime.stderr().contains("--timeout applies to --exec runs only"));
        }
        try (RuntimeProcess runtime = RuntimeProcess.start("--exec", file.toString(), "--exec", file.toString())) {
            assertEquals("a second --exec", 64, runtime.awaitExit(LIMIT));
            assertTrue(runtime.stderr(), runtime.stderr().contains("--exec is given twice"));
        }
    }

    @Test
    public void helpIsNoErrorAndDocumentsTheExitStatus() throws Exception {
        try (RuntimeProcess runtime = RuntimeProcess.start("--help")) {
            assertEquals(0, runtime.awaitExit(LIMIT));
            assertTrue(runtime.stdout(), runtime.stdout().startsWith("usage: pathpoint "));
            assertTrue(runtime.stdout(), runtime.stdout().contains("143 stopped by SIGTERM"));
            assertEquals("", runtime.stderr());
        }
    }

    @Test
    public void execDashReadsTheDocumentFromStandardInput() throws Exception {
        byte[] document = "{\"orders\": [{\"type\": \"read\", \"path\": \"W1r0\", \"advise\": 1.0}]}".getBytes(StandardCharsets.UTF_8);
        try (RuntimeProcess runtime = RuntimeProcess.startWithInput(document, "--config", config.toString(), "--exec", "-")) {
            assertEquals(runtime.stderr(), 0, runtime.awaitExit(LIMIT));
            assertEquals(1200, JSON.readTree(runtime.stdout().lines().findFirst().orElseThrow()).get("orders").get(0).get("value").intValue());
        }
        try (RuntimeProcess runtime = RuntimeProcess.startWithInput("{\"orders\": [".getBytes(StandardCharsets.UTF_8),
                "--config", config.toString(), "--exec", "-")) {
            assertEquals(2, runtime.awaitExit(LIMIT));
            assertTrue(runtime.stderr(), runtime.stderr().contains("pathpoint: standard input: $.orders: not valid JSON at line 1, column 13"));
        }
    }

    @Test
    public void aTimeoutSaysHowManySectionsWerePendingAndWhatTheyWaitedFor() throws Exception {
        Path file = sections("""
                [{'orders': [{'type': 'read', 'path': 'W1r0'}]},
                 {'orders': [{'type': 'wait', 'time': 600}]},
                 {'orders': [{'type': 'read', 'path': 'W1r1'}], 'disposition': 1}]
                """);
        try (RuntimeProcess runtime = RuntimeProcess.start("--config", config.toString(), "--exec", file.toString(), "--timeout", "3")) {
            assertEquals(runtime.stderr(), 2, runtime.awaitExit(LIMIT));
            assertEquals("the section that finished has its result line", 1, runtime.stdout().lines().count());
            assertTrue(runtime.stderr(), runtime.stderr().contains("pathpoint: 2 of 3 sections (from section 1 on) did not finish within 3 s; "));
            assertTrue("no guessing: " + runtime.stderr(), !runtime.stderr().contains("is the engine bundle active"));
            // the engine's own account: what is queued or running, and what the wait order waits for
            assertTrue(runtime.stderr(), runtime.stderr().contains("running") && runtime.stderr().contains("wait PT10M"));
        }
    }

    @Test
    public void sigtermStopsTheFrameworkAndAnExecRunPrintsEveryResultLine() throws Exception {
        Path file = sections("""
                [{'orders': [{'type': 'read', 'path': 'W1r0'}]},
                 {'orders': [{'type': 'wait', 'time': 600}, {'type': 'read', 'path': 'W9r0', 'advise': 1}]}]
                """);
        try (RuntimeProcess runtime = RuntimeProcess.start("--config", config.toString(), "--exec", file.toString())) {
            // the first result is out: both sections are running (they join)
            runtime.awaitStdout("\"value\":1200", 1, LIMIT);
            runtime.terminate();
            assertEquals(runtime.stderr(), 143, runtime.awaitExit(LIMIT));
            List<String> lines = runtime.stdout().lines().toList();
            assertEquals(runtime.stdout(), 2, lines.size());
            JsonNode second = JSON.readTree(lines.get(1));
            for (JsonNode order : second.get("orders")) {
                assertEquals(lines.get(1), "SHUTDOWN", order.get("reason").textValue());
            }
            assertTrue(runtime.stderr(), runtime.stderr().contains("pathpoint: stopping"));
            assertTrue("components deactivate: " + runtime.stderr(), runtime.stderr().contains("Driver simulator removed"));
        }
    }

    @Test
    public void withoutATerminalTheRuntimeRunsUntilSigtermAndStopsCleanly() throws Exception {
        Path storage = folder.newFolder("cache").toPath();
        try (RuntimeProcess runtime = RuntimeProcess.start("--config", config.toString(), "--storage", storage.toString())) {
            runtime.awaitStderr(DRIVER_READY, 1, LIMIT);
            assertTrue(runtime.stderr(), runtime.stderr().contains("no terminal, running without a console"));
            runtime.terminate();
            assertEquals(runtime.stderr(), 143, runtime.awaitExit(LIMIT));
            assertTrue("the engine stopped: " + runtime.stderr(), runtime.stderr().contains("Engine stopped"));
            assertTrue("the connection closed: " + runtime.stderr(), runtime.stderr().contains("Driver simulator removed"));
        }
    }

    @Test
    public void theStartScriptHandsSigtermOnToTheRuntime() throws Exception {
        Path storage = folder.newFolder("cache").toPath();
        try (RuntimeProcess script = RuntimeProcess.startScript("--config", config.toString(), "--storage", storage.toString())) {
            script.awaitStderr(DRIVER_READY, 1, LIMIT);
            // SIGTERM to the script alone, as a container runtime sends it to its first process
            script.terminate();
            assertEquals(script.stderr(), 143, script.awaitExit(LIMIT));
            assertTrue(script.stderr(), script.stderr().contains("pathpoint: stopping"));
            assertTrue(script.stderr(), script.stderr().contains("Driver simulator removed"));
        }
    }

    /** The README's unit, pointed at this runtime folder, passes systemd's own check. */
    @Test
    public void theReadmesSystemdUnitIsValid() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        Assume.assumeTrue("systemd-analyze is not installed", Files.isExecutable(analyze));
        String readme = Files.readString(TestConfig.runtimeDir().resolve("../../../README.md").normalize());
        java.util.regex.Matcher unit = java.util.regex.Pattern.compile("(?s)```ini\n(.*?)```").matcher(readme);
        assertTrue("a systemd unit in the README", unit.find());
        assertTrue(unit.group(1), unit.group(1).contains("ExecStart=/opt/pathpoint/pathpoint"));
        Path file = folder.getRoot().toPath().resolve("pathpoint.service");
        Files.writeString(file, unit.group(1).replace("/opt/pathpoint", TestConfig.runtimeDir().toString()));
        Process verify = new ProcessBuilder(analyze.toString(), "verify", file.toString()).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(output, 0, verify.waitFor());
        assertTrue(output, !output.contains("Unknown") && !output.contains("not executable"));
    }

    @Test
    public void configurationErrorsOfScrReachStderr() throws Exception {
        Path storage = folder.newFolder("cache").toPath();
        try (RuntimeProcess runtime = RuntimeProcess.start("--config", config.toString(), "--storage", storage.toString())) {
            runtime.awaitStderr(DRIVER_READY, 1, LIMIT);
            // a new connection whose unit ids do not parse
            Files.writeString(config.resolve("dev.pathpoint.modbus-plc2.config"), "name=\"plc2\"\nhost=\"192.0.2.10\"\nunitIds=\"3,x\"\n");
            runtime.awaitStderr("unitIds", 1, LIMIT);
            // a live edit to a transport that does not exist
            Path simulator = config.resolve("dev.pathpoint.modbus-simulator.config");
            Files.writeString(simulator, Files.readString(simulator).replace("transport=\"TCP\"", "transport=\"TCPX\""));
            runtime.awaitStderr("TCPX", 1, LIMIT);
            List<String> errors = runtime.stderr().lines().filter(line -> line.contains(" ERROR ")).toList();
            assertTrue(runtime.stderr(), errors.stream().anyMatch(line -> line.contains("unitIds")));
            assertTrue(runtime.stderr(), errors.stream().anyMatch(line -> line.contains("TCPX")));
            runtime.terminate();
            assertEquals(143, runtime.awaitExit(LIMIT));
        }
    }
}
