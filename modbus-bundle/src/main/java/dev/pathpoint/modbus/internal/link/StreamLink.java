package dev.pathpoint.modbus.internal.link;

import java.io.EOFException;
import java.io.IOException;

/** A link over a {@link TimedStream}: opening, bounded reads, and mapping I/O errors to failures. */
abstract class StreamLink implements ModbusLink {
    protected final TimedStream stream;
    private final int connectTimeoutMillis;

    StreamLink(TimedStream stream, int connectTimeoutMillis) {
        this.stream = stream;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    @Override
    public final void open() throws LinkFailure {
        try {
            stream.open(connectTimeoutMillis);
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw new LinkFailure(dev.pathpoint.api.failure.OperationFailedReason.TIMEOUT,
                    "cannot connect to " + describe() + ": " + e.getMessage(), true, e);
        }
    }

    @Override
    public final byte[] exchange(int unit, byte[] requestPdu, int timeoutMillis) throws LinkFailure {
        if (!stream.isOpen()) {
            open();
        }
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        try {
            stream.discardInput();
            stream.write(frame(unit, requestPdu));
            return readAnswer(unit, requestPdu[0] & 0xFF, deadline, timeoutMillis);
        } catch (LinkFailure failure) {
            if (failure.linkClosed()) {
                stream.close();
            }
            throw failure;
        } catch (EOFException e) {
            stream.close();
            throw new LinkFailure(dev.pathpoint.api.failure.OperationFailedReason.TIMEOUT,
                    describe() + " closed the connection without answering", true, e);
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw new LinkFailure(dev.pathpoint.api.failure.OperationFailedReason.TIMEOUT,
                    "I/O error on " + describe() + ": " + e, true, e);
        }
    }

    /** The whole frame to send for a request PDU. */
    abstract byte[] frame(int unit, byte[] requestPdu);

    /** Reads and checks the answer frame, returning its PDU. */
    abstract byte[] readAnswer(int unit, int functionCode, long deadline, int timeoutMillis) throws IOException, LinkFailure;

    /** Reads exactly {@code length} bytes before the deadline, or fails with a TIMEOUT that closes the link. */
    final void readFully(byte[] buffer, int offset, int length, long deadline, int timeoutMillis)
            throws IOException, LinkFailure {
        int done = 0;
        while (done < length) {
            long remaining = (deadline - System.nanoTime()) / 1_000_000L;
            if (remaining <= 0) {
                throw LinkFailure.timeout(done == 0 && offset == 0
                        ? "no answer from " + describe() + " within " + timeoutMillis + " ms"
                        : "answer from " + describe() + " incomplete after " + timeoutMillis + " ms", true);
            }
            done += stream.read(buffer, offset + done, length - done, (int) Math.min(remaining, Integer.MAX_VALUE));
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
