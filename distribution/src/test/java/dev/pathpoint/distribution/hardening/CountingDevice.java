package dev.pathpoint.distribution.hardening;

import dev.pathpoint.distribution.it.TestConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A Modbus TCP device that counts writes: pymodbus 3.0.0 under {@code /usr/bin/python3}, unit
 * {@value #UNIT}, holding registers 0..9999, each register write logged to a file (see
 * {@code mqtt/counting_device.py}). It outlives the gateway, so writes are counted across a kill -9.
 */
public final class CountingDevice implements AutoCloseable {
    public static final int UNIT = 7;
    private static final Duration START_LIMIT = Duration.ofSeconds(20);
    private final int port;
    private final Path log;
    private final Process process;

    private CountingDevice(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    public static CountingDevice start() throws IOException {
        Path script = Files.createTempFile("pathpoint-counting-device", ".py");
        try (InputStream in = CountingDevice.class.getResourceAsStream("/mqtt/counting_device.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path log = Files.createTempFile("pathpoint-counting-device", ".writes");
        Path output = Files.createTempFile("pathpoint-counting-device", ".log");
        int port = TestConfig.freePort();
        Process process = new ProcessBuilder(List.of(ModbusDevice.PYTHON, script.toString(), String.valueOf(port),
                log.toString())).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        long end = System.nanoTime() + START_LIMIT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("counting device exited with " + process.exitValue() + ": "
                        + Files.readString(output) + " (needs " + ModbusDevice.PYTHON + " with python3-pymodbus 3.0.0)");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new CountingDevice(port, log, process);
            } catch (IOException notYet) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("counting device did not listen on " + port + " within " + START_LIMIT);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    public int port() {
        return port;
    }

    /** How often each (address, value) was written, from the device's log. */
    public Map<String, Integer> writes() {
        Map<String, Integer> counts = new HashMap<>();
        try {
            for (String line : Files.readAllLines(log)) {
                if (!line.isBlank()) {
                    counts.merge(line.trim(), 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counts;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
