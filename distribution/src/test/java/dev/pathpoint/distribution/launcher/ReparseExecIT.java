package dev.pathpoint.distribution.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pathpoint.distribution.it.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Reparse pathpoints as a user runs them: {@code --exec} of a document against the default
 * simulator (holding registers 0..9 hold 1200, 1, 2, ... 9; a float 3.5 in 100-101).
 */
public class ReparseExecIT {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void reparseReadsAreComputedFromTheSimulatorsRegisters() throws Exception {
        Path config = TestConfig.copyOfDefaultConfig();
        Path file = folder.newFile().toPath();
        Files.writeString(file, """
                [{"orders": [
                    {"type": "read", "path": "rf{W1r0}*0.1+2", "advise": 1},
                    {"type": "read", "path": "rW{W1r1}+{W1r2}*{W1r3}", "advise": 1},
                    {"type": "read", "path": "ru'high' if {f1r100} > 3 else 'low'", "advise": 1},
                    {"type": "read", "path": "rf{rW{W1r4}+{W1r5}}/2", "advise": 1}]},
                 {"orders": [
                    {"type": "read", "path": "rf{W1r0}*(2+", "advise": 1},
                    {"type": "write", "path": "rf{W1r0}", "value": 1, "advise": 1}]}]
                """);
        try (RuntimeProcess runtime = RuntimeProcess.start("--config", config.toString(), "--exec", file.toString())) {
            assertEquals(runtime.stderr(), 1, runtime.awaitExit(LIMIT));
            List<String> lines = runtime.stdout().lines().toList();
            assertEquals(runtime.stdout(), 2, lines.size());

            JsonNode computed = JSON.readTree(lines.get(0));
            assertTrue(lines.get(0), computed.get("succeeded").booleanValue());
            JsonNode orders = computed.get("orders");
            assertEquals(122.0, orders.get(0).get("value").doubleValue(), 1e-9);
            assertEquals(7, orders.get(1).get("value").intValue());
            assertEquals("high", orders.get(2).get("value").textValue());
            assertEquals(4.5, orders.get(3).get("value").doubleValue(), 1e-9);

            JsonNode refused = JSON.readTree(lines.get(1));
            assertFalse(refused.get("succeeded").booleanValue());
            for (JsonNode order : refused.get("orders")) {
                assertEquals(lines.get(1), "INVALID", order.get("reason").textValue());
            }
            assertTrue(lines.get(1), refused.get("orders").get(0).get("message").textValue().contains("position"));
            assertTrue(lines.get(1), refused.get("orders").get(1).get("message").textValue().contains("read-only"));
        }
    }
}
