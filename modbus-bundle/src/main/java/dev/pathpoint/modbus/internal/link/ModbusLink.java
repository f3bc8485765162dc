package dev.pathpoint.modbus.internal.link;

/**
 * One connection to a device (or gateway), carrying one transaction at a time. Not thread-safe: a
 * link belongs to its connection's thread; only {@link #close()} may be called from another thread,
 * to abort a transaction.
 */
public interface ModbusLink extends AutoCloseable {

    /**
     * Sends a request PDU (function code and data) to a unit and returns the answer PDU, opening the
     * link first if it is closed. Every wait is bounded: the connect by the connect timeout, the answer
     * by {@code timeoutMillis}.
     *
     * @throws LinkFailure on no answer, a broken connection or a malformed frame (the link is closed
     *         where a later answer could be mistaken for the next one's)
     */
    /**
     * Opens the link, waiting at most the connect timeout.
     *
     * @throws LinkFailure TIMEOUT if the device cannot be reached
     */
    void open() throws LinkFailure;

    byte[] exchange(int unit, byte[] requestPdu, int timeoutMillis) throws LinkFailure;

    boolean isOpen();

    /** Closes the link; the next exchange opens it again. Safe from any thread, idempotent. */
    @Override
    void close();

    /** Where the link goes, for messages. */
    String describe();
}
