package dev.pathpoint.modbus.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A TCP server that answers each MBAP request frame with whatever bytes the test scripts (or nothing). */
final class ScriptedServer implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Function<byte[], byte[]> script;

    /** @param script from the request frame (MBAP header and PDU) to the raw reply, or null for silence */
    ScriptedServer(Function<byte[], byte[]> script) throws IOException {
        this.script = script;
        Thread acceptor = new Thread(this::accept, "scripted-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int accepted() {
        return accepted.get();
    }

    private void accept() {
        try {
            while (true) {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                clients.add(socket);
                Thread thread = new Thread(() -> serve(socket), "scripted-client");
                thread.setDaemon(true);
                thread.start();
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serve(Socket socket) {
        try (socket; DataInputStream in = new DataInputStream(socket.getInputStream())) {
            while (true) {
                byte[] header = new byte[7];
                in.readFully(header);
                int length = ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
                byte[] frame = new byte[6 + length];
                System.arraycopy(header, 0, frame, 0, 7);
                in.readFully(frame, 7, length - 1);
                byte[] reply = script.apply(frame);
                if (reply != null) {
                    socket.getOutputStream().write(reply);
                    socket.getOutputStream().flush();
                }
            }
        } catch (IOException e) {
            // client left or server closed
        } finally {
            clients.remove(socket);
        }
    }

    /** A reply echoing the request's MBAP header, with the given PDU. */
    static byte[] reply(byte[] request, byte... pdu) {
        byte[] reply = new byte[7 + pdu.length];
        System.arraycopy(request, 0, reply, 0, 7);
        reply[4] = (byte) ((pdu.length + 1) >> 8);
        reply[5] = (byte) (pdu.length + 1);
        System.arraycopy(pdu, 0, reply, 7, pdu.length);
        return reply;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket client : clients) {
            client.close();
        }
    }
}
