package dev.pathpoint.modbus.internal.link;

import java.io.IOException;

/** A byte stream (TCP socket or serial port) whose reads wait at most a given time. */
public interface TimedStream {

    void open(int connectTimeoutMillis) throws IOException;

    boolean isOpen();

    /** Writes bytes; they may wait in a buffer until {@link #flush()}. */
    void write(byte[] bytes) throws IOException;

    /** Sends what {@link #write} buffered. */
    void flush() throws IOException;

    /**
     * Reads up to {@code length} bytes, waiting at most {@code timeoutMillis} for the first.
     *
     * @return the count read, 0 if none came in time
     * @throws java.io.EOFException if the peer closed the stream
     */
    int read(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException;

    /**
     * Drops bytes already received and not read (a late answer to an earlier request).
     *
     * @return how many were dropped
     */
    int discardInput() throws IOException;

    /** Bytes received and not read yet: a read of at most that many returns them without waiting. */
    default int buffered() {
        return 0;
    }

    void close();

    String describe();
}
