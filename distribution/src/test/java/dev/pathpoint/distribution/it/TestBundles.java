package dev.pathpoint.distribution.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Bundles the build puts beside the runtime for the tests only (the package phase copies them to target/test-bundles). */
public final class TestBundles {
    private TestBundles() {
    }

    /** The MQTT test fixtures (mosquitto launcher, test CA, central client). */
    public static Path mqttTesting() {
        return find("dev.pathpoint.mqtt.testing-");
    }

    /** The shared test fixtures (free ports, pymodbus servers), which the probes and the MQTT fixtures use. */
    public static Path testing() {
        return find("dev.pathpoint.testing-");
    }

    private static Path find(String prefix) {
        Path dir = TestConfig.runtimeDir().getParent().resolve("test-bundles");
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + prefix + "*.jar in " + dir));
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dir + " (the package phase copies the test bundles): " + e);
        }
    }
}
