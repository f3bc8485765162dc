package dev.pathpoint.modbus.internal;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.modbus.internal.link.DeviceException;
import dev.pathpoint.modbus.internal.link.LinkFailure;
import dev.pathpoint.modbus.internal.link.ModbusLink;
import dev.pathpoint.modbus.internal.link.Pdus;
import dev.pathpoint.modbus.internal.name.Area;
import dev.pathpoint.modbus.internal.name.ValueCodec;
import dev.pathpoint.modbus.internal.plan.HoleMap;
import dev.pathpoint.modbus.internal.plan.ReadItem;
import dev.pathpoint.modbus.internal.plan.ReadPlanner;
import dev.pathpoint.modbus.internal.plan.ReadRequest;
import dev.pathpoint.modbus.internal.plan.WriteItem;
import dev.pathpoint.modbus.internal.plan.WritePlanner;
import dev.pathpoint.modbus.internal.plan.WriteRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device connection: a bounded queue of batches and one thread of its own that plans each batch
 * and runs its transactions one at a time on the link. Nothing here waits on another connection.
 * After a failed connect, further connects wait out a doubling backoff; operations that arrive
 * meanwhile wait for the next attempt after a first failure if it is due within one response
 * timeout, else fail at once with TIMEOUT (the engine retries) instead of queueing behind a dead
 * device.
 */
public final class ModbusConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModbusConnection.class);
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    /** Hole ranges remembered per connection, at most. */
    private static final int HOLE_CAPACITY = 4096;

    private volatile ConnectionSettings settings;
    private final ThreadPoolExecutor worker;
    private final HoleMap holes = new HoleMap(HOLE_CAPACITY);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();

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
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(settings.queueCapacity()),
                runnable -> {
                    Thread thread = new Thread(runnable, threadName);
                    thread.setDaemon(true);
                    return thread;
                });
    }

    public ConnectionSettings settings() {
        return settings;
    }

    /** Applies new settings to the work not yet started; queued batches are kept. */
    public void reconfigure(ConnectionSettings newSettings) {
        settings = newSettings;
    }

    /** Transactions sent so far (for statistics and tests). */
    public long transactions() {
        return transactions.get();
    }

    /** Successful connects so far. */
    public long connects() {
        return connects.get();
    }

    /** The holes this connection has learned. */
    public HoleMap holes() {
        return holes;
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
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            task.failAll(OperationFailedReason.TIMEOUT, closed.get() ? "connection " + settings.name() + " is closed"
                    : "connection " + settings.name() + " has " + settings.queueCapacity() + " batches queued already");
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
    }

    private final class BatchTask implements Runnable {
        private final List<Job> jobs;

        BatchTask(List<Job> jobs) {
            this.jobs = jobs;
        }

        @Override
        public void run() {
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
            link = current.newLink();
            linkSettings = current;
            currentLink = link;
            backoffMillis = current.reconnectDelayMillis();
            failedConnects = 0;
            nextConnectNanos = System.nanoTime();
        }
        List<Job> writes = new ArrayList<>();
        List<ReadItem<Job>> reads = new ArrayList<>();
        for (Job job : jobs) {
            if (job.isWrite()) {
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
        for (ReadRequest<Job> request : ReadPlanner.plan(reads, current.limits(), holes)) {
            runRead(current, request);
        }
    }

    // ---- reads

    private enum ReadOutcome { OK, HOLE, FAILED }

    private ReadOutcome runRead(ConnectionSettings current, ReadRequest<Job> request) {
        Area area = request.area();
        int functionCode = area.readFunctionCode();
        try {
            byte[] answer = transact(current, request.unit(), Pdus.readRequest(functionCode, request.start(), request.count()));
            if (area.holdsRegisters()) {
                int[] registers = Pdus.registers(functionCode, request.count(), answer);
                for (ReadItem<Job> item : request.items()) {
                    PathpointValue value = ValueCodec.decode(item.tag().pathpoint(), registers, item.start() - request.start(),
                            current.defaultOrder());
                    item.tag().operation().complete(value);
                }
            } else {
                boolean[] bits = Pdus.bits(functionCode, request.count(), answer);
                for (ReadItem<Job> item : request.items()) {
                    item.tag().operation().complete(PathpointValue.of(bits[item.start() - request.start()] ? 1 : 0));
                }
            }
            return ReadOutcome.OK;
        } catch (DeviceException e) {
            if (e.code() == DeviceException.ILLEGAL_DATA_ADDRESS) {
                return splitOnHole(current, request, e);
            }
            fail(request.items(), e.reason(), request + ": " + e.getMessage());
            return ReadOutcome.FAILED;
        } catch (LinkFailure e) {
            dropLinkIfBroken(e);
            fail(request.items(), e.reason(), request + ": " + e.getMessage());
            return ReadOutcome.FAILED;
        }
    }

    /**
     * Exception 02 on a read: alone, the item is truly bad (its range becomes a hole); merged, the
     * request is halved and both halves retried, and if both read cleanly the bad address must be in
     * the gap between them, which becomes the hole.
     */
    private ReadOutcome splitOnHole(ConnectionSettings current, ReadRequest<Job> request, DeviceException e) {
        List<ReadItem<Job>> items = request.items();
        if (items.size() == 1) {
            ReadItem<Job> item = items.get(0);
            holes.add(request.unit(), request.area(), item.start(), item.end());
            fail(items, OperationFailedReason.INVALID, "pathpoint " + item.tag().pathpoint().name() + ": " + e.getMessage());
            return ReadOutcome.HOLE;
        }
        int middle = items.size() / 2;
        List<ReadItem<Job>> left = items.subList(0, middle);
        List<ReadItem<Job>> right = items.subList(middle, items.size());
        ReadRequest<Job> leftRequest = ReadRequest.covering(left);
        ReadRequest<Job> rightRequest = ReadRequest.covering(right);
        ReadOutcome leftOutcome = runRead(current, leftRequest);
        ReadOutcome rightOutcome = runRead(current, rightRequest);
        if (leftOutcome == ReadOutcome.OK && rightOutcome == ReadOutcome.OK) {
            holes.add(request.unit(), request.area(), leftRequest.end() + 1, rightRequest.start() - 1);
        }
        return leftOutcome == ReadOutcome.FAILED || rightOutcome == ReadOutcome.FAILED ? ReadOutcome.FAILED : ReadOutcome.HOLE;
    }

    // ---- writes

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
                continue; // an earlier part of these writes failed already
            }
            try {
                runWrite(current, request);
            } catch (DeviceException e) {
                failJobs(request.tags(), e.reason(), request + ": " + e.getMessage());
            } catch (LinkFailure e) {
                dropLinkIfBroken(e);
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
            Pdus.checkWriteAnswer(pdu, transact(current, unit, pdu));
        } else if (request instanceof WriteRequest.Coils<Job> coils) {
            byte[] pdu = coils.values().length == 1 ? Pdus.writeCoil(coils.start(), coils.values()[0])
                    : Pdus.writeCoils(coils.start(), coils.values());
            Pdus.checkWriteAnswer(pdu, transact(current, unit, pdu));
        } else if (request instanceof WriteRequest.RegisterBits<Job> bits) {
            if (bits.maskWrite()) {
                byte[] pdu = Pdus.maskWrite(bits.address(), bits.andMask(), bits.orMask());
                Pdus.checkWriteAnswer(pdu, transact(current, unit, pdu));
            } else {
                int old = Pdus.registers(3, 1, transact(current, unit, Pdus.readRequest(3, bits.address(), 1)))[0];
                byte[] pdu = Pdus.writeRegister(bits.address(), (old & bits.andMask()) | bits.orMask());
                Pdus.checkWriteAnswer(pdu, transact(current, unit, pdu));
            }
        }
    }

    // ---- transactions

    /** A malformed answer found while parsing leaves the stream out of step: start again on a new connection. */
    private void dropLinkIfBroken(LinkFailure failure) {
        if (failure.linkClosed()) {
            link.close();
        }
    }

    private byte[] transact(ConnectionSettings current, int unit, byte[] pdu) throws LinkFailure {
        if (closed.get()) {
            throw LinkFailure.timeout("connection " + current.name() + " is closed", false);
        }
        if (!link.isOpen()) {
            long now = System.nanoTime();
            if (now - nextConnectNanos < 0) {
                if (failedConnects > 1
                        || nextConnectNanos - now > TimeUnit.MILLISECONDS.toNanos(current.responseTimeoutMillis())) {
                    throw LinkFailure.timeout("not connected to " + current.endpoint() + "; next connect attempt in "
                            + TimeUnit.NANOSECONDS.toMillis(nextConnectNanos - now) + " ms", false);
                }
                // after a single failed connect, the next one due within one response time is waited
                // for rather than failing, so a device that is just coming up (or a driver just
                // restarted) is not reported down; a device that failed twice is down: fail fast
                awaitNanoTime(current, nextConnectNanos);
            }
            try {
                link.open();
                connects.incrementAndGet();
                backoffMillis = current.reconnectDelayMillis();
                failedConnects = 0;
            } catch (LinkFailure e) {
                failedConnects++;
                nextConnectNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
                backoffMillis = Math.min(Math.max(1, backoffMillis * 2), current.maxReconnectDelayMillis());
                throw e;
            }
        }
        pace(current);
        try {
            return link.exchange(unit, pdu, current.responseTimeoutMillis());
        } finally {
            transactions.incrementAndGet();
            lastTransactionEndNanos = System.nanoTime();
            anyTransaction = true;
            if (current.closeAfterEachRequest()) {
                link.close();
            }
        }
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

    private static void fail(List<ReadItem<Job>> items, OperationFailedReason reason, String message) {
        for (ReadItem<Job> item : items) {
            item.tag().operation().fail(new OperationFailedException(reason, message));
        }
    }

    private static void failJobs(List<Job> jobs, OperationFailedReason reason, String message) {
        for (Job job : jobs) {
            job.operation().fail(new OperationFailedException(reason, message));
        }
    }
}
