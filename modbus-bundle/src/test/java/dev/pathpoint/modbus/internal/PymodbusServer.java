package dev.pathpoint.modbus.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The independent peer: {@code src/test/resources/pymodbus_server.py} on Debian's python3-pymodbus,
 * run with /usr/bin/python3. If pymodbus is not installed the tests fail (CI installs it).
 */
final class PymodbusServer implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";

    private final List<String> arguments;
    private final Path log;
    private Process process;

    private PymodbusServer(List<String> arguments) throws IOException {
        this.arguments = arguments;
        this.log = Files.createTempFile("pymodbus-", ".log");
    }

    /** Checks that python3 with pymodbus is there, failing the test with a clear message if not. */
    static void requirePymodbus() throws IOException, InterruptedException {
        Process check = new ProcessBuilder(PYTHON, "-c", "import pymodbus, serial").redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertEquals(0, check.waitFor(), "pymodbus tests need " + PYTHON + " with python3-pymodbus and python3-serial "
                + "(apt-get install -y python3-pymodbus python3-serial): " + output);
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /** Starts a TCP-family server (tcp, rtu-over-tcp) and waits until it accepts connections. */
    static PymodbusServer tcp(String mode, int port) throws Exception {
        PymodbusServer server = new PymodbusServer(List.of(mode, String.valueOf(port)));
        server.start();
        server.awaitListening(port);
        return server;
    }

    /** Starts a server without waiting (udp, serial): the caller polls with real requests. */
    static PymodbusServer unchecked(String... arguments) throws Exception {
        PymodbusServer server = new PymodbusServer(List.of(arguments));
        server.start();
        return server;
    }

    void start() throws IOException, InterruptedException {
        requirePymodbus();
        List<String> command = new ArrayList<>(List.of(PYTHON, script().toString()));
        command.addAll(arguments);
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    void awaitListening(int port) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("pymodbus server exited: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Kills the server at once, as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    private static Path script() {
        try {
            return Paths.get(PymodbusServer.class.getResource("/pymodbus_server.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        Files.deleteIfExists(log);
    }
}
