package dev.pathpoint.modbus.internal.link;

/** One MBAP answer frame as received: its transaction id, unit and PDU. */
public record Frame(int transactionId, int unit, byte[] pdu) {
}
