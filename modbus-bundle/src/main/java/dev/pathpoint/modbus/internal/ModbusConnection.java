package dev.pathpoint.modbus.internal;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.modbus.internal.plan.HoleMap;
import dev.pathpoint.modbus.internal.plan.ReadItem;
import dev.pathpoint.modbus.internal.plan.ReadPlanner;
import dev.pathpoint.modbus.internal.plan.WriteItem;
import dev.pathpoint.modbus.internal.plan.WritePlanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device connection: a bounded queue of batches and one thread of its own. A batch goes one way:
 * its operations are planned into requests ({@link WritePlanner}, {@link ReadPlanner}), the requests
 * run ({@link WriteRun}, then {@link ReadRun}: one at a time, or reads pipelined up to
 * {@code maxOutstandingRequests} on TCP) through the {@link LinkSupervisor}, which keeps the link
 * connected and paced, and each request completes its operations. Nothing here waits on another
 * connection. Operations the engine has already ended (timed out) are dropped before they are planned
 * or sent.
 */
public final class ModbusConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModbusConnection.class);
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    /** Hole ranges remembered per connection, at most. */
    private static final int HOLE_CAPACITY = 4096;

    private volatile ConnectionSettings settings;
    private final ThreadPoolExecutor worker;
    /** Batches queued and not started, bounded by the (live) queueCapacity. */
    private final AtomicInteger queuedBatches = new AtomicInteger();
    private final HoleMap holes = new HoleMap(HOLE_CAPACITY);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConnectionCounters counters = new ConnectionCounters();
    private final LinkSupervisor link = new LinkSupervisor(counters, LinkSupervisor.Time.SYSTEM);

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

    /** Where the connection stands, as last seen by its thread. */
    LinkSupervisor.Status status() {
        return link.status();
    }

    /** The last failure of the link (connect, time-out, bad answer), with when it happened, or null. */
    public String lastError() {
        return link.lastError();
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
        link.close();
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

    /** Planning, then the requests: writes first, so a read of the same register in this batch sees the written value. */
    private void runBatch(List<Job> jobs) {
        ConnectionSettings current = settings;
        link.use(current);
        List<WriteItem<Job>> writes = new ArrayList<>();
        List<ReadItem<Job>> reads = new ArrayList<>();
        for (Job job : jobs) {
            if (job.operation().isDone()) {
                // ended by the engine (timed out) while it waited here: sending it would only cost the device time
                counters.droppedOperations.incrementAndGet();
            } else if (job.isWrite()) {
                writes.add(job.writeItem());
            } else {
                reads.add(job.readItem());
            }
        }
        if (!writes.isEmpty()) {
            new WriteRun(link, counters).run(WritePlanner.plan(writes, current.limits()));
        }
        if (!reads.isEmpty()) {
            new ReadRun(current, link, holes, counters).run(ReadPlanner.plan(reads, current.limits(), holes));
        }
    }
}
