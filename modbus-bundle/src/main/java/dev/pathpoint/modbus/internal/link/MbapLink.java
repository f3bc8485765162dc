package dev.pathpoint.modbus.internal.link;

import dev.pathpoint.api.failure.OperationFailedReason;
import java.io.EOFException;
import java.io.IOException;

/**
 * Modbus TCP: the MBAP header (transaction id, protocol 0, length, unit) before each PDU. Answers are
 * matched to requests by transaction id, so several requests may be outstanding at once
 * ({@link #send} and {@link #receive}), and a frame whose id nobody waits for any more (the late answer
 * to a request that timed out) is dropped and counted, keeping the connection. Frames are assembled
 * across waits: a frame half received when a wait ends is completed by the next one, so the stream
 * never falls out of step. Only a header that is not Modbus (protocol id, length) closes the link.
 */
public final class MbapLink implements ModbusLink {
    /** Largest PDU Modbus allows (253) plus the unit byte the MBAP length counts. */
    private static final int MAX_LENGTH_FIELD = 254;
    private static final int HEADER = 7;

    private final TimedStream stream;
    private final int connectTimeoutMillis;
    private final LinkCounters counters;
    private final byte[] frame = new byte[HEADER + MAX_LENGTH_FIELD - 1];
    private int filled;
    private int transactionId;
    private int silentTimeouts;

    public MbapLink(TimedStream stream, int connectTimeoutMillis, LinkCounters counters) {
        this.stream = stream;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.counters = counters;
    }

    @Override
    public void open() throws LinkFailure {
        filled = 0;
        silentTimeouts = 0;
        try {
            stream.open(connectTimeoutMillis);
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw new LinkFailure(OperationFailedReason.TIMEOUT, "cannot connect to " + describe() + ": " + e.getMessage(), true, e);
        }
    }

    /**
     * Sends a request without waiting for its answer. Requests sent one after the other go out together
     * when the link next has to wait for an answer ({@link #receive}).
     *
     * @return its transaction id
     */
    public int send(int unit, byte[] pdu) throws LinkFailure {
        transactionId = (transactionId + 1) & 0xFFFF;
        try {
            stream.write(Mbap.frame(transactionId, unit, pdu));
        } catch (IOException | RuntimeException e) {
            throw broken("cannot send to " + describe() + ": " + e, e);
        }
        return transactionId;
    }

    /**
     * The next answer frame, whatever request it answers, or null if none is complete by the deadline
     * (what arrived of it is kept for the next call).
     *
     * @throws LinkFailure if the connection broke or sent what is not MBAP (the link is closed)
     */
    public Frame receive(long deadlineNanos) throws LinkFailure {
        try {
            while (true) {
                int wanted = filled < HEADER ? HEADER - filled : HEADER - 1 + lengthField() - filled;
                if (filled >= HEADER && wanted == 0) {
                    Frame answer = new Frame(Mbap.u16(frame, 0), frame[6] & 0xFF, java.util.Arrays.copyOfRange(frame, HEADER,
                            HEADER - 1 + lengthField()));
                    filled = 0;
                    return answer;
                }
                long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000L;
                if (remainingMillis <= 0) {
                    stream.flush(); // nothing sent is left behind
                    return null;
                }
                if (stream.buffered() < wanted) {
                    // about to wait: what was sent goes out first. While answers are already here, requests
                    // sent meanwhile wait for the next flush, so that they go out together, in one segment
                    stream.flush();
                }
                int count = stream.read(frame, filled, wanted, (int) Math.min(remainingMillis, Integer.MAX_VALUE));
                if (count > 0) {
                    silentTimeouts = 0;
                    filled += count;
                    if (filled >= HEADER && filled - count < HEADER) {
                        checkHeader();
                    }
                }
            }
        } catch (EOFException e) {
            throw broken(describe() + " closed the connection", e);
        } catch (IOException | RuntimeException e) {
            throw broken("I/O error on " + describe() + ": " + e, e);
        }
    }

    private int lengthField() {
        return Mbap.u16(frame, 4);
    }

    private void checkHeader() throws LinkFailure {
        int protocol = Mbap.u16(frame, 2);
        int length = lengthField();
        if (protocol != 0) {
            throw notModbus("has protocol id " + protocol + ", not 0 (Modbus)");
        }
        if (length < 3 || length > MAX_LENGTH_FIELD) {
            throw notModbus("has a length field of " + length + " (3.." + MAX_LENGTH_FIELD + ")");
        }
    }

    private LinkFailure notModbus(String what) {
        close();
        return new LinkFailure(OperationFailedReason.MALFORMED, "answer from " + describe() + " " + what
                + "; the stream cannot be followed, reconnecting", true, null);
    }

    private LinkFailure broken(String message, Exception cause) {
        close();
        return new LinkFailure(OperationFailedReason.TIMEOUT, message, true, cause);
    }

    /**
     * Notes that a request got no answer in time.
     *
     * @return whether the link was closed because {@value ModbusLink#SILENT_TIMEOUTS} requests in a row got nothing back
     */
    public boolean unanswered() {
        if (++silentTimeouts < SILENT_TIMEOUTS) {
            return false;
        }
        close();
        return true;
    }

    @Override
    public byte[] exchange(int unit, byte[] requestPdu, int timeoutMillis) throws LinkFailure {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        int id = send(unit, requestPdu);
        while (true) {
            Frame answer = receive(deadline);
            if (answer == null) {
                boolean closed = unanswered();
                throw LinkFailure.timeout((filled == 0 ? "no answer from " : "answer from ") + describe()
                        + (filled == 0 ? " within " : " incomplete after ") + timeoutMillis + " ms"
                        + (closed ? "; " + SILENT_TIMEOUTS + " requests in a row got nothing back, reconnecting" : ""), closed);
            }
            if (answer.transactionId() != id) {
                counters.staleFrame();
                continue;
            }
            if (answer.unit() != unit) {
                throw LinkFailure.malformed("answer from " + describe() + " is from unit " + answer.unit() + ", expected " + unit);
            }
            return answer.pdu();
        }
    }

    @Override
    public boolean isOpen() {
        return stream.isOpen();
    }

    @Override
    public void close() {
        stream.close();
    }

    @Override
    public String describe() {
        return stream.describe();
    }
}
