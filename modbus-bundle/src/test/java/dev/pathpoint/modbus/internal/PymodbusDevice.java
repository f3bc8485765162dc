package dev.pathpoint.modbus.internal;

import dev.pathpoint.testing.PymodbusServer;
import java.net.URL;

/**
 * The independent device of the Modbus tests: {@code src/test/resources/pymodbus_server.py} (its
 * register image is described there) on the shared {@link PymodbusServer}. If pymodbus is not
 * installed the tests fail, saying what to install.
 */
final class PymodbusDevice {
    private static final URL SCRIPT = PymodbusDevice.class.getResource("/pymodbus_server.py");

    private PymodbusDevice() {
    }

    /** A server on a TCP port ({@code framing} is {@code tcp} or {@code rtu-over-tcp}), accepting connections. */
    static PymodbusServer tcp(String framing, int port) throws Exception {
        return PymodbusServer.start(SCRIPT, port, framing, port);
    }

    /** A UDP server: it accepts no connections, so the caller polls it with real requests. */
    static PymodbusServer udp(int port) throws Exception {
        return PymodbusServer.startUnchecked(SCRIPT, "udp", port);
    }

    /** An RTU server on a serial device; the caller polls it with real requests. */
    static PymodbusServer serial(String device, int baudRate) throws Exception {
        PymodbusServer.require("serial");
        return PymodbusServer.startUnchecked(SCRIPT, "serial", device, baudRate);
    }
}
