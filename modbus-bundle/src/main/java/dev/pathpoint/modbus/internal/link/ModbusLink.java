package dev.pathpoint.modbus.internal.link;

/**
 * One connection to a device (or gateway). Not thread-safe: a link belongs to its connection's
 * thread; only {@link #close()} may be called from another thread, to abort a transaction.
 *
 * <p>A request that gets no answer in time fails TIMEOUT and leaves the link open: a late answer is
 * recognised and dropped (by transaction id on MBAP links, by discarding leftover input before the
 * next request on RTU links). The link closes itself only on a stream it cannot understand, on a
 * connection the peer closed or broke, and after {@link #SILENT_TIMEOUTS} requests in a row got no
 * byte at all back (a peer gone without a word, e.g. a session a NAT forgot).
 */
public interface ModbusLink extends AutoCloseable {

    /** Requests in a row without a single byte back after which the link is reopened. */
    int SILENT_TIMEOUTS = 3;

    /**
     * Opens the link, waiting at most the connect timeout.
     *
     * @throws LinkFailure TIMEOUT if the device cannot be reached
     */
    void open() throws LinkFailure;

    /**
     * Sends a request PDU (function code and data) to a unit and returns the answer PDU. The link must
     * be open. The wait for the answer is bounded by {@code timeoutMillis}.
     *
     * @throws LinkFailure on no answer, a broken connection or a malformed frame ({@link LinkFailure#linkClosed()}
     *         tells whether the link had to be closed)
     */
    byte[] exchange(int unit, byte[] requestPdu, int timeoutMillis) throws LinkFailure;

    boolean isOpen();

    /** Closes the link; {@link #open()} opens it again. Safe from any thread, idempotent. */
    @Override
    void close();

    /** Where the link goes, for messages. */
    String describe();
}
