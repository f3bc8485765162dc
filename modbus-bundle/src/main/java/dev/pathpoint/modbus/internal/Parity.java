package dev.pathpoint.modbus.internal;

import com.fazecast.jSerialComm.SerialPort;

/** Serial parity. */
public enum Parity {
    NONE(SerialPort.NO_PARITY),
    EVEN(SerialPort.EVEN_PARITY),
    ODD(SerialPort.ODD_PARITY);

    private final int serialPortValue;

    Parity(int serialPortValue) {
        this.serialPortValue = serialPortValue;
    }

    int serialPortValue() {
        return serialPortValue;
    }
}
