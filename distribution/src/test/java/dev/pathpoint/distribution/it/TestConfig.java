package dev.pathpoint.distribution.it;

import dev.pathpoint.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/** Copies of the distribution's configuration for tests. */
public final class TestConfig {
    private TestConfig() {
    }

    /** The assembled runtime, built by the package phase before the integration tests run. */
    public static Path runtimeDir() {
        return Paths.get(System.getProperty("pathpoint.runtime.dir", "target/pathpoint")).toAbsolutePath();
    }

    /**
     * A fresh copy of the distribution's default configuration, for one test to change at will, with
     * the simulator and the HTTP service moved from their default ports to free ones so that tests
     * never meet a running runtime.
     */
    public static Path copyOfDefaultConfig() {
        try {
            return copyOfConfig(runtimeDir().resolve("conf"), FreePorts.pick(), FreePorts.pick());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path copyOfConfig(Path conf, int simulatorPort, int httpPort) throws IOException {
        Path copy = Files.createTempDirectory("pathpoint-it-conf");
        try (Stream<Path> files = Files.list(conf)) {
            for (Path file : files.toList()) {
                String text = Files.readString(file).replace("port=I\"5020\"", "port=I\"" + simulatorPort + "\"")
                        .replace(HTTP_PORT + "=\"8181\"", HTTP_PORT + "=\"" + httpPort + "\"");
                Files.writeString(copy.resolve(file.getFileName()), text);
            }
        }
        return copy;
    }

    /** The HTTP service's port property (Felix HTTP Jetty), as conf/org.apache.felix.http.config sets it. */
    public static final String HTTP_PORT = "org.osgi.service.http.port";

    /** The HTTP port a copy of the configuration gives the HTTP service. */
    public static int httpPort(Path configDir) {
        try {
            java.util.regex.Matcher port = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(HTTP_PORT) + "=\"(\\d+)\"")
                    .matcher(Files.readString(configDir.resolve("org.apache.felix.http.config")));
            if (!port.find()) {
                throw new IllegalStateException("no " + HTTP_PORT + " in " + configDir.resolve("org.apache.felix.http.config"));
            }
            return Integer.parseInt(port.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


}
