package dev.pathpoint.modbus.internal.link;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;

/** A serial port, through jSerialComm. */
public final class SerialStream implements TimedStream {
    private final String portName;
    private final int baudRate;
    private final int dataBits;
    private final int stopBits;
    private final int parity;
    private volatile SerialPort port;
    private int currentTimeout = -1;

    /**
     * @param parity one of {@link SerialPort#NO_PARITY}, {@link SerialPort#EVEN_PARITY}, {@link SerialPort#ODD_PARITY}
     * @param stopBits one of {@link SerialPort#ONE_STOP_BIT}, {@link SerialPort#TWO_STOP_BITS}
     */
    public SerialStream(String portName, int baudRate, int dataBits, int stopBits, int parity) {
        this.portName = portName;
        this.baudRate = baudRate;
        this.dataBits = dataBits;
        this.stopBits = stopBits;
        this.parity = parity;
    }

    @Override
    public void open(int connectTimeoutMillis) throws IOException {
        close();
        SerialPort candidate;
        try {
            candidate = SerialPort.getCommPort(portName);
        } catch (RuntimeException e) {
            throw new IOException("no serial port " + portName + ": " + e.getMessage(), e);
        }
        candidate.setComPortParameters(baudRate, dataBits, stopBits, parity);
        candidate.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        if (!candidate.openPort()) {
            throw new IOException("cannot open serial port " + portName + " (error " + candidate.getLastErrorCode() + ")");
        }
        currentTimeout = -1;
        port = candidate;
    }

    @Override
    public boolean isOpen() {
        SerialPort current = port;
        return current != null && current.isOpen();
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        int written = port.writeBytes(bytes, bytes.length);
        if (written != bytes.length) {
            throw new IOException("serial port " + portName + " wrote " + written + " of " + bytes.length + " bytes");
        }
    }

    @Override
    public void flush() {
        // writes go to the port at once
    }

    @Override
    public int read(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException {
        int timeout = Math.max(1, timeoutMillis);
        if (timeout != currentTimeout) {
            port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, timeout, 0);
            currentTimeout = timeout;
        }
        int count = port.readBytes(buffer, length, offset);
        if (count < 0) {
            throw new IOException("serial port " + portName + " read failed (error " + port.getLastErrorCode() + ")");
        }
        return count;
    }

    @Override
    public int discardInput() throws IOException {
        byte[] sink = new byte[256];
        int available;
        int dropped = 0;
        while ((available = port.bytesAvailable()) > 0) {
            int count = port.readBytes(sink, Math.min(available, sink.length));
            if (count < 0) {
                throw new IOException("serial port " + portName + " read failed");
            }
            dropped += count;
        }
        return dropped;
    }

    @Override
    public void close() {
        SerialPort current = port;
        port = null;
        if (current != null) {
            current.closePort();
        }
    }

    @Override
    public String describe() {
        return portName;
    }
}
