package dev.pathpoint.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Ports for the tests: a free one for a server a test starts (pymodbus, mosquitto, a simulator, a
 * runtime's HTTP service, Karaf), and one that refuses connections, for a device that is down.
 */
public final class FreePorts {
    private FreePorts() {
    }

    /**
     * A TCP port nothing is bound to on any address right now, as the kernel picks one (a UDP server
     * may take it too). Nothing holds it for the caller: start the server on it at once.
     */
    public static int pick() {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port: " + e.getMessage(), e);
        }
    }

    /**
     * A socket bound to a loopback port and never listened on: a connect to its port is refused, and
     * no other process can take the port while the socket is open (as it could take a port
     * {@link #pick()} gave). Close it to let a server bind the port.
     */
    public static Socket refusing() {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket;
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot bind a loopback port: " + e.getMessage(), e);
        }
    }
}
