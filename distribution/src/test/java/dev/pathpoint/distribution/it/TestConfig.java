package dev.pathpoint.distribution.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/** Copies of the distribution's configuration for tests, and free ports. */
public final class TestConfig {
    private TestConfig() {
    }

    /** The assembled runtime, built by the package phase before the integration tests run. */
    public static Path runtimeDir() {
        return Paths.get(System.getProperty("pathpoint.runtime.dir", "target/pathpoint")).toAbsolutePath();
    }

    /**
     * A fresh copy of the distribution's default configuration, for one test to change at will, with
     * the simulator moved from its default port to a free one so that tests never meet a running
     * runtime.
     */
    public static Path copyOfDefaultConfig() {
        try {
            return copyOfConfig(runtimeDir().resolve("conf"), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path copyOfConfig(Path conf, int simulatorPort) throws IOException {
        Path copy = Files.createTempDirectory("pathpoint-it-conf");
        try (Stream<Path> files = Files.list(conf)) {
            for (Path file : files.toList()) {
                String text = Files.readString(file).replace("port=I\"5020\"", "port=I\"" + simulatorPort + "\"");
                Files.writeString(copy.resolve(file.getFileName()), text);
            }
        }
        return copy;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

}
