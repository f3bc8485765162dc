package dev.pathpoint.modbus.internal.link;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A TCP client socket, buffered both ways: one read from the socket takes in every answer that has
 * arrived (pipelined answers come in bursts), and requests written together go out in one segment at
 * {@link #flush()}.
 */
public final class SocketStream implements TimedStream {
    /** The received bytes, and how many of them are still to be read. */
    private static final class ReadBuffer extends BufferedInputStream {
        ReadBuffer(InputStream socketInput) {
            super(socketInput, 8192);
        }

        synchronized int buffered() {
            return count - pos;
        }
    }

    private final String host;
    private final int port;
    private volatile Socket socket;
    private ReadBuffer input;
    private OutputStream output;

    public SocketStream(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public void open(int connectTimeoutMillis) throws IOException {
        close();
        Socket fresh = new Socket();
        try {
            fresh.setTcpNoDelay(true);
            fresh.setKeepAlive(true);
            fresh.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            input = new ReadBuffer(fresh.getInputStream());
            output = new BufferedOutputStream(fresh.getOutputStream(), 4096);
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
        socket = fresh;
    }

    @Override
    public boolean isOpen() {
        Socket current = socket;
        return current != null && !current.isClosed();
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        output.write(bytes);
    }

    @Override
    public void flush() throws IOException {
        output.flush();
    }

    @Override
    public int read(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException {
        socket.setSoTimeout(Math.max(1, timeoutMillis));
        try {
            int count = input.read(buffer, offset, length);
            if (count < 0) {
                throw new EOFException("connection closed by " + describe());
            }
            return count;
        } catch (SocketTimeoutException e) {
            return 0;
        }
    }

    @Override
    public int buffered() {
        ReadBuffer current = input;
        return current == null ? 0 : current.buffered();
    }

    @Override
    public int discardInput() throws IOException {
        int available;
        int dropped = 0;
        byte[] sink = new byte[256];
        while ((available = input.available()) > 0) {
            int count = input.read(sink, 0, Math.min(available, sink.length));
            if (count < 0) {
                throw new EOFException("connection closed by " + describe());
            }
            dropped += count;
        }
        return dropped;
    }

    @Override
    public void close() {
        Socket current = socket;
        socket = null;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // closing anyway; nothing more to do with this socket
            }
        }
    }

    @Override
    public String describe() {
        return host + ":" + port;
    }
}
