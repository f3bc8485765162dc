package dev.pathpoint.modbus.internal.link;

import com.ghgande.j2mod.modbus.util.ModbusUtil;
import dev.pathpoint.api.failure.OperationFailedReason;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Modbus RTU framing (unit, PDU, CRC-16) over a serial port or a TCP socket (RTU over TCP). RTU frames
 * carry no length, so the answer's length follows from its function code; only the function codes
 * this driver sends are understood. RTU frames carry no transaction id either: input left over from
 * an earlier request (a late answer) is dropped, and counted, before each request. On a serial line
 * a request starts only after the line has been silent for 3.5 characters (the Modbus serial line
 * specification's inter-frame delay, see {@link #interFrameSilenceNanos}).
 */
public final class RtuLink implements ModbusLink {
    /** Above this baud rate the specification fixes the inter-frame silence at 1.75 ms. */
    static final int FIXED_SILENCE_ABOVE_BAUD = 19_200;
    static final long FIXED_SILENCE_NANOS = 1_750_000;

    private final TimedStream stream;
    private final int connectTimeoutMillis;
    private final long silenceNanos;
    private final LinkCounters counters;
    /** When the line last carried a byte we know of (sent or received), by System.nanoTime. */
    private long lastActivityNanos;
    private int silentTimeouts;

    /**
     * @param silenceNanos the quiet time the line needs between frames ({@link #interFrameSilenceNanos}), 0 for
     *        RTU over TCP, where the converter keeps the line's timing
     */
    public RtuLink(TimedStream stream, int connectTimeoutMillis, long silenceNanos, LinkCounters counters) {
        this.stream = stream;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.silenceNanos = silenceNanos;
        this.counters = counters;
    }

    /**
     * The 3.5-character silence between RTU frames: 3.5 times the time one character takes on the line
     * (a start bit, the data bits, the parity bit if any, the stop bits), and 1.75 ms above 19,200 baud.
     */
    public static long interFrameSilenceNanos(int baudRate, int dataBits, boolean parity, int stopBits) {
        if (baudRate > FIXED_SILENCE_ABOVE_BAUD) {
            return FIXED_SILENCE_NANOS;
        }
        int bitsPerCharacter = 1 + dataBits + (parity ? 1 : 0) + stopBits;
        return (long) Math.ceil(3.5 * bitsPerCharacter * 1e9 / baudRate);
    }

    @Override
    public void open() throws LinkFailure {
        silentTimeouts = 0;
        try {
            stream.open(connectTimeoutMillis);
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw new LinkFailure(OperationFailedReason.TIMEOUT, "cannot connect to " + describe() + ": " + e.getMessage(), true, e);
        }
        lastActivityNanos = System.nanoTime();
    }

    @Override
    public byte[] exchange(int unit, byte[] requestPdu, int timeoutMillis) throws LinkFailure {
        try {
            awaitQuietLine();
            stream.write(frame(unit, requestPdu));
            stream.flush();
            lastActivityNanos = System.nanoTime();
            long deadline = lastActivityNanos + timeoutMillis * 1_000_000L;
            byte[] answer = readAnswer(unit, deadline, timeoutMillis);
            silentTimeouts = 0;
            return answer;
        } catch (EOFException e) {
            stream.close();
            throw new LinkFailure(OperationFailedReason.TIMEOUT, describe() + " closed the connection without answering", true, e);
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw new LinkFailure(OperationFailedReason.TIMEOUT, "I/O error on " + describe() + ": " + e, true, e);
        }
    }

    /**
     * Waits until the line has been silent for the inter-frame time, dropping what arrived meanwhile
     * (leftovers of an earlier answer): such bytes mean the line was busy, so the silence starts again.
     */
    private void awaitQuietLine() throws IOException {
        while (true) {
            long remaining;
            while ((remaining = lastActivityNanos + silenceNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, remaining);
            }
            int dropped = stream.discardInput();
            if (dropped == 0) {
                return;
            }
            counters.staleFrame();
            lastActivityNanos = System.nanoTime();
        }
    }

    byte[] frame(int unit, byte[] pdu) {
        byte[] frame = new byte[pdu.length + 3];
        frame[0] = (byte) unit;
        System.arraycopy(pdu, 0, frame, 1, pdu.length);
        int[] crc = ModbusUtil.calculateCRC(frame, 0, pdu.length + 1);
        frame[pdu.length + 1] = (byte) crc[0];
        frame[pdu.length + 2] = (byte) crc[1];
        return frame;
    }

    private byte[] readAnswer(int unit, long deadline, int timeoutMillis) throws IOException, LinkFailure {
        byte[] frame = new byte[256];
        readFully(frame, 0, 3, deadline, timeoutMillis);
        int answerFunction = frame[1] & 0xFF;
        int total;
        if ((answerFunction & 0x80) != 0) {
            total = 5;
        } else {
            total = switch (answerFunction) {
                case 1, 2, 3, 4 -> 3 + (frame[2] & 0xFF) + 2;
                case 5, 6, 15, 16 -> 8;
                case 22 -> 10;
                default -> throw LinkFailure.malformed("answer from " + describe() + " has function code " + answerFunction
                        + ", which RTU framing here cannot delimit");
            };
        }
        readFully(frame, 3, total - 3, deadline, timeoutMillis);
        int[] crc = ModbusUtil.calculateCRC(frame, 0, total - 2);
        if ((frame[total - 2] & 0xFF) != crc[0] || (frame[total - 1] & 0xFF) != crc[1]) {
            throw LinkFailure.malformed("answer from " + describe() + " fails its CRC check");
        }
        if ((frame[0] & 0xFF) != unit) {
            throw LinkFailure.malformed("answer from " + describe() + " is from unit " + (frame[0] & 0xFF) + ", expected " + unit);
        }
        return Arrays.copyOfRange(frame, 1, total - 2);
    }

    /** Reads exactly {@code length} bytes before the deadline, or fails TIMEOUT (leaving the rest to be discarded). */
    private void readFully(byte[] buffer, int offset, int length, long deadline, int timeoutMillis) throws IOException, LinkFailure {
        int done = 0;
        while (done < length) {
            long remaining = (deadline - System.nanoTime()) / 1_000_000L;
            if (remaining <= 0) {
                lastActivityNanos = System.nanoTime();
                boolean nothing = done == 0 && offset == 0;
                boolean closed = nothing && ++silentTimeouts >= SILENT_TIMEOUTS;
                if (closed) {
                    stream.close();
                }
                throw LinkFailure.timeout((nothing ? "no answer from " + describe() + " within " + timeoutMillis + " ms"
                        : "answer from " + describe() + " incomplete after " + timeoutMillis + " ms")
                        + (closed ? "; " + SILENT_TIMEOUTS + " requests in a row got nothing back, reopening" : ""), closed);
            }
            int count = stream.read(buffer, offset + done, length - done, (int) Math.min(remaining, Integer.MAX_VALUE));
            if (count > 0) {
                done += count;
                silentTimeouts = 0;
                lastActivityNanos = System.nanoTime();
            }
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
