package dev.pathpoint.mqtt.internal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.mqtt.internal.journal.JournalRecord.Origin;
import dev.pathpoint.mqtt.internal.journal.Ledger.Document;
import dev.pathpoint.mqtt.internal.journal.Ledger.Standing;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger: what survives a reopen, the dedupe window's bounds, and the journal's disk bound. */
class LedgerTest {
    private static final int SEGMENT = 64 * 1024;
    @TempDir
    Path dir;
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    /** Sync callbacks are posted here and run on the test's thread, the ledger's only one, by {@link #runPosted()}. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> posted = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Executor direct = posted::add;

    private void runPosted() {
        for (Runnable runnable = posted.poll(); runnable != null; runnable = posted.poll()) {
            runnable.run();
        }
    }

    private Ledger open(int windowSize, long maxBytes) throws Exception {
        return open(windowSize, maxBytes, Duration.ofMillis(1), false);
    }

    private Ledger open(int windowSize, long maxBytes, Duration lazySyncDelay, boolean resultsAfterSync) throws Exception {
        return Ledger.open(dir, new Ledger.Limits(maxBytes, SEGMENT, windowSize, Duration.ofMinutes(10),
                lazySyncDelay, resultsAfterSync), clock, direct);
    }

    @Test
    void aDocumentsResultsAreRecordedOnceWrittenOrWithResultsAfterSyncOnceSynced() throws Exception {
        // an hour of lazy delay: only a result that must be synced syncs during the test
        Ledger written = open(100, 16L * SEGMENT, Duration.ofHours(1), false);
        Document first = written.accept(origin("first"), 1, "{}".getBytes(), new CompletableFuture<>());
        CompletableFuture<Void> recorded = new CompletableFuture<>();
        written.sectionDone(first, 0, "{\"r\":1}", recorded);
        sync(recorded);
        assertEquals(0, written.syncs(), "recorded once written, not synced yet");
        written.close();
        Ledger reopened = open(100, 16L * SEGMENT, Duration.ofHours(1), true);
        assertTrue(reopened.pendingDocument("first").orElseThrow().complete(), "the written result came back");
        Document second = reopened.accept(origin("second"), 1, "{}".getBytes(), new CompletableFuture<>());
        CompletableFuture<Void> synced = new CompletableFuture<>();
        reopened.sectionDone(second, 0, "{\"r\":2}", synced);
        sync(synced);
        assertEquals(1, reopened.syncs(), "recorded once synced");
        reopened.close();
    }

    private Origin origin(String key) {
        return new Origin(key, key, "", Optional.empty(), now.get());
    }

    private static void sync(CompletableFuture<Void> synced) throws Exception {
        synced.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPreparedDocumentIsTakenOnlyOnAcceptAndNeverAfterAResult() throws Exception {
        Ledger ledger = open(100, 16L * SEGMENT);
        Document prepared = ledger.prepare(origin("early"), 1, "{}".getBytes());
        assertEquals(Standing.NEW, ledger.standing("early"), "not taken before accept");
        CompletableFuture<Void> synced = new CompletableFuture<>();
        ledger.accept(prepared, synced);
        sync(synced);
        assertEquals(Standing.PENDING, ledger.standing("early"));
        assertThrows(IllegalStateException.class, () -> ledger.prepare(origin("early"), 1, "{}".getBytes()));

        Document late = ledger.prepare(origin("late"), 1, "{}".getBytes());
        late.setResult(0, "{\"r\":1}");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ledger.accept(late, new CompletableFuture<>()));
        assertTrue(e.getMessage().contains("has results before it was taken"), e.getMessage());
        ledger.close();
        Ledger reopened = open(100, 16L * SEGMENT);
        assertEquals(Standing.PENDING, reopened.standing("early"), "its record survives a reopen");
        reopened.close();
    }

    @Test
    void unfinishedDocumentsAndTheirResultsSurviveAReopen() throws Exception {
        Ledger ledger = open(100, 16L * SEGMENT);
        CompletableFuture<Void> synced = new CompletableFuture<>();
        Document two = ledger.accept(origin("two"), 2, "[{},{}]".getBytes(), synced);
        ledger.sectionDone(two, 0, "{\"first\":1}", null);
        Document done = ledger.accept(origin("done"), 1, "{}".getBytes(), new CompletableFuture<>());
        CompletableFuture<Void> last = new CompletableFuture<>();
        ledger.sectionDone(done, 0, "{\"r\":1}", last);
        sync(last);
        ledger.published(done);
        ledger.refuse(origin("bad"), "$.orders", "missing", new CompletableFuture<>());
        CompletableFuture<Void> end = new CompletableFuture<>();
        Document three = ledger.accept(origin("three"), 1, "{}".getBytes(), new CompletableFuture<>());
        ledger.sectionDone(three, 0, "{\"r\":3}", end);
        sync(end);
        ledger.close();

        Ledger again = open(100, 16L * SEGMENT);
        assertEquals(Standing.PENDING, again.standing("two"));
        assertEquals(Standing.FINISHED, again.standing("done"));
        assertEquals(Standing.PENDING, again.standing("bad"));
        assertEquals(Standing.NEW, again.standing("never"));
        Document recovered = again.pendingDocument("two").orElseThrow();
        assertEquals("{\"first\":1}", recovered.result(0).orElseThrow());
        assertTrue(recovered.result(1).isEmpty());
        assertTrue(recovered.document().isPresent(), "its document is kept to run section 1 again");
        Document completed = again.pendingDocument("three").orElseThrow();
        assertTrue(completed.complete(), "all results there: only its publish is missing");
        assertTrue(again.pendingDocument("bad").orElseThrow().refusal().isPresent());
        assertEquals(3, again.pendingCount());
        again.close();
    }

    @Test
    void theWindowForgetsBeyondItsSizeAndItsAge() throws Exception {
        Ledger ledger = open(3, 16L * SEGMENT);
        for (String key : new String[] {"a", "b", "c", "d"}) {
            Document document = ledger.accept(origin(key), 1, "{}".getBytes(), new CompletableFuture<>());
            CompletableFuture<Void> synced = new CompletableFuture<>();
            ledger.sectionDone(document, 0, "{}", synced);
            sync(synced);
            ledger.published(document);
        }
        assertEquals(Standing.NEW, ledger.standing("a"), "the oldest of 4 left a window of 3");
        assertEquals(Standing.FINISHED, ledger.standing("b"));
        now.addAndGet(Duration.ofMinutes(11).toMillis());
        assertEquals(Standing.NEW, ledger.standing("d"), "older than the window's 10 minutes");
        ledger.compact();
        assertEquals(0, ledger.windowCount());
        ledger.close();
    }

    @Test
    void finishedSegmentsAreDeletedAndTheDiskStaysBounded() throws Exception {
        long max = 8L * SEGMENT;
        Ledger ledger = open(10, max);
        byte[] payload = new byte[2000];
        // one document that never finishes, in the first segment
        Document stuck = ledger.accept(origin("stuck"), 1, payload, new CompletableFuture<>());
        for (int i = 0; i < 2000; i++) {
            Document document = ledger.accept(origin("d" + i), 1, payload, new CompletableFuture<>());
            CompletableFuture<Void> synced = new CompletableFuture<>();
            ledger.sectionDone(document, 0, "{}", synced);
            sync(synced);
            ledger.published(document);
            runPosted();
            ledger.compact();
            assertTrue(ledger.diskBytes() <= max + 2L * SEGMENT, "journal at " + ledger.diskBytes() + " bytes");
        }
        assertFalse(ledger.full());
        assertTrue(ledger.carriedForward() > 0, "the stuck document was copied forward");
        assertEquals(Standing.PENDING, ledger.standing("stuck"));
        ledger.close();
        Ledger again = open(10, max);
        assertEquals(Standing.PENDING, again.standing("stuck"), "its copy survives the reopen");
        assertTrue(again.pendingDocument("stuck").orElseThrow().document().isPresent());
        assertEquals(1, again.pendingCount());
        assertEquals(Standing.FINISHED, again.standing("d1999"));
        again.close();
        assertTrue(stuck.sectionCount() == 1);
    }

    @Test
    void aJournalFullOfUnfinishedDocumentsSaysSo() throws Exception {
        Ledger ledger = open(10, 4L * SEGMENT);
        byte[] payload = new byte[8000];
        int taken = 0;
        while (!ledger.full() && taken < 1000) {
            ledger.accept(origin("p" + taken++), 1, payload, new CompletableFuture<>());
            ledger.compact();
        }
        assertTrue(ledger.full(), "never full after " + taken + " documents");
        assertTrue(taken < 40, taken + " documents of 8 kB in a 256 kB journal");
        ledger.close();
    }
}
