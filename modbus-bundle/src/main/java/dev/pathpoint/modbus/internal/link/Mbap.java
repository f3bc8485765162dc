package dev.pathpoint.modbus.internal.link;

/** MBAP framing helpers, shared by the TCP and UDP links and the simulator. */
public final class Mbap {
    private Mbap() {
    }

    public static byte[] frame(int transactionId, int unit, byte[] pdu) {
        byte[] frame = new byte[7 + pdu.length];
        frame[0] = (byte) (transactionId >> 8);
        frame[1] = (byte) transactionId;
        frame[4] = (byte) ((pdu.length + 1) >> 8);
        frame[5] = (byte) (pdu.length + 1);
        frame[6] = (byte) unit;
        System.arraycopy(pdu, 0, frame, 7, pdu.length);
        return frame;
    }

    public static int u16(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }
}
