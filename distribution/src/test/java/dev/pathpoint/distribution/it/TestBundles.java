package dev.pathpoint.distribution.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Bundles the build puts beside the runtime for the tests only. */
public final class TestBundles {
    private TestBundles() {
    }

    /** The MQTT test fixtures (mosquitto launcher, test CA, central client), copied to target/test-bundles. */
    public static Path mqttTesting() {
        Path dir = TestConfig.runtimeDir().getParent().resolve("test-bundles");
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("dev.pathpoint.mqtt.testing")).findFirst()
                    .orElseThrow(() -> new AssertionError("no dev.pathpoint.mqtt.testing jar in " + dir));
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dir + " (the package phase copies the test bundles): " + e);
        }
    }
}
