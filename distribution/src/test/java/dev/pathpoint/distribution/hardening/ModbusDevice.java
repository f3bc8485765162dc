package dev.pathpoint.distribution.hardening;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Modbus TCP device in its own process: pymodbus 3.0.0 under {@code /usr/bin/python3}, with
 * holding registers {@code value = unit * 1000 + address} (see {@code hardening/modbus_device.py}).
 * It can be killed (SIGKILL) and started again on the same port, or frozen (SIGSTOP) and thawed
 * (SIGCONT).
 */
final class ModbusDevice implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    private static final Duration START_LIMIT = Duration.ofSeconds(20);

    private final int port;
    private final String units;
    private final Path script;
    private final Path log;
    private Process process;

    private ModbusDevice(int port, String units) throws IOException {
        this.port = port;
        this.units = units;
        this.script = script();
        this.log = Files.createTempFile("pathpoint-hardening-device-" + port, ".log");
    }

    /** Starts a device serving the given unit ids on a free loopback port, and waits until it listens. */
    static ModbusDevice start(int... unitIds) throws IOException {
        StringBuilder units = new StringBuilder();
        for (int unit : unitIds) {
            units.append(units.length() == 0 ? "" : ",").append(unit);
        }
        ModbusDevice device = new ModbusDevice(dev.pathpoint.distribution.it.TestConfig.freePort(), units.toString());
        device.launch();
        return device;
    }

    /** The value every device of these tests holds at a holding register. */
    static int valueAt(int unit, int address) {
        return unit * 1000 + address;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: the process dies at once, the kernel resets its connections. */
    void kill() throws InterruptedException {
        signal("KILL");
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("device process " + process.pid() + " survived SIGKILL");
        }
    }

    /** Starts the device again on the same port after {@link #kill()}. */
    void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("device still running");
        }
        launch();
    }

    /** SIGSTOP: a frozen device. Connections stay open, the kernel even accepts new ones; nothing answers. */
    void freeze() throws InterruptedException {
        signal("STOP");
    }

    /** SIGCONT. */
    void thaw() throws InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws InterruptedException {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(List.of(PYTHON, script.toString(), String.valueOf(port), units))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long end = System.nanoTime() + START_LIMIT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("pymodbus device exited with " + process.exitValue() + ": "
                        + Files.readString(log) + " (needs " + PYTHON + " with python3-pymodbus 3.0.0)");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("pymodbus device did not listen on " + port + " within " + START_LIMIT);
                }
                // the probe connect itself waits up to 200 ms (refused is immediate): poll again
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                // a frozen process dies on SIGKILL too
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Path script() throws IOException {
        try (InputStream in = ModbusDevice.class.getResourceAsStream("/hardening/modbus_device.py")) {
            if (in != null) {
                Path copy = Files.createTempFile("pathpoint-modbus-device", ".py");
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                return copy;
            }
        }
        Path source = Paths.get("src/test/resources/hardening/modbus_device.py").toAbsolutePath();
        if (!Files.exists(source)) {
            throw new AssertionError("hardening/modbus_device.py not found");
        }
        return source;
    }
}
