package dev.pathpoint.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Modbus server nobody on the team wrote: a script on Debian's python3-pymodbus 3.0.0 (run with
 * {@value #PYTHON}; its sequential blocks need {@code zero_mode=True}), in a process of its own. The
 * script is the caller's (each test knows the register image it needs) and is passed as a resource
 * URL, so it may come from a directory, a jar or a bundle. The server can be killed (SIGKILL) and
 * started again on the same port, or frozen (SIGSTOP) and thawed (SIGCONT). Used by the Modbus
 * bundle's tests, the benchmarks and the distribution's tests.
 */
public final class PymodbusServer implements AutoCloseable {
    public static final String PYTHON = "/usr/bin/python3";
    private static final long START_LIMIT_MILLIS = 20_000;

    private final List<String> command;
    /** Where it listens for TCP, or -1 for a server that does not (UDP, serial). */
    private final int port;
    private final Path script;
    private final Path log;
    private Process process;

    private PymodbusServer(Path script, int port, List<String> arguments) throws IOException {
        this.script = script;
        this.port = port;
        this.log = Files.createTempFile("pathpoint-pymodbus-", ".log");
        this.command = new ArrayList<>(List.of(PYTHON, script.toString()));
        this.command.addAll(arguments);
    }

    /**
     * Why pymodbus servers cannot run here, or null if they can: {@value #PYTHON} must import pymodbus
     * and the other Python modules named (e.g. {@code serial} for an RTU server).
     */
    public static String unavailable(String... modules) {
        List<String> needed = new ArrayList<>(List.of("pymodbus"));
        needed.addAll(List.of(modules));
        String imports = String.join(", ", needed);
        try {
            Process check = new ProcessBuilder(PYTHON, "-c", "import " + imports).redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes()).trim();
            if (check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0) {
                return null;
            }
            return PYTHON + " cannot import " + imports + " (apt-get install -y python3-" + String.join(" python3-", needed)
                    + "): " + output;
        } catch (IOException e) {
            return "cannot run " + PYTHON + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking " + PYTHON;
        }
    }

    /** Fails with {@link #unavailable}'s reason if pymodbus servers cannot run here. */
    public static void require(String... modules) {
        String problem = unavailable(modules);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /**
     * Starts {@code script} with the arguments (each turned into text) and waits until it accepts TCP
     * connections on 127.0.0.1:{@code port}.
     */
    public static PymodbusServer start(URL script, int port, Object... arguments) throws IOException, InterruptedException {
        return started(new PymodbusServer(copy(script), port, texts(arguments)));
    }

    /** Starts {@code script} without waiting, for a server with no TCP port (UDP, serial): poll it with real requests. */
    public static PymodbusServer startUnchecked(URL script, Object... arguments) throws IOException, InterruptedException {
        return started(new PymodbusServer(copy(script), -1, texts(arguments)));
    }

    private static PymodbusServer started(PymodbusServer server) throws IOException, InterruptedException {
        try {
            require();
            server.launch();
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The TCP port it listens on (as given to {@link #start}). */
    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: the process dies at once, as in a crash, and the kernel resets its connections. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pymodbus server " + process.pid() + " survived SIGKILL");
        }
    }

    /** Starts the server again with the same command (and port) after {@link #kill()}, waiting until it listens. */
    public void restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            throw new IllegalStateException("pymodbus server " + process.pid() + " still runs");
        }
        launch();
    }

    /** SIGSTOP: a frozen device. Its connections stay open, the kernel even accepts new ones; nothing answers. */
    public void freeze() throws InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: answers again. */
    public void thaw() throws InterruptedException {
        signal("CONT");
    }

    /** What the server printed so far (all its runs). */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the server (frozen or not) and removes its files. */
    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(script);
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (port < 0) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_LIMIT_MILLIS);
        while (!accepts(port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pymodbus server " + command + " exited with " + process.exitValue() + ": " + log());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("pymodbus server " + command + " did not listen on port " + port + " within "
                        + START_LIMIT_MILLIS + " ms: " + log());
            }
            // polling a process that binds within a second or two; returns at once if it exits
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private void signal(String name) throws InterruptedException {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file copy of the script: python needs a path, and a resource in a jar or a bundle has none. */
    private static Path copy(URL script) throws IOException {
        if (script == null) {
            throw new IllegalArgumentException("no pymodbus script: its resource was not found");
        }
        Path copy = Files.createTempFile("pathpoint-pymodbus-", ".py");
        try (InputStream in = script.openStream()) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }

    private static List<String> texts(Object... arguments) {
        List<String> texts = new ArrayList<>();
        for (Object argument : arguments) {
            texts.add(String.valueOf(argument));
        }
        return texts;
    }

}
