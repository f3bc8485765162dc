package dev.pathpoint.modbus.internal.link;

import java.io.IOException;

/**
 * Modbus TCP: the MBAP header (transaction id, protocol 0, length, unit) before each PDU. Transaction
 * ids are this link's own; an answer with another id (a late answer to a request that timed out) is
 * MALFORMED and closes the link, so the next request starts on a clean connection.
 */
public final class MbapLink extends StreamLink {
    /** Largest PDU Modbus allows (253) plus the unit byte the MBAP length counts. */
    private static final int MAX_LENGTH_FIELD = 254;

    private int transactionId;

    public MbapLink(TimedStream stream, int connectTimeoutMillis) {
        super(stream, connectTimeoutMillis);
    }

    @Override
    byte[] frame(int unit, byte[] pdu) {
        transactionId = (transactionId + 1) & 0xFFFF;
        return Mbap.frame(transactionId, unit, pdu);
    }

    @Override
    byte[] readAnswer(int unit, int functionCode, long deadline, int timeoutMillis) throws IOException, LinkFailure {
        byte[] header = new byte[7];
        readFully(header, 0, 7, deadline, timeoutMillis);
        int answerId = Mbap.u16(header, 0);
        int protocol = Mbap.u16(header, 2);
        int length = Mbap.u16(header, 4);
        int answerUnit = header[6] & 0xFF;
        if (protocol != 0) {
            throw LinkFailure.malformed("answer from " + describe() + " has protocol id " + protocol + ", not 0 (Modbus)");
        }
        if (length < 3 || length > MAX_LENGTH_FIELD) {
            throw LinkFailure.malformed("answer from " + describe() + " has a length field of " + length + " (3.." + MAX_LENGTH_FIELD + ")");
        }
        if (answerId != transactionId) {
            throw LinkFailure.malformed("answer from " + describe() + " has transaction id " + answerId + ", expected " + transactionId);
        }
        if (answerUnit != unit) {
            throw LinkFailure.malformed("answer from " + describe() + " is from unit " + answerUnit + ", expected " + unit);
        }
        byte[] pdu = new byte[length - 1];
        readFully(pdu, 0, pdu.length, deadline, timeoutMillis);
        return pdu;
    }
}
