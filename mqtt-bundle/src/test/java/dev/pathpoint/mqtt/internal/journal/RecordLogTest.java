package dev.pathpoint.mqtt.internal.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.mqtt.internal.journal.RecordLog.Durability;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log's disk format: records come back in order, torn tails are cut, segments roll and go, syncs are shared. */
class RecordLogTest {
    private static final int SEGMENT = 64 * 1024;

    @TempDir
    Path dir;

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> reopen() throws IOException {
        List<String> bodies = new ArrayList<>();
        RecordLog log = RecordLog.open(dir, SEGMENT, Duration.ofMillis(1), record -> {
            byte[] bytes = new byte[record.body().remaining()];
            record.body().get(bytes);
            bodies.add(new String(bytes, StandardCharsets.UTF_8));
        });
        log.close();
        return bodies;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }

    @Test
    void recordsComeBackInOrderAfterAReopen() throws Exception {
        RecordLog log = RecordLog.open(dir, SEGMENT, Duration.ofMillis(1), record -> { });
        CompletableFuture<Void> synced = new CompletableFuture<>();
        for (int i = 0; i < 100; i++) {
            log.append(body("record " + i), i == 99 ? Durability.NOW : Durability.LATER, i == 99 ? synced : null);
        }
        synced.get(10, TimeUnit.SECONDS);
        log.close();
        List<String> bodies = reopen();
        assertEquals(100, bodies.size());
        assertEquals("record 0", bodies.get(0));
        assertEquals("record 99", bodies.get(99));
    }

    @Test
    void aWrittenAppendIsAwaitedOnlyUntilItIsInTheFileAndSyncedLater() throws Exception {
        // an hour of lazy delay: nothing but a NOW append or the close syncs during the test
        RecordLog log = RecordLog.open(dir, SEGMENT, Duration.ofHours(1), record -> { });
        CompletableFuture<Void> written = new CompletableFuture<>();
        log.append(body("a result"), Durability.WRITTEN, written);
        // written by the caller's thread before append returns: no hand-off, never behind a sync in progress
        assertTrue(written.isDone() && !written.isCompletedExceptionally(), "complete once append returns");
        assertEquals(0, log.syncs(), "not synced yet");
        // what another process (the next start after a kill -9) would read: the record is in the file
        String file = new String(Files.readAllBytes(segments().get(0)), StandardCharsets.ISO_8859_1);
        assertTrue(file.contains("a result"), "the record is in the segment file");
        CompletableFuture<Void> synced = new CompletableFuture<>();
        log.append(body("an acknowledgement"), Durability.NOW, synced);
        synced.get(10, TimeUnit.SECONDS);
        assertEquals(1, log.syncs(), "one sync, for the NOW append and the written one before it");
        log.close();
        assertEquals(List.of("a result", "an acknowledgement"), reopen());
    }

    @Test
    void aTornLastRecordIsCutAndNewRecordsGoToAFreshSegment() throws Exception {
        RecordLog log = RecordLog.open(dir, SEGMENT, Duration.ofMillis(1), record -> { });
        CompletableFuture<Void> synced = new CompletableFuture<>();
        log.append(body("first"), Durability.LATER, null);
        log.append(body("second, to be torn"), Durability.NOW, synced);
        synced.get(10, TimeUnit.SECONDS);
        log.close();
        Path segment = segments().get(0);
        // tear the second record: its last bytes never reached the disk
        long secondBody = RecordLog.HEADER_BYTES + RecordLog.FRAME_BYTES + 5 + RecordLog.FRAME_BYTES;
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(secondBody + 10);
            file.write(new byte[8]);
        }
        assertEquals(List.of("first"), reopen());

        RecordLog again = RecordLog.open(dir, SEGMENT, Duration.ofMillis(1), record -> { });
        CompletableFuture<Void> third = new CompletableFuture<>();
        again.append(body("third"), Durability.NOW, third);
        third.get(10, TimeUnit.SECONDS);
        again.close();
        assertEquals(List.of("first", "third"), reopen());
        assertEquals(2, segments().size(), "the damaged segment is never written again");
    }

    @Test
    void aLengthRunningPastTheSegmentEndsIt() throws Exception {
        RecordLog log = RecordLog.open(dir, SEGMENT, Duration.ofMillis(1), record -> { });
        CompletableFuture<Void> synced = new CompletableFuture<>();
        log.append(body("only"), Durability.NOW, synced);
        synced.get(10, TimeUnit.SECONDS);
        log.close();
        try (RandomAccessFile file = new RandomAccessFile(segments().get(0).toFile(), "rw")) {
            file.seek(RecordLog.HEADER_BYTES + RecordLog.FRAME_BYTES + 4);
            file.writeInt(Integer.MAX_VALUE); // a garbage length where the next frame would start
            file.writeInt(12345);
        }
        assertEquals(List.of("only"), reopen());
    }

    @Test
    void segmentsRollAndThoseNobodyNeedsAreDeleted() throws Exception {
        RecordLog log = RecordLog.open(dir, SEGMENT, Duration.ofMillis(1), record -> { });
        byte[] kilobyte = new byte[1000];
        long last = 0;
        CompletableFuture<Void> synced = new CompletableFuture<>();
        for (int i = 0; i < 300; i++) {
            last = log.append(kilobyte, i == 299 ? Durability.NOW : Durability.LATER, i == 299 ? synced : null);
        }
        synced.get(10, TimeUnit.SECONDS);
        assertTrue(log.segmentCount() >= 4, "300 kB in 64 kB segments: " + log.segmentCount());
        log.deleteSegmentsBefore(last);
        assertEquals(1, log.segmentCount(), "only the open segment holds the last record");
        assertEquals(SEGMENT, log.diskBytes());
        log.close();
        assertEquals(1, segments().size(), "plus nothing: the prepared spare was empty and removed at reopen");
    }

    @Test
    void concurrentWaitersShareSyncs() throws Exception {
        RecordLog log = RecordLog.open(dir, 8 * 1024 * 1024, Duration.ofMillis(1), record -> { });
        List<CompletableFuture<Void>> all = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    CompletableFuture<Void> synced = new CompletableFuture<>();
                    synchronized (all) {
                        all.add(synced);
                    }
                    log.append(body("x"), Durability.NOW, synced);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertTrue(log.syncs() < 2000, "2000 appends that each wait for a sync took " + log.syncs() + " syncs");
        log.close();
    }

    @Test
    void aSecondWriterOnTheSameDirectoryIsRefused() throws Exception {
        RecordLog first = RecordLog.open(dir, SEGMENT, Duration.ofMillis(1), record -> { });
        IOException e = assertThrows(IOException.class, () -> RecordLog.open(dir, SEGMENT, Duration.ofMillis(1), record -> { }));
        assertTrue(e.getMessage().contains("in use by another link"), e.getMessage());
        first.close();
        RecordLog.open(dir, SEGMENT, Duration.ofMillis(1), record -> { }).close();
    }

    @Test
    void anOversizeRecordIsRefused() throws Exception {
        RecordLog log = RecordLog.open(dir, SEGMENT, Duration.ofMillis(1), record -> { });
        assertThrows(IllegalArgumentException.class, () -> log.append(new byte[SEGMENT], Durability.NOW, null));
        log.close();
    }

    @Test
    void aFileThatIsNotASegmentIsMovedAside() throws Exception {
        Files.write(dir.resolve("segment-00000000000000000007.log"), body("this is not a journal segment at all"));
        assertEquals(List.of(), reopen());
        assertTrue(Files.exists(dir.resolve("segment-00000000000000000007.log.unreadable")));
    }

    @Test
    void recordsDecodeToWhatWasEncoded() {
        JournalRecord.Origin origin = new JournalRecord.Origin("id:a", "a", "reply/here",
                java.util.Optional.of(new byte[] {1, 2}), 42);
        JournalRecord.Accepted accepted = new JournalRecord.Accepted(origin, 2, java.util.Optional.of(body("{}")),
                new String[] {null, "{\"succeeded\":true}"});
        JournalRecord.Accepted back = (JournalRecord.Accepted) JournalRecord.decode(ByteBuffer.wrap(accepted.encode()));
        assertEquals("reply/here", back.origin().responseTopic());
        assertArrayEquals(new byte[] {1, 2}, back.origin().correlationData().orElseThrow());
        assertEquals("{\"succeeded\":true}", back.results()[1]);
        assertEquals(null, back.results()[0]);
        assertThrows(IllegalArgumentException.class, () -> JournalRecord.decode(ByteBuffer.wrap(new byte[] {9})));
        assertThrows(IllegalArgumentException.class, () -> JournalRecord.decode(ByteBuffer.wrap(new byte[] {1, 0, 0})));
    }
}
