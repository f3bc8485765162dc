package dev.pathpoint.mqtt.internal.journal;

import dev.pathpoint.mqtt.internal.journal.JournalRecord.Accepted;
import dev.pathpoint.mqtt.internal.journal.JournalRecord.Origin;
import dev.pathpoint.mqtt.internal.journal.JournalRecord.Published;
import dev.pathpoint.mqtt.internal.journal.JournalRecord.Refused;
import dev.pathpoint.mqtt.internal.journal.JournalRecord.SectionDone;
import dev.pathpoint.mqtt.internal.journal.RecordLog.Durability;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The documents a link has taken and not finished, and the keys of those it took recently (the
 * dedupe window), kept in a {@link RecordLog} so that they survive a crash.
 *
 * <p>A document is pending from the moment it is accepted (or refused) until the broker has
 * acknowledged its result document. The window holds the keys of the last
 * {@code windowSize} documents taken within {@code windowAge}; a document whose key is pending or in
 * the window is a duplicate.
 *
 * <p>Disk space is bounded: a segment is deleted once nothing in it is needed (every document it took
 * is finished and its keys have left the window). Above half of {@code maxBytes}, the oldest segment
 * is freed anyway: the window gives its keys up and the pending documents in it are copied forward
 * (one record each, results included). When the segments reach {@code maxBytes}, {@link #full()} says
 * so and the link takes no new document until space is freed.
 *
 * <p>Not thread-safe: its callers hold the link's lock. Work after a sync comes back through
 * {@code loop}, which takes that lock.
 */
public final class Ledger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);

    /** How a key stands. */
    public enum Standing {
        /** Never seen, or forgotten: a new document. */
        NEW,
        /** Taken and not finished. */
        PENDING,
        /** Finished recently: still in the window. */
        FINISHED
    }

    /**
     * The ledger's limits.
     *
     * @param resultsAfterSync whether a document's results count as recorded only once synced, rather
     *     than once written (which a crash of the process does not undo; see {@link #sectionDone})
     */
    public record Limits(long maxBytes, int segmentBytes, int windowSize, Duration windowAge, Duration lazySyncDelay,
            boolean resultsAfterSync) {
        public Limits {
            if (maxBytes < 4L * segmentBytes) {
                throw new IllegalArgumentException("the journal's size " + maxBytes + " must hold at least 4 segments of "
                        + segmentBytes + " bytes");
            }
            if (windowSize < 1) {
                throw new IllegalArgumentException("dedupe window of " + windowSize);
            }
        }
    }

    private final RecordLog log;
    private final Limits limits;
    private final Clock clock;
    private final Executor loop;
    private final LinkedHashMap<String, Document> pending = new LinkedHashMap<>();
    /** Pending documents by the LSN of their oldest needed record. */
    private final TreeMap<Long, Document> pins = new TreeMap<>();
    private final LinkedHashMap<String, WindowEntry> window = new LinkedHashMap<>();
    private long windowEvictedForSpace;
    private long carriedForward;

    private Ledger(RecordLog log, Limits limits, Clock clock, Executor loop) {
        this.log = log;
        this.limits = limits;
        this.clock = clock;
        this.loop = loop;
    }

    /** Opens (and recovers) the journal in {@code directory}. */
    public static Ledger open(Path directory, Limits limits, Clock clock, Executor loop) throws IOException {
        Map<String, Document> recovered = new LinkedHashMap<>();
        LinkedHashMap<String, WindowEntry> window = new LinkedHashMap<>();
        int[] unreadable = new int[1];
        RecordLog log = RecordLog.open(directory, limits.segmentBytes(), limits.lazySyncDelay(), record -> {
            JournalRecord decoded;
            try {
                decoded = JournalRecord.decode(record.body());
            } catch (IllegalArgumentException e) {
                unreadable[0]++;
                LOG.warn("Journal {}: record {} cannot be read ({}); skipped", directory, record.lsn(), e.getMessage());
                return;
            }
            replay(decoded, record.lsn(), recovered, window);
        });
        Ledger ledger = new Ledger(log, limits, clock, loop);
        ledger.window.putAll(window);
        for (Document document : recovered.values()) {
            ledger.pending.put(document.origin.key(), document);
            ledger.pins.put(document.pin, document);
        }
        ledger.trimWindow();
        if (!recovered.isEmpty() || unreadable[0] > 0) {
            LOG.info("Journal {}: recovered {} unfinished documents, {} keys in the dedupe window{}", directory,
                    recovered.size(), ledger.window.size(), unreadable[0] > 0 ? ", " + unreadable[0] + " unreadable records" : "");
        }
        return ledger;
    }

    private static void replay(JournalRecord record, long lsn, Map<String, Document> pending,
            LinkedHashMap<String, WindowEntry> window) {
        if (record instanceof Accepted accepted) {
            Document known = pending.get(accepted.key());
            if (known != null) {
                // a copy carried forward: it holds everything up to its writing
                known.pin = lsn;
                known.merge(accepted.results());
                accepted.document().ifPresent(bytes -> known.document = bytes);
            } else {
                // only pending documents are copied forward: a finished key accepted again is a new document
                pending.put(accepted.key(), new Document(accepted.origin(), accepted.sectionCount(),
                        accepted.document().orElse(null), accepted.results().clone(), null, lsn));
                window.remove(accepted.key());
                window.put(accepted.key(), new WindowEntry(lsn, accepted.origin().acceptedAtMillis()));
            }
        } else if (record instanceof Refused refused) {
            Document known = pending.get(refused.key());
            if (known != null) {
                known.pin = lsn;
            } else {
                pending.put(refused.key(), new Document(refused.origin(), 0, null, new String[0],
                        new Refusal(refused.location(), refused.problem()), lsn));
                window.remove(refused.key());
                window.put(refused.key(), new WindowEntry(lsn, refused.origin().acceptedAtMillis()));
            }
        } else if (record instanceof SectionDone done) {
            Document document = pending.get(done.key());
            if (document != null && done.section() >= 0 && done.section() < document.sectionCount) {
                document.setResult(done.section(), done.result());
            }
        } else if (record instanceof Published published) {
            pending.remove(published.key());
        }
    }

    /** How a document key stands: new, pending, or finished within the window. */
    public Standing standing(String key) {
        if (pending.containsKey(key)) {
            return Standing.PENDING;
        }
        WindowEntry entry = window.get(key);
        if (entry != null && !expired(entry, clock.millis())) {
            return Standing.FINISHED;
        }
        return Standing.NEW;
    }

    /** The pending document of a key. */
    public Optional<Document> pendingDocument(String key) {
        return Optional.ofNullable(pending.get(key));
    }

    /** Pending documents, oldest first. */
    public Collection<Document> pending() {
        return List.copyOf(pending.values());
    }

    /**
     * Takes a document whose sections will run. {@code synced} completes once it is on disk.
     *
     * @throws IllegalStateException if the key is pending or in the window
     */
    public Document accept(Origin origin, int sectionCount, byte[] document, CompletableFuture<Void> synced) {
        Document taken = prepare(origin, sectionCount, document);
        accept(taken, synced);
        return taken;
    }

    /**
     * A document whose sections will run, not taken yet: {@link #accept(Document, CompletableFuture)}
     * takes it. In between, its sections may already go to the engine, as long as no result of theirs
     * is recorded before it is taken (the caller holds the link's lock across both).
     *
     * @throws IllegalStateException if the key is pending or in the window
     */
    public Document prepare(Origin origin, int sectionCount, byte[] document) {
        requireNew(origin.key());
        return new Document(origin, sectionCount, document, new String[sectionCount], null, -1);
    }

    /** Takes a prepared document. {@code synced} completes once it is on disk. */
    public void accept(Document prepared, CompletableFuture<Void> synced) {
        requireNew(prepared.origin.key());
        if (prepared.remaining != prepared.sectionCount) {
            throw new IllegalStateException(prepared + " has results before it was taken");
        }
        Accepted record = new Accepted(prepared.origin, prepared.sectionCount, Optional.of(prepared.document),
                new String[prepared.sectionCount]);
        long lsn = log.append(record.encode(), Durability.SOON, synced);
        prepared.pin = lsn;
        add(prepared, lsn);
    }

    /** Takes a document that will not run: its error result goes back. */
    public Document refuse(Origin origin, String location, String problem, CompletableFuture<Void> synced) {
        requireNew(origin.key());
        Refused record = new Refused(origin, location, problem);
        long lsn = log.append(record.encode(), Durability.NOW, synced);
        Document refused = new Document(origin, 0, null, new String[0], new Refusal(location, problem), lsn);
        add(refused, lsn);
        return refused;
    }

    private void requireNew(String key) {
        if (standing(key) != Standing.NEW) {
            throw new IllegalStateException("document " + key + " is " + standing(key));
        }
    }

    private void add(Document document, long lsn) {
        pending.put(document.origin.key(), document);
        pins.put(lsn, document);
        window.remove(document.origin.key()); // an expired entry of the same key
        window.put(document.origin.key(), new WindowEntry(lsn, document.origin.acceptedAtMillis()));
        trimWindow();
    }

    /**
     * Records a section's result. When it was the document's last, {@code recorded} (if given) completes
     * once the results are in the journal: its result document is waiting. In the journal means
     * written to the operating system, where a crash of this process cannot undo it, and synced soon
     * after; with {@link Limits#resultsAfterSync}, synced at once (a power loss cannot undo it either).
     */
    public void sectionDone(Document document, int section, String result, CompletableFuture<Void> recorded) {
        if (document.results[section] != null) {
            throw new IllegalStateException("section " + section + " of " + document.origin.key() + " already has a result");
        }
        document.setResult(section, result);
        boolean last = document.complete();
        if (last) {
            document.document = null; // no section runs again: the copy is not needed any more
        }
        Durability durability = !last ? Durability.LATER : limits.resultsAfterSync() ? Durability.NOW : Durability.WRITTEN;
        log.append(new SectionDone(document.origin.key(), section, result).encode(), durability, last ? recorded : null);
    }

    /** The broker acknowledged the document's result: it is finished (its key stays in the window). */
    public void published(Document document) {
        if (pending.remove(document.origin.key()) == null) {
            return;
        }
        pins.remove(document.pin);
        // soon, not later: a crash before this is on disk publishes the result a second time
        log.append(new Published(document.origin.key()).encode(), Durability.SOON, null);
    }

    /**
     * Records that a cancel request for a document was taken, after the results of the sections it
     * cancelled; {@code synced} completes once it (and so they) are on disk.
     */
    public void cancelled(String key, int sectionsCancelled, CompletableFuture<Void> synced) {
        log.append(new JournalRecord.Cancelled(key, sectionsCancelled).encode(), Durability.NOW, synced);
    }

    /** Frees disk space that nothing needs; above half the size bound, frees the oldest segment anyway. */
    public void compact() {
        trimWindow();
        log.deleteSegmentsBefore(minimumNeededLsn());
        if (log.diskBytes() <= limits.maxBytes() / 2) {
            return;
        }
        long end = log.oldestClosedSegmentEnd();
        if (end < 0) {
            return;
        }
        for (Iterator<WindowEntry> it = window.values().iterator(); it.hasNext(); ) {
            WindowEntry entry = it.next();
            if (entry.lsn >= end) {
                break;
            }
            it.remove();
            windowEvictedForSpace++;
        }
        List<Document> old = new ArrayList<>(pins.headMap(end).values());
        long bytes = 0;
        for (Document document : old) {
            bytes += document.recordBytes();
        }
        if (bytes > limits.segmentBytes() / 2) {
            // mostly unfinished work: copying it forward frees little; when it fills the journal, full() says so
            return;
        }
        for (Document document : old) {
            if (document.carrying) {
                continue;
            }
            carryForward(document);
        }
        log.deleteSegmentsBefore(minimumNeededLsn());
    }

    private void carryForward(Document document) {
        document.carrying = true;
        CompletableFuture<Void> synced = new CompletableFuture<>();
        JournalRecord copy = document.refusal != null
                ? new Refused(document.origin, document.refusal.location(), document.refusal.problem())
                : new Accepted(document.origin, document.sectionCount, Optional.ofNullable(document.document),
                        document.results.clone());
        long lsn = log.append(copy.encode(), Durability.SOON, synced);
        carriedForward++;
        // the old copy stays needed until the new one is on disk
        synced.thenRunAsync(() -> {
            document.carrying = false;
            if (pending.get(document.origin.key()) == document && pins.remove(document.pin) != null) {
                document.pin = lsn;
                pins.put(lsn, document);
            }
        }, loop);
    }

    private long minimumNeededLsn() {
        long minimum = Long.MAX_VALUE;
        if (!pins.isEmpty()) {
            minimum = pins.firstKey();
        }
        if (!window.isEmpty()) {
            minimum = Math.min(minimum, window.values().iterator().next().lsn);
        }
        return minimum;
    }

    /** Whether the journal has reached its size bound: take no new document until it has room again. */
    public boolean full() {
        return log.diskBytes() + log.queuedBytes() + log.segmentBytes() > limits.maxBytes();
    }

    private void trimWindow() {
        long now = clock.millis();
        for (Iterator<WindowEntry> it = window.values().iterator(); it.hasNext(); ) {
            WindowEntry entry = it.next();
            if (window.size() > limits.windowSize() || expired(entry, now)) {
                it.remove();
            } else {
                break;
            }
        }
    }

    private boolean expired(WindowEntry entry, long now) {
        return now - entry.acceptedAtMillis > limits.windowAge().toMillis();
    }

    public int pendingCount() {
        return pending.size();
    }

    public int windowCount() {
        return window.size();
    }

    public long diskBytes() {
        return log.diskBytes();
    }

    public int segmentCount() {
        return log.segmentCount();
    }

    public long syncs() {
        return log.syncs();
    }

    /** Window keys given up early to free disk space. */
    public long windowEvictedForSpace() {
        return windowEvictedForSpace;
    }

    /** Documents copied forward to free an old segment. */
    public long carriedForward() {
        return carriedForward;
    }

    /** The error that stopped the journal, if one did. */
    public Optional<IOException> failure() {
        return Optional.ofNullable(log.failure());
    }

    public int maxRecordBytes() {
        return log.maxBodyBytes();
    }

    @Override
    public void close() {
        log.close();
    }

    /** Why a document is not run. */
    public record Refusal(String location, String problem) {
    }

    private record WindowEntry(long lsn, long acceptedAtMillis) {
    }

    /** A pending document: where it came from, its sections' results so far. */
    public static final class Document {
        private final Origin origin;
        private final int sectionCount;
        private final String[] results;
        private final Refusal refusal;
        private byte[] document;
        private int remaining;
        private long pin;
        private boolean carrying;

        Document(Origin origin, int sectionCount, byte[] document, String[] results, Refusal refusal, long pin) {
            this.origin = origin;
            this.sectionCount = sectionCount;
            this.document = document;
            this.results = results;
            this.refusal = refusal;
            this.pin = pin;
            for (String result : results) {
                remaining += result == null ? 1 : 0;
            }
        }

        /** About what its records take in the journal. */
        long recordBytes() {
            long bytes = 64L + origin.key().length() + origin.id().length() + origin.responseTopic().length()
                    + (document == null ? 0 : document.length);
            for (String result : results) {
                bytes += result == null ? 0 : result.length() + 16;
            }
            return bytes;
        }

        void setResult(int section, String result) {
            if (results[section] == null) {
                results[section] = result;
                remaining--;
            }
        }

        void merge(String[] known) {
            for (int i = 0; i < known.length && i < results.length; i++) {
                if (known[i] != null) {
                    setResult(i, known[i]);
                }
            }
        }

        public Origin origin() {
            return origin;
        }

        public int sectionCount() {
            return sectionCount;
        }

        /** The document's bytes, while some section has no result. */
        public Optional<byte[]> document() {
            return Optional.ofNullable(document);
        }

        /** The result of a section, if it has finished. */
        public Optional<String> result(int section) {
            return Optional.ofNullable(results[section]);
        }

        /** Why it is not run, for a refused document. */
        public Optional<Refusal> refusal() {
            return Optional.ofNullable(refusal);
        }

        /** Whether every section has its result (always, for a refused document). */
        public boolean complete() {
            return remaining == 0;
        }

        @Override
        public String toString() {
            return "document " + origin.id() + " (" + sectionCount + " sections, " + remaining + " to run"
                    + (refusal != null ? ", refused" : "") + ")";
        }
    }
}
