package dev.pathpoint.mqtt.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.connection.ConnectionMonitor;
import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.connection.ConnectionState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@code pathpoint:links} prints. */
class LinkCommandsTest {
    @Test
    void eachLinkWithItsStateErrorAndCounters() {
        LinkCommands commands = new LinkCommands();
        assertTrue(commands.links().startsWith("no MQTT link configured"));
        ConnectionReport refused = new ConnectionReport("gw1", "mqtt", "mqtt://broker:1883", "dev.pathpoint.mqtt~central",
                ConnectionState.BACKING_OFF, Instant.parse("2026-12-01T08:00:00Z"),
                Optional.of(Instant.parse("2026-12-01T08:00:05Z")),
                Optional.of("the broker refused the credentials (bad user name or password)"),
                Map.of("documentsReceived", 3L, "journalBytes", 8388608L));
        ConnectionMonitor monitor = () -> List.of(refused);
        commands.addMonitor(monitor);
        String text = commands.links();
        assertTrue(text.startsWith("link gw1 -> mqtt://broker:1883: BACKING_OFF since 2026-12-01T08:00:00Z, next attempt"
                + " 2026-12-01T08:00:05Z\n"), text);
        assertTrue(text.contains("  last error: the broker refused the credentials"), text);
        assertTrue(text.contains("documentsReceived=3"), text);
        assertTrue(text.contains("journalBytes=8388608"), text);
        commands.removeMonitor(monitor);
        assertEquals("no MQTT link configured (add a dev.pathpoint.mqtt or dev.pathpoint.mqtt.central factory configuration)",
                commands.links());
    }
}
