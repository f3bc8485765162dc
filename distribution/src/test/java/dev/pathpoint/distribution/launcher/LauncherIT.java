package dev.pathpoint.distribution.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pathpoint.distribution.it.BundleJars;
import dev.pathpoint.distribution.it.TestConfig;
import dev.pathpoint.distribution.it.chatty.ChattyDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The launcher as users script it: {@code --exec} with its exit codes, and the interactive runtime
 * surviving a {@code reboot}.
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
    }

    @Test
    public void rebootRestartsTheRuntimeAndTheShellComesBack() throws Exception {
        Path storage = folder.newFolder("cache").toPath();
        try (RuntimeProcess runtime = RuntimeProcess.startScript("--config", config.toString(), "--storage", storage.toString())) {
            // the shell comes up before the components: wait until the engine has its driver
            runtime.awaitStderr(DRIVER_READY, 1, LIMIT);
            runtime.type("pathpoint:read W1r0");
            runtime.awaitStdout("done = 1200", 1, LIMIT);
            runtime.type("pathpoint:sysctl reboot");
            runtime.awaitStderr("pathpoint: restarting", 1, LIMIT);
            runtime.awaitStderr(DRIVER_READY, 2, LIMIT);
            runtime.type("pathpoint:read W1r0");
            runtime.awaitStdout("done = 1200", 2, LIMIT);
            runtime.type("stop 0");
            assertEquals(0, runtime.awaitExit(LIMIT));
        }
    }
}
