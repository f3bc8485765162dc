package dev.pathpoint.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * Debian's python3-pymodbus 3.0.0 as an independent Modbus TCP server (none of us wrote it), run with
 * /usr/bin/python3 from a script shipped in the benchmark jar.
 */
final class PymodbusServer implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    private static final long START_TIMEOUT_MILLIS = 20_000;

    private final Process process;
    private final Path script;
    private final Path log;
    private final int port;

    private PymodbusServer(Process process, Path script, Path log, int port) {
        this.process = process;
        this.script = script;
        this.log = log;
        this.port = port;
    }

    /** Whether /usr/bin/python3 can import pymodbus; prints why not when it cannot. */
    static boolean available() {
        try {
            Process check = new ProcessBuilder(PYTHON, "-c", "import pymodbus").redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes());
            if (check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0) {
                return true;
            }
            System.out.println("NOTE: " + PYTHON + " has no pymodbus (apt-get install -y python3-pymodbus): " + output.trim());
            return false;
        } catch (IOException e) {
            System.out.println("NOTE: cannot run " + PYTHON + ": " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts a server with holding registers 0..registers-1 on unit 1 and waits until it accepts connections. */
    static PymodbusServer start(int registers) throws IOException, InterruptedException {
        int port = freePort();
        Path script = Files.createTempFile("pymodbus-bench-", ".py");
        try (InputStream source = PymodbusServer.class.getResourceAsStream("/pymodbus_bench_server.py")) {
            if (source == null) {
                throw new IllegalStateException("pymodbus_bench_server.py is missing from the benchmark jar");
            }
            Files.copy(source, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path log = Files.createTempFile("pymodbus-bench-", ".log");
        Process process = new ProcessBuilder(PYTHON, script.toString(), String.valueOf(port), String.valueOf(registers))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PymodbusServer server = new PymodbusServer(process, script, log, port);
        try {
            server.awaitListening();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    int port() {
        return port;
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pymodbus server exited: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                // polling a process we started: it binds within a second or two
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException("pymodbus server did not listen on port " + port + " within "
                + START_TIMEOUT_MILLIS + " ms: " + Files.readString(log));
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
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
        Files.deleteIfExists(script);
        Files.deleteIfExists(log);
    }
}
