package dev.pathpoint.mqtt.internal.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.mqtt.internal.LinkConfigs;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every bad setting is refused with its property's name and what is wrong. */
class LinkSettingsTest {
    private static final Path ROOT = Path.of("/var/lib/pathpoint/journal");

    private static LinkSettings settings(Map<String, Object> values) {
        Map<String, Object> all = new HashMap<>(Map.of("gatewayId", "gw1"));
        all.putAll(values);
        return LinkSettings.from(LinkConfigs.of(all), ROOT);
    }

    private static void refused(String property, Map<String, Object> values) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings(values));
        assertTrue(e.getMessage().startsWith(property), e.getMessage());
    }

    @Test
    void defaultsMakeAPlainLinkToTheLocalBroker() {
        LinkSettings settings = settings(Map.of());
        assertEquals("mqtt://localhost:1883", settings.endpoint());
        assertEquals("pathpoint/gw1/sections", settings.topic("sections"));
        assertEquals(ROOT.resolve("gw1"), settings.journalDirectory());
        assertEquals(8 * 1024 * 1024, settings.segmentBytes());
        assertEquals("mqtts://broker:8883", settings(Map.of("host", "broker", "tls", true)).endpoint());
        assertTrue(!settings(Map.of("password", "secret")).toString().contains("secret"), "no password in logs");
    }

    @Test
    void badValuesNameTheirProperty() {
        refused("gatewayId is missing", Map.of("gatewayId", " "));
        refused("gatewayId 'a/b'", Map.of("gatewayId", "a/b"));
        refused("gatewayId", Map.of("gatewayId", "x".repeat(129)));
        refused("host is empty", Map.of("host", ""));
        refused("port 70000", Map.of("port", 70000));
        refused("topicPrefix 'a/+'", Map.of("topicPrefix", "a/+"));
        refused("topicPrefix '/a'", Map.of("topicPrefix", "/a"));
        refused("topicPrefix '$SYS'", Map.of("topicPrefix", "$SYS"));
        refused("tlsTrustStore or tlsKeyStore is set but tls is false", Map.of("tlsTrustStore", "/etc/ca.pem"));
        refused("maxDocumentBytes", Map.of("maxDocumentBytes", 9 * 1024 * 1024));
        refused("receiveMaximum", Map.of("receiveMaximum", 0));
        refused("maxReconnectDelayMillis", Map.of("reconnectDelayMillis", 5000, "maxReconnectDelayMillis", 100));
        refused("journalMaxMegabytes 16 is too small", Map.of("journalMaxMegabytes", 16));
        refused("baobEventTopic", Map.of("baobEventTopic", "bad topic"));
        refused("valuesPattern is not a regular expression", Map.of("valuesPattern", "(unclosed"));
        refused("sessionExpirySeconds", Map.of("sessionExpirySeconds", -1L));
    }

    @Test
    void aLargeDocumentLimitMakesLargerSegments() {
        LinkSettings settings = settings(Map.of("maxDocumentBytes", 8 * 1024 * 1024, "journalMaxMegabytes", 256));
        assertEquals(17 * 1024 * 1024, settings.segmentBytes(), "two documents and their frames fit in a segment");
    }
}
