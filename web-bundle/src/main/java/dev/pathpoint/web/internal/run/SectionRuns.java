package dev.pathpoint.web.internal.run;

import dev.pathpoint.api.section.Section;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The section runs submitted over HTTP: unfinished ones (at most {@code maxRunning}) and the finished
 * results of runs that were answered 202, kept for polling for {@code retention} and at most
 * {@code maxRetained} of them and {@code maxRetainedBytes} in all (the oldest finished goes first).
 * A run answered with its results at once is forgotten as soon as it finishes. Ids are random (128
 * bits) and a run is found only by the identity that submitted it.
 */
public final class SectionRuns {
    private final SecureRandom random = new SecureRandom();
    private final LongSupplier nanoTime;
    private final Executor worker;
    private final Map<String, SectionRun> running = new LinkedHashMap<>();
    /** Finished and retained, oldest first. */
    private final LinkedHashMap<String, SectionRun> finished = new LinkedHashMap<>();
    private volatile Limits limits;
    private long retainedBytes;

    /** How much is kept. */
    public record Limits(int maxRunning, int maxRetained, long maxRetainedBytes, long retentionNanos) {
    }

    /** More runs are unfinished than {@code maxRunning} allows. */
    public static final class TooManyRuns extends Exception {
        private static final long serialVersionUID = 1L;

        TooManyRuns(int limit) {
            super(limit + " section runs submitted over HTTP are unfinished; wait for some to finish");
        }
    }

    public SectionRuns(Limits limits, LongSupplier nanoTime, Executor worker) {
        this.limits = limits;
        this.nanoTime = nanoTime;
        this.worker = worker;
    }

    public void limits(Limits limits) {
        this.limits = limits;
        synchronized (this) {
            sweep();
        }
    }

    /** Registers a run of sections not yet handed to the executor. */
    public synchronized SectionRun start(String owner, List<Section> sections) throws TooManyRuns {
        if (running.size() >= limits.maxRunning()) {
            throw new TooManyRuns(limits.maxRunning());
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        SectionRun run = new SectionRun(HexFormat.of().formatHex(bytes), owner, sections, worker);
        running.put(run.id(), run);
        run.done().whenComplete((lines, failure) -> finished(run, lines == null ? 0 : lines.length));
        return run;
    }

    /** Keeps the run's results for polling once it finishes (it was answered 202). */
    public synchronized void retain(SectionRun run) {
        run.retain();
        if (!running.containsKey(run.id()) && run.done().isDone()) {
            keep(run, run.done().join().length);
        }
    }

    /** The run with this id, if it is unfinished or retained and was submitted by {@code owner}. */
    public synchronized Optional<SectionRun> find(String id, String owner) {
        sweep();
        SectionRun run = running.get(id);
        if (run == null) {
            run = finished.get(id);
        }
        return run != null && run.owner().equals(owner) ? Optional.of(run) : Optional.empty();
    }

    public synchronized int runningCount() {
        return running.size();
    }

    public synchronized int retainedCount() {
        sweep();
        return finished.size();
    }

    private synchronized void finished(SectionRun run, int bytes) {
        running.remove(run.id());
        run.finishedAt(nanoTime.getAsLong());
        if (run.isRetained()) {
            keep(run, bytes);
        }
    }

    private void keep(SectionRun run, int bytes) {
        if (finished.containsKey(run.id())) {
            return;
        }
        run.finishedAt(nanoTime.getAsLong());
        finished.put(run.id(), run);
        retainedBytes += bytes;
        sweep();
    }

    /** Forgets finished runs past their retention, or beyond the count and byte limits. */
    public synchronized void sweep() {
        long now = nanoTime.getAsLong();
        Limits current = limits;
        for (Iterator<SectionRun> oldest = finished.values().iterator(); oldest.hasNext(); ) {
            SectionRun run = oldest.next();
            boolean expired = now - run.finishedNanos() > current.retentionNanos();
            boolean over = finished.size() > current.maxRetained() || retainedBytes > current.maxRetainedBytes();
            if (!expired && !over) {
                break;
            }
            oldest.remove();
            retainedBytes -= run.done().join().length;
        }
    }
}
