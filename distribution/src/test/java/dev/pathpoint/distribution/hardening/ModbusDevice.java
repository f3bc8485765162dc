package dev.pathpoint.distribution.hardening;

import dev.pathpoint.testing.FreePorts;
import dev.pathpoint.testing.PymodbusServer;
import java.io.IOException;
import java.net.URL;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The hardening tests' Modbus TCP device: {@code hardening/modbus_device.py} on the shared
 * {@link PymodbusServer} (a process of its own that can be killed, restarted, frozen and thawed), with
 * holding registers {@code value = unit * 1000 + address}.
 */
final class ModbusDevice {
    private static final URL SCRIPT = ModbusDevice.class.getResource("/hardening/modbus_device.py");

    private ModbusDevice() {
    }

    /** Starts a device serving the given unit ids on a free loopback port, and waits until it listens. */
    static PymodbusServer start(int... unitIds) throws IOException, InterruptedException {
        String units = Arrays.stream(unitIds).mapToObj(String::valueOf).collect(Collectors.joining(","));
        int port = FreePorts.pick();
        return PymodbusServer.start(SCRIPT, port, port, units);
    }

    /** The value every device of these tests holds at a holding register. */
    static int valueAt(int unit, int address) {
        return unit * 1000 + address;
    }
}
