package dev.pathpoint.distribution.hardening;

import dev.pathpoint.testing.FreePorts;
import dev.pathpoint.testing.PymodbusServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A Modbus TCP device that counts writes: {@code mqtt/counting_device.py} on the shared
 * {@link PymodbusServer}, unit {@value #UNIT}, holding registers 0..9999, each register write logged
 * to a file. It outlives the gateway, so writes are counted across a kill -9.
 */
public final class CountingDevice implements AutoCloseable {
    public static final int UNIT = 7;
    private final PymodbusServer server;
    private final Path log;

    private CountingDevice(PymodbusServer server, Path log) {
        this.server = server;
        this.log = log;
    }

    public static CountingDevice start() throws IOException, InterruptedException {
        Path log = Files.createTempFile("pathpoint-counting-device", ".writes");
        int port = FreePorts.pick();
        return new CountingDevice(PymodbusServer.start(CountingDevice.class.getResource("/mqtt/counting_device.py"), port, port, log),
                log);
    }

    public int port() {
        return server.port();
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
        server.close();
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
