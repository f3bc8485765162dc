package dev.pathpoint.modbus.internal;

import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.modbus.internal.link.DeviceException;
import dev.pathpoint.modbus.internal.link.Frame;
import dev.pathpoint.modbus.internal.link.LinkFailure;
import dev.pathpoint.modbus.internal.link.MbapLink;
import dev.pathpoint.modbus.internal.link.ModbusLink;
import dev.pathpoint.modbus.internal.link.Pdus;
import dev.pathpoint.modbus.internal.name.Area;
import dev.pathpoint.modbus.internal.plan.HoleMap;
import dev.pathpoint.modbus.internal.plan.ReadItem;
import dev.pathpoint.modbus.internal.plan.ReadPlanner;
import dev.pathpoint.modbus.internal.plan.WriteItem;
import dev.pathpoint.modbus.internal.plan.WritePlanner;
import dev.pathpoint.modbus.internal.plan.WriteRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device connection: a bounded queue of batches and one thread of its own that plans each batch
 * and runs its transactions on the link, one at a time, or reads pipelined up to
 * {@code maxOutstandingRequests} on TCP. Nothing here waits on another connection. Operations the
 * engine has already ended (timed out) are dropped before they are planned or sent. After a failed
 * connect, further connects wait out a doubling backoff; operations that arrive meanwhile wait for the
 * next attempt after a first failure if it is due within one response timeout, else fail at once with
 * TIMEOUT (the engine retries) instead of queueing behind a dead device.
 */
public final class ModbusConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModbusConnection.class);
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    /** Hole ranges remembered per connection, at most. */
    private static final int HOLE_CAPACITY = 4096;

    /** Where the connection stands, as last seen by its thread. */
    public record Status(ConnectionState state, Instant since, Instant nextAttempt) {
    }

    private volatile ConnectionSettings settings;
    private final ThreadPoolExecutor worker;
    /** Batches queued and not started, bounded by the (live) queueCapacity. */
    private final AtomicInteger queuedBatches = new AtomicInteger();
    private final HoleMap holes = new HoleMap(HOLE_CAPACITY);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConnectionCounters counters = new ConnectionCounters();
    private volatile Status status = new Status(ConnectionState.IDLE, Instant.now(), null);
    private volatile String lastError;

    // Owned by the worker thread; currentLink is also read by close() to abort a transaction.
    private ModbusLink link;
    private ConnectionSettings linkSettings;
    private volatile ModbusLink currentLink;
    private long nextConnectNanos;
    private long backoffMillis;
    /** Connect attempts failed in a row; 1 means the device may just be coming up. */
    private int failedConnects;
    private long lastTransactionEndNanos;
    private boolean anyTransaction;

    public ModbusConnection(ConnectionSettings settings) {
        this.settings = settings;
        String threadName = "modbus-" + settings.name() + "-" + THREAD_NUMBER.incrementAndGet();
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    public ConnectionSettings settings() {
        return settings;
    }

    /**
     * Applies new settings to the work not yet started; queued batches are kept. A new queue capacity
     * applies to the next batch submitted; a changed address or line reopens the link.
     */
    public void reconfigure(ConnectionSettings newSettings) {
        settings = newSettings;
    }

    /** Transactions sent so far (for statistics and tests). */
    public long transactions() {
        return counters.requests.get();
    }

    /** Successful connects so far. */
    public long connects() {
        return counters.connects.get();
    }

    /** Answers to requests nobody waited for any more, dropped with the connection kept. */
    public long staleFrames() {
        return counters.link.staleFrames();
    }

    /** Operations dropped unsent because they had ended before their turn (the engine timed them out). */
    public long droppedOperations() {
        return counters.droppedOperations.get();
    }

    /** The holes this connection has learned. */
    public HoleMap holes() {
        return holes;
    }

    public Status status() {
        Status current = status;
        if (current.state() == ConnectionState.BACKING_OFF && current.nextAttempt() != null
                && current.nextAttempt().isBefore(Instant.now())) {
            // the backoff is over: it connects again when work comes
            return new Status(ConnectionState.IDLE, current.nextAttempt(), null);
        }
        return current;
    }

    /** The last failure of the link (connect, time-out, bad answer), with when it happened, or null. */
    public String lastError() {
        return lastError;
    }

    /** What it counted, by name, and how many batches wait and holes it knows. */
    public Map<String, Long> counters() {
        Map<String, Long> snapshot = counters.snapshot();
        snapshot.put("queuedBatches", (long) queuedBatches.get());
        snapshot.put("holes", (long) holes.size());
        return snapshot;
    }

    /** Queues a batch; if the queue is full or the connection closed, fails its operations with TIMEOUT at once. */
    public void submit(List<Job> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        BatchTask task = new BatchTask(jobs);
        if (closed.get()) {
            task.failAll(OperationFailedReason.TIMEOUT, "connection " + settings.name() + " is closed");
            return;
        }
        int capacity = settings.queueCapacity();
        if (queuedBatches.incrementAndGet() > capacity) {
            queuedBatches.decrementAndGet();
            counters.rejectedBatches.incrementAndGet();
            task.failAll(OperationFailedReason.TIMEOUT, "connection " + settings.name() + " has " + capacity
                    + " batches queued already");
            return;
        }
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            queuedBatches.decrementAndGet();
            task.failAll(OperationFailedReason.TIMEOUT, "connection " + settings.name() + " is closed");
        }
    }

    /**
     * Stops the connection: queued operations fail with TIMEOUT (so the engine can send them to a
     * replacement driver), the transaction in progress is aborted, and the thread ends.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Runnable pending : worker.shutdownNow()) {
            ((BatchTask) pending).failAll(OperationFailedReason.TIMEOUT,
                    "connection " + settings.name() + " closed before the operation ran");
        }
        ModbusLink active = currentLink;
        if (active != null) {
            active.close();
        }
        try {
            ConnectionSettings last = settings;
            if (!worker.awaitTermination(last.connectTimeoutMillis() + last.responseTimeoutMillis() + 1000L, TimeUnit.MILLISECONDS)) {
                LOG.warn("Modbus connection {} did not stop in time", last.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        status = new Status(ConnectionState.IDLE, Instant.now(), null);
    }

    private final class BatchTask implements Runnable {
        private final List<Job> jobs;

        BatchTask(List<Job> jobs) {
            this.jobs = jobs;
        }

        @Override
        public void run() {
            queuedBatches.decrementAndGet();
            try {
                runBatch(jobs);
            } catch (RuntimeException | Error e) {
                LOG.error("Modbus connection {} failed on a batch", settings.name(), e);
                failAll(OperationFailedReason.ERROR, "driver error: " + e);
            } finally {
                failAll(OperationFailedReason.ERROR, "driver error: the operation was not completed");
            }
        }

        void failAll(OperationFailedReason reason, String message) {
            for (Job job : jobs) {
                if (!job.operation().isDone()) {
                    job.operation().fail(new OperationFailedException(reason, message));
                }
            }
        }
    }

    private void runBatch(List<Job> jobs) {
        ConnectionSettings current = settings;
        if (link == null || !current.sameLinkAs(linkSettings)) {
            if (link != null) {
                link.close();
            }
            link = current.newLink(counters.link);
            linkSettings = current;
            currentLink = link;
            backoffMillis = current.reconnectDelayMillis();
            failedConnects = 0;
            nextConnectNanos = System.nanoTime();
            status = new Status(ConnectionState.IDLE, Instant.now(), null);
        }
        List<Job> writes = new ArrayList<>();
        List<ReadItem<Job>> reads = new ArrayList<>();
        for (Job job : jobs) {
            if (job.operation().isDone()) {
                // ended by the engine (timed out) while it waited here: sending it would only cost the device time
                counters.droppedOperations.incrementAndGet();
            } else if (job.isWrite()) {
                writes.add(job);
            } else {
                reads.add(new ReadItem<>(job, job.pathpoint().unit(), job.pathpoint().area(), job.pathpoint().address(),
                        job.pathpoint().width()));
            }
        }
        // Writes first, so a read of the same register in this batch sees the written value.
        if (!writes.isEmpty()) {
            runWrites(current, writes);
        }
        if (!reads.isEmpty()) {
            boolean pipelined = current.maxOutstandingRequests() > 1 && link instanceof MbapLink;
            new ReadRun(current, new LinkChannel(current), holes, counters)
                    .run(ReadPlanner.plan(reads, current.limits(), holes), pipelined);
        }
    }

    // ---- writes: one at a time, in plan order (overlapping writes must land in order)

    private void runWrites(ConnectionSettings current, List<Job> writes) {
        List<WriteItem<Job>> items = new ArrayList<>();
        for (Job job : writes) {
            var pathpoint = job.pathpoint();
            if (pathpoint.area() == Area.COIL) {
                items.add(new WriteItem.Coil<>(job, pathpoint.unit(), pathpoint.address(), job.bit()));
            } else if (pathpoint.isRegisterBit()) {
                items.add(new WriteItem.RegisterBit<>(job, pathpoint.unit(), pathpoint.address(), pathpoint.bit(), job.bit()));
            } else {
                items.add(new WriteItem.Registers<>(job, pathpoint.unit(), pathpoint.address(), job.registers()));
            }
        }
        for (WriteRequest<Job> request : WritePlanner.plan(items, current.limits())) {
            if (request.tags().stream().allMatch(job -> job.operation().isDone())) {
                continue; // an earlier part of these writes failed already, or the engine ended them
            }
            try {
                runWrite(current, request);
            } catch (DeviceException e) {
                counters.deviceExceptions.incrementAndGet();
                failJobs(request.tags(), e.reason(), request + ": " + e.getMessage());
            } catch (LinkFailure e) {
                failJobs(request.tags(), e.reason(), request + ": " + e.getMessage());
            }
        }
        for (Job job : writes) {
            job.operation().complete(job.value());
        }
    }

    private void runWrite(ConnectionSettings current, WriteRequest<Job> request) throws DeviceException, LinkFailure {
        int unit = request.unit();
        if (request instanceof WriteRequest.Registers<Job> registers) {
            byte[] pdu = registers.multiple() ? Pdus.writeRegisters(registers.start(), registers.values())
                    : Pdus.writeRegister(registers.start(), registers.values()[0]);
            checkWriteAnswer(pdu, transact(current, unit, pdu));
        } else if (request instanceof WriteRequest.Coils<Job> coils) {
            byte[] pdu = coils.values().length == 1 ? Pdus.writeCoil(coils.start(), coils.values()[0])
                    : Pdus.writeCoils(coils.start(), coils.values());
            checkWriteAnswer(pdu, transact(current, unit, pdu));
        } else if (request instanceof WriteRequest.RegisterBits<Job> bits) {
            if (bits.maskWrite()) {
                byte[] pdu = Pdus.maskWrite(bits.address(), bits.andMask(), bits.orMask());
                checkWriteAnswer(pdu, transact(current, unit, pdu));
            } else {
                byte[] answer = transact(current, unit, Pdus.readRequest(3, bits.address(), 1));
                int old;
                try {
                    old = Pdus.registers(3, 1, answer)[0];
                } catch (LinkFailure e) {
                    malformed(e.getMessage());
                    throw e;
                }
                byte[] pdu = Pdus.writeRegister(bits.address(), (old & bits.andMask()) | bits.orMask());
                checkWriteAnswer(pdu, transact(current, unit, pdu));
            }
        }
    }

    private void checkWriteAnswer(byte[] pdu, byte[] answer) throws DeviceException, LinkFailure {
        try {
            Pdus.checkWriteAnswer(pdu, answer);
        } catch (LinkFailure e) {
            malformed(e.getMessage());
            throw e;
        }
    }

    // ---- transactions

    /** The link as the reads of one batch see it. */
    private final class LinkChannel implements ReadRun.Channel {
        private final ConnectionSettings current;

        LinkChannel(ConnectionSettings current) {
            this.current = current;
        }

        @Override
        public byte[] transact(int unit, byte[] pdu) throws LinkFailure {
            return ModbusConnection.this.transact(current, unit, pdu);
        }

        @Override
        public int send(int unit, byte[] pdu) throws LinkFailure {
            connect(current);
            counters.requests.incrementAndGet();
            try {
                return ((MbapLink) link).send(unit, pdu);
            } catch (LinkFailure e) {
                linkFailed(e);
                throw e;
            }
        }

        @Override
        public Frame receive(long deadlineNanos) throws LinkFailure {
            try {
                return ((MbapLink) link).receive(deadlineNanos);
            } catch (LinkFailure e) {
                linkFailed(e);
                throw e;
            }
        }

        @Override
        public boolean unanswered(String message) {
            counters.timeouts.incrementAndGet();
            error(message);
            boolean reopened = ((MbapLink) link).unanswered();
            if (reopened) {
                status = new Status(ConnectionState.IDLE, Instant.now(), null);
            }
            return reopened;
        }

        @Override
        public void stale() {
            counters.link.staleFrame();
        }

        @Override
        public void malformed(String message) {
            ModbusConnection.this.malformed(message);
        }
    }

    private byte[] transact(ConnectionSettings current, int unit, byte[] pdu) throws LinkFailure {
        connect(current);
        pace(current);
        counters.requests.incrementAndGet();
        try {
            return link.exchange(unit, pdu, current.responseTimeoutMillis());
        } catch (LinkFailure e) {
            linkFailed(e);
            throw e;
        } finally {
            lastTransactionEndNanos = System.nanoTime();
            anyTransaction = true;
            if (current.closeAfterEachRequest()) {
                link.close();
                status = new Status(ConnectionState.IDLE, Instant.now(), null);
            }
        }
    }

    /** Opens the link if it is closed, keeping to the reconnect backoff. */
    private void connect(ConnectionSettings current) throws LinkFailure {
        if (closed.get()) {
            throw LinkFailure.timeout("connection " + current.name() + " is closed", false);
        }
        if (link.isOpen()) {
            return;
        }
        long now = System.nanoTime();
        if (now - nextConnectNanos < 0) {
            if (failedConnects > 1 || nextConnectNanos - now > TimeUnit.MILLISECONDS.toNanos(current.responseTimeoutMillis())) {
                throw LinkFailure.timeout("not connected to " + current.endpoint() + "; next connect attempt in "
                        + TimeUnit.NANOSECONDS.toMillis(nextConnectNanos - now) + " ms", false);
            }
            // after a single failed connect, the next one due within one response time is waited
            // for rather than failing, so a device that is just coming up (or a driver just
            // restarted) is not reported down; a device that failed twice is down: fail fast
            awaitNanoTime(current, nextConnectNanos);
        }
        status = new Status(ConnectionState.CONNECTING, Instant.now(), null);
        try {
            link.open();
            counters.connects.incrementAndGet();
            backoffMillis = current.reconnectDelayMillis();
            failedConnects = 0;
            status = new Status(ConnectionState.CONNECTED, Instant.now(), null);
        } catch (LinkFailure e) {
            failedConnects++;
            counters.connectFailures.incrementAndGet();
            nextConnectNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
            Instant failedAt = Instant.now();
            status = new Status(ConnectionState.BACKING_OFF, failedAt, failedAt.plusMillis(backoffMillis));
            backoffMillis = Math.min(Math.max(1, backoffMillis * 2), current.maxReconnectDelayMillis());
            error(e.getMessage());
            throw e;
        }
    }

    private void linkFailed(LinkFailure failure) {
        if (failure.reason() == OperationFailedReason.TIMEOUT) {
            counters.timeouts.incrementAndGet();
        } else if (failure.reason() == OperationFailedReason.MALFORMED) {
            counters.malformed.incrementAndGet();
        }
        error(failure.getMessage());
        if (!link.isOpen()) {
            status = new Status(ConnectionState.IDLE, Instant.now(), null);
        }
    }

    private void malformed(String message) {
        counters.malformed.incrementAndGet();
        error(message);
    }

    private void error(String message) {
        lastError = Instant.now() + ": " + message;
    }

    /** Keeps the configured quiet time between transactions (a bounded wait on this connection's own thread). */
    private void pace(ConnectionSettings current) throws LinkFailure {
        if (current.interRequestDelayMillis() == 0 || !anyTransaction) {
            return;
        }
        awaitNanoTime(current, lastTransactionEndNanos + TimeUnit.MILLISECONDS.toNanos(current.interRequestDelayMillis()));
    }

    /** A bounded wait on this connection's own thread, cut short when the connection closes. */
    private void awaitNanoTime(ConnectionSettings current, long until) throws LinkFailure {
        long remaining;
        while ((remaining = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, remaining);
            if (closed.get()) {
                throw LinkFailure.timeout("connection " + current.name() + " is closed", false);
            }
        }
    }

    private static void failJobs(List<Job> jobs, OperationFailedReason reason, String message) {
        for (Job job : jobs) {
            job.operation().fail(new OperationFailedException(reason, message));
        }
    }
}
