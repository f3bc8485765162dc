package dev.pathpoint.distribution.hardening;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback in front of a device. It can blackhole the link (keep every connection
 * open, swallow every byte in both directions, as a pulled cable or a firewall DROP rule would) and
 * drop every connection (close both sides, as a device reboot or a NAT timeout would).
 */
final class TcpRelay implements AutoCloseable {
    private final int upstreamPort;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean blackholed;
    private volatile boolean closed;

    TcpRelay(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "hardening-relay-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted so far. */
    int connectionsAccepted() {
        return accepted.get();
    }

    /** Client connections open now. */
    int openConnections() {
        return (int) sockets.stream().filter(s -> !s.isClosed()).count() / 2;
    }

    void blackhole(boolean on) {
        blackholed = on;
    }

    /** Closes every relayed connection (both sides); new connections are accepted as before. */
    void dropConnections() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            // registered before it is counted, so a drop that follows a count always reaches it, even
            // while the upstream connect below is still in progress (the pumps then find it closed)
            sockets.add(client);
            accepted.incrementAndGet();
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 2000);
            } catch (IOException e) {
                // the device is down: the client sees its connection closed, as with a refusing device
                closeQuietly(client);
                closeQuietly(upstream);
                sockets.remove(client);
                continue;
            }
            sockets.add(upstream);
            pump(client, upstream, "up");
            pump(upstream, client, "down");
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[4096];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!blackholed) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException endOfConnection) {
                // either side closed: close the other one too
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "hardening-relay-" + direction + "-" + from.getPort());
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        dropConnections();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is best effort
        }
    }
}
