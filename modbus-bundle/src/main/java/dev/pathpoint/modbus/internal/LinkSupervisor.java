package dev.pathpoint.modbus.internal;

import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.modbus.internal.link.Frame;
import dev.pathpoint.modbus.internal.link.LinkFailure;
import dev.pathpoint.modbus.internal.link.MbapLink;
import dev.pathpoint.modbus.internal.link.ModbusLink;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The link of one connection, kept fit for sending: every request of a batch goes through here, on the
 * connection's thread. It opens the link when a request needs it (a new link when the address or line
 * settings changed), keeps the reconnect backoff, keeps the quiet time between requests, closes the
 * link after each request when the device wants that, and records where the connection stands and
 * its last error. It knows nothing of batches or operations.
 *
 * <p>After a failed connect, further connects wait out a doubling backoff. A request that arrives
 * meanwhile waits for the next attempt after a single failure if it is due within one response
 * timeout, else fails at once with TIMEOUT (the engine retries) instead of waiting behind a dead
 * device.
 */
final class LinkSupervisor {

    /** Where the connection stands, as last seen by its thread. */
    record Status(ConnectionState state, Instant since, Instant nextAttempt) {
    }

    /** The time the supervisor keeps: a monotonic clock for backoff and pacing, the wall clock for what it reports. */
    interface Time {
        Time SYSTEM = new Time() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Instant now() {
                return Instant.now();
            }

            @Override
            public void park(Object blocker, long nanos) {
                LockSupport.parkNanos(blocker, nanos);
            }
        };

        long nanoTime();

        Instant now();

        /** Waits up to {@code nanos}, or less when the thread is unparked or interrupted (the caller looks again). */
        void park(Object blocker, long nanos);
    }

    private final ConnectionCounters counters;
    private final Time time;
    private volatile boolean closed;
    /** What {@link #status()} says once closed, whatever the thread still does. */
    private volatile Status closedStatus;
    private volatile Status status;
    private volatile String lastError;
    /** The connection's thread while it waits out the backoff or the quiet time, for {@link #close()} to wake. */
    private volatile Thread waiting;

    // Owned by the connection's thread; link is also read by close() to abort a transaction.
    private volatile ModbusLink link;
    private ConnectionSettings linkSettings;
    /** The settings of the batch being run. */
    private ConnectionSettings settings;
    private long nextConnectNanos;
    private long backoffMillis;
    /** Connect attempts failed in a row; 1 means the device may just be coming up. */
    private int failedConnects;
    private long lastRequestEndNanos;
    private boolean anyRequest;

    LinkSupervisor(ConnectionCounters counters, Time time) {
        this.counters = counters;
        this.time = time;
        this.status = new Status(ConnectionState.IDLE, time.now(), null);
    }

    /**
     * Takes the settings of the batch about to run. A changed address or line replaces the link (the
     * old one is closed, the new one opens with the first request) and starts the backoff afresh.
     */
    void use(ConnectionSettings current) {
        settings = current;
        if (link != null && current.sameLinkAs(linkSettings)) {
            return;
        }
        if (link != null) {
            link.close();
        }
        link = current.newLink(counters.link);
        linkSettings = current;
        backoffMillis = current.reconnectDelayMillis();
        failedConnects = 0;
        nextConnectNanos = time.nanoTime();
        status = new Status(ConnectionState.IDLE, time.now(), null);
    }

    /** Whether reads may go out several at a time: the settings allow it and the link matches answers by transaction id. */
    boolean pipelines() {
        return settings.maxOutstandingRequests() > 1 && link instanceof MbapLink;
    }

    /** Sends one request and waits (at most the response timeout) for its answer. */
    byte[] transact(int unit, byte[] pdu) throws LinkFailure {
        connect();
        pace();
        counters.requests.incrementAndGet();
        try {
            return link.exchange(unit, pdu, settings.responseTimeoutMillis());
        } catch (LinkFailure e) {
            failed(e);
            throw e;
        } finally {
            lastRequestEndNanos = time.nanoTime();
            anyRequest = true;
            if (settings.closeAfterEachRequest()) {
                link.close();
                status = new Status(ConnectionState.IDLE, time.now(), null);
            }
        }
    }

    /** Sends a request without waiting for its answer (only when {@link #pipelines()}), returning its transaction id. */
    int send(int unit, byte[] pdu) throws LinkFailure {
        connect();
        counters.requests.incrementAndGet();
        try {
            return ((MbapLink) link).send(unit, pdu);
        } catch (LinkFailure e) {
            failed(e);
            throw e;
        }
    }

    /** The next answer to any request sent, or null if none came by the deadline. */
    Frame receive(long deadlineNanos) throws LinkFailure {
        try {
            return ((MbapLink) link).receive(deadlineNanos);
        } catch (LinkFailure e) {
            failed(e);
            throw e;
        }
    }

    /** Notes a sent request that got no answer in time; returns whether the link was closed for it. */
    boolean unanswered(String message) {
        counters.timeouts.incrementAndGet();
        error(message);
        boolean reopened = ((MbapLink) link).unanswered();
        if (reopened) {
            status = new Status(ConnectionState.IDLE, time.now(), null);
        }
        return reopened;
    }

    /** Notes an answer to no outstanding request, dropped with the link kept. */
    void stale() {
        counters.link.staleFrame();
    }

    /** Notes an answer that could not be understood. */
    void malformed(String message) {
        counters.malformed.incrementAndGet();
        error(message);
    }

    Status status() {
        Status whenClosed = closedStatus;
        if (whenClosed != null) {
            return whenClosed;
        }
        Status current = status;
        if (current.state() == ConnectionState.BACKING_OFF && current.nextAttempt() != null
                && current.nextAttempt().isBefore(time.now())) {
            // the backoff is over: it connects again when work comes
            return new Status(ConnectionState.IDLE, current.nextAttempt(), null);
        }
        return current;
    }

    /** The last failure of the link (connect, time-out, bad answer), with when it happened, or null. */
    String lastError() {
        return lastError;
    }

    /**
     * Refuses every further request, aborts the one in progress and ends a wait for the backoff or the
     * quiet time (from any thread).
     */
    void close() {
        closedStatus = new Status(ConnectionState.IDLE, time.now(), null);
        closed = true;
        ModbusLink active = link;
        if (active != null) {
            active.close();
        }
        Thread waiter = waiting;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    /** Opens the link if it is closed, keeping to the reconnect backoff. */
    private void connect() throws LinkFailure {
        if (closed) {
            throw LinkFailure.timeout("connection " + settings.name() + " is closed", false);
        }
        if (link.isOpen()) {
            return;
        }
        long now = time.nanoTime();
        if (now - nextConnectNanos < 0) {
            if (failedConnects > 1 || nextConnectNanos - now > TimeUnit.MILLISECONDS.toNanos(settings.responseTimeoutMillis())) {
                throw LinkFailure.timeout("not connected to " + settings.endpoint() + "; next connect attempt in "
                        + TimeUnit.NANOSECONDS.toMillis(nextConnectNanos - now) + " ms", false);
            }
            // after a single failed connect, the next one due within one response time is waited
            // for rather than failing, so a device that is just coming up (or a driver just
            // restarted) is not reported down; a device that failed twice is down: fail fast
            awaitNanoTime(nextConnectNanos);
        }
        status = new Status(ConnectionState.CONNECTING, time.now(), null);
        try {
            link.open();
            counters.connects.incrementAndGet();
            backoffMillis = settings.reconnectDelayMillis();
            failedConnects = 0;
            status = new Status(ConnectionState.CONNECTED, time.now(), null);
        } catch (LinkFailure e) {
            failedConnects++;
            counters.connectFailures.incrementAndGet();
            nextConnectNanos = time.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
            Instant failedAt = time.now();
            status = new Status(ConnectionState.BACKING_OFF, failedAt, failedAt.plusMillis(backoffMillis));
            backoffMillis = Math.min(Math.max(1, backoffMillis * 2), settings.maxReconnectDelayMillis());
            error(e.getMessage());
            throw e;
        }
        if (closed) {
            // close() ran while the link was opening and may have found nothing to close yet: the
            // socket it missed would keep this thread in a read for a whole response timeout
            link.close();
            throw LinkFailure.timeout("connection " + settings.name() + " is closed", false);
        }
    }

    /** Keeps the configured quiet time between requests. */
    private void pace() throws LinkFailure {
        if (settings.interRequestDelayMillis() == 0 || !anyRequest) {
            return;
        }
        awaitNanoTime(lastRequestEndNanos + TimeUnit.MILLISECONDS.toNanos(settings.interRequestDelayMillis()));
    }

    /**
     * A bounded wait on the connection's own thread, cut short when the connection closes (see
     * {@link #close()}) or its thread is interrupted (the executor shutting down, just before the close).
     */
    private void awaitNanoTime(long until) throws LinkFailure {
        waiting = Thread.currentThread();
        try {
            long remaining;
            while (!closed && !Thread.currentThread().isInterrupted() && (remaining = until - time.nanoTime()) > 0) {
                time.park(this, remaining);
            }
        } finally {
            waiting = null;
        }
        if (closed || Thread.currentThread().isInterrupted()) {
            throw LinkFailure.timeout("connection " + settings.name() + " is closed", false);
        }
    }

    private void failed(LinkFailure failure) {
        if (failure.reason() == OperationFailedReason.TIMEOUT) {
            counters.timeouts.incrementAndGet();
        } else if (failure.reason() == OperationFailedReason.MALFORMED) {
            counters.malformed.incrementAndGet();
        }
        error(failure.getMessage());
        if (!link.isOpen()) {
            status = new Status(ConnectionState.IDLE, time.now(), null);
        }
    }

    private void error(String message) {
        lastError = time.now() + ": " + message;
    }
}
