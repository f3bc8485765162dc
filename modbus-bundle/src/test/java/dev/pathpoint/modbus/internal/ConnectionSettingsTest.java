package dev.pathpoint.modbus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectionSettingsTest {
    private static final ConnectionSettings TCP = ConnectionSettings.tcp("t", "127.0.0.1", 502);

    @Test
    void pipeliningNeedsTcpAndOneRequestAtATimeSettingsOff() {
        assertEquals(16, TCP.withMaxOutstandingRequests(16).maxOutstandingRequests());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TCP.withTransport(Transport.RTU_OVER_TCP)
                .withMaxOutstandingRequests(2)).getMessage().contains("maxOutstandingRequests above 1 needs transport TCP"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TCP.withTransport(Transport.UDP)
                .withMaxOutstandingRequests(2)).getMessage().contains("transport is UDP"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TCP.withCloseAfterEachRequest(true, 0)
                .withMaxOutstandingRequests(4)).getMessage().contains("closeAfterEachRequest"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TCP.withCloseAfterEachRequest(false, 5)
                .withMaxOutstandingRequests(4)).getMessage().contains("interRequestDelayMillis"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TCP.withMaxOutstandingRequests(0)).getMessage()
                .contains("maxOutstandingRequests must be 1..16, is 0"));
    }

    @Test
    void everyProblemIsNamed() {
        String message = assertThrows(IllegalArgumentException.class, () -> TCP.toBuilder().port(0).responseTimeoutMillis(0)
                .queueCapacity(0).build()).getMessage();
        assertTrue(message.contains("port must be 1..65535, is 0") && message.contains("responseTimeoutMillis must be positive")
                && message.contains("queueCapacity must be positive"), message);
    }

    /** The Modbus serial line specification: 3.5 characters between frames, 1.75 ms above 19,200 baud. */
    @ParameterizedTest
    @CsvSource({
        // baud, parity, stop bits, nanoseconds: 11-bit characters (8E1) and 10-bit ones (8N1)
        "9600, EVEN, 1, 4010417",
        "9600, NONE, 1, 3645834",
        "9600, NONE, 2, 4010417",
        "1200, EVEN, 1, 32083334",
        "19200, EVEN, 1, 2005209",
        "19201, EVEN, 1, 1750000",
        "38400, NONE, 1, 1750000",
        "115200, EVEN, 1, 1750000",
    })
    void rtuSilenceFollowsTheLineSettings(int baud, Parity parity, int stopBits, long nanos) {
        ConnectionSettings rtu = TCP.toBuilder().transport(Transport.RTU).serialPort("/dev/ttyS0").baudRate(baud).parity(parity)
                .stopBits(stopBits).dataBits(8).build();
        assertEquals(nanos, rtu.interFrameSilenceNanos());
        assertEquals(0, TCP.withTransport(Transport.RTU_OVER_TCP).interFrameSilenceNanos(), "the converter times its own line");
    }
}
