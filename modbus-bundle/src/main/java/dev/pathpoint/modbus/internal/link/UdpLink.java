package dev.pathpoint.modbus.internal.link;

import dev.pathpoint.api.failure.OperationFailedReason;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * Modbus over UDP: one MBAP frame per datagram. There is no connection to reset, so a datagram with
 * another transaction id (a late answer to a request that timed out) is dropped, counted, and the wait
 * goes on until the deadline; a datagram with the right id that is not a valid frame is MALFORMED.
 */
public final class UdpLink implements ModbusLink {
    private final String host;
    private final int port;
    private final LinkCounters counters;
    private volatile DatagramSocket socket;
    private int transactionId;

    public UdpLink(String host, int port, LinkCounters counters) {
        this.host = host;
        this.port = port;
        this.counters = counters;
    }

    @Override
    public void open() throws LinkFailure {
        close();
        try {
            DatagramSocket fresh = new DatagramSocket();
            fresh.connect(new InetSocketAddress(host, port));
            socket = fresh;
        } catch (IOException e) {
            throw new LinkFailure(OperationFailedReason.TIMEOUT, "cannot open a UDP socket to " + describe() + ": " + e, true, e);
        }
    }

    @Override
    public byte[] exchange(int unit, byte[] requestPdu, int timeoutMillis) throws LinkFailure {
        DatagramSocket current = socket;
        try {
            if (current == null || current.isClosed()) {
                open();
                current = socket;
            }
            transactionId = (transactionId + 1) & 0xFFFF;
            byte[] frame = Mbap.frame(transactionId, unit, requestPdu);
            current.send(new DatagramPacket(frame, frame.length));
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            byte[] buffer = new byte[300];
            while (true) {
                long remaining = (deadline - System.nanoTime()) / 1_000_000L;
                if (remaining <= 0) {
                    throw LinkFailure.timeout("no answer from " + describe() + " within " + timeoutMillis + " ms", false);
                }
                current.setSoTimeout((int) Math.max(1, remaining));
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    current.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                int length = packet.getLength();
                if (length < 8 || Mbap.u16(buffer, 0) != transactionId) {
                    counters.staleFrame();
                    continue;
                }
                if (Mbap.u16(buffer, 2) != 0 || Mbap.u16(buffer, 4) != length - 6) {
                    throw new LinkFailure(OperationFailedReason.MALFORMED, "datagram from " + describe()
                            + " has a bad MBAP header", false, null);
                }
                if ((buffer[6] & 0xFF) != unit) {
                    throw new LinkFailure(OperationFailedReason.MALFORMED, "answer from " + describe() + " is from unit "
                            + (buffer[6] & 0xFF) + ", expected " + unit, false, null);
                }
                return Arrays.copyOfRange(buffer, 7, length);
            }
        } catch (IOException e) {
            close();
            throw new LinkFailure(OperationFailedReason.TIMEOUT, "I/O error on " + describe() + ": " + e, true, e);
        }
    }

    @Override
    public boolean isOpen() {
        DatagramSocket current = socket;
        return current != null && !current.isClosed();
    }

    @Override
    public void close() {
        DatagramSocket current = socket;
        socket = null;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public String describe() {
        return "udp:" + host + ":" + port;
    }
}
