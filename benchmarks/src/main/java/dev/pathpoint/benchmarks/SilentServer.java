package dev.pathpoint.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A dead device: a TCP server that accepts connections and reads requests but never answers, so
 * every transaction to it ends in the client's timeout.
 */
final class SilentServer implements AutoCloseable {
    private final ServerSocket server;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytesIgnored = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    SilentServer() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        acceptor = new Thread(this::accept, "silent-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Request bytes received and left unanswered. */
    long bytesIgnored() {
        return bytesIgnored.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                clients.add(client);
                Thread reader = new Thread(() -> swallow(client), "silent-server-client");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                if (!closed) {
                    System.out.println("silent server: accept failed: " + e);
                }
                return;
            }
        }
    }

    /** Reads and drops what the client sends (so its buffers never fill) until it hangs up. */
    private void swallow(Socket client) {
        byte[] buffer = new byte[512];
        try (client; InputStream in = client.getInputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                bytesIgnored.addAndGet(read);
            }
        } catch (IOException e) {
            // the client hung up or we are closing
        } finally {
            clients.remove(client);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket client : clients) {
            client.close();
        }
    }
}
