package dev.pathpoint.modbus.internal.link;

import com.ghgande.j2mod.modbus.util.ModbusUtil;
import java.io.IOException;
import java.util.Arrays;

/**
 * Modbus RTU framing (unit, PDU, CRC-16) over a serial port or a TCP socket (RTU over TCP). RTU frames
 * carry no length, so the answer's length follows from its function code; only the function codes
 * this driver sends are understood. Input left over from an earlier request is dropped before each one.
 */
public final class RtuLink extends StreamLink {

    public RtuLink(TimedStream stream, int connectTimeoutMillis) {
        super(stream, connectTimeoutMillis);
    }

    @Override
    byte[] frame(int unit, byte[] pdu) {
        byte[] frame = new byte[pdu.length + 3];
        frame[0] = (byte) unit;
        System.arraycopy(pdu, 0, frame, 1, pdu.length);
        int[] crc = ModbusUtil.calculateCRC(frame, 0, pdu.length + 1);
        frame[pdu.length + 1] = (byte) crc[0];
        frame[pdu.length + 2] = (byte) crc[1];
        return frame;
    }

    @Override
    byte[] readAnswer(int unit, int functionCode, long deadline, int timeoutMillis) throws IOException, LinkFailure {
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
}
