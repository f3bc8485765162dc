package dev.pathpoint.mqtt.internal.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of records in segment files, with a checksum per record and group commit.
 *
 * <p>On disk (all numbers big-endian): a directory of segment files {@code segment-<20 digits>.log},
 * each preallocated with zeros to its capacity so that a sync only writes data, never file metadata.
 * A segment starts with a 16-byte header: the magic {@code PPJ1}, the format version (u32, 1) and the
 * segment's sequence number (u64). Records follow back to back, each framed as
 * {@code u32 length | u32 CRC32C | body}, the checksum taken over the 4 length bytes and the body. A
 * length of 0 (the zero fill) ends a segment. A frame whose length runs past the segment or whose
 * checksum does not match (a write torn by a crash) also ends it: the rest of that segment is
 * ignored, and new records always go to a new segment, so bytes after a torn record are never read.
 *
 * <p>An append frames its record into a buffer on the caller's thread; a {@link Durability#WRITTEN}
 * one also writes the buffer out at once, so that its caller goes on without a thread hand-off and
 * never waits behind a sync in progress. One syncer thread writes out what is buffered and forces
 * the files once for everything appended so far (group commit): syncs never cap throughput, however
 * many appends arrive, and a sync never holds up an append. An append that someone waits for is
 * synced at once ({@link Durability#NOW}) or within {@code lazySyncDelay} ({@link Durability#SOON});
 * appends nobody waits for are synced with the next sync, at the latest after a second. A WRITTEN
 * append is waited for only until it is written, then synced like a SOON one.
 *
 * <p>Each record gets a log sequence number (LSN), increasing in append order; LSNs are not stored
 * and start again from 0 at each open, in the order the records are read back.
 */
public final class RecordLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordLog.class);
    static final byte[] MAGIC = "PPJ1".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    static final int HEADER_BYTES = 16;
    static final int FRAME_BYTES = 8;
    private static final Pattern SEGMENT_NAME = Pattern.compile("segment-(\\d{20})\\.log");
    private static final long BACKGROUND_SYNC_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int ZERO_CHUNK = 1 << 20;

    /** How soon an append must be on disk. */
    public enum Durability {
        /** Nobody waits: synced with the next sync, at the latest after a second. */
        LATER,
        /** Someone waits, but a short delay is fine: synced within the lazy sync delay. */
        SOON,
        /** Someone waits on the critical path: synced as soon as the writer gets to it. */
        NOW,
        /**
         * Someone waits on the critical path, but only for the record to reach the operating system,
         * where it survives a crash of this process (not of the machine): its future completes once it
         * is written; it is synced within the lazy sync delay.
         */
        WRITTEN
    }

    /** A record read back at open. */
    public record Recovered(long lsn, long segment, ByteBuffer body) {
    }

    private final Path directory;
    private final int segmentBytes;
    private final long lazySyncDelayNanos;
    private final AtomicLong nextLsn = new AtomicLong();
    private final Thread syncer;
    /** Closed segments and the open one, oldest first; guarded by itself. */
    private final List<Segment> segments = new ArrayList<>();
    private final AtomicLong syncs = new AtomicLong();
    /** Bytes appended and not yet written to a segment. */
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile IOException failure;
    private volatile boolean closed;
    /**
     * Guards the output buffer, the open segment and the sync bookkeeping below. Appends frame and
     * write under it; the syncer holds it only to write out the buffer and collect its work, never
     * while it forces a file. No future is completed while it is held.
     */
    private final ReentrantLock appendLock = new ReentrantLock();
    private final Condition syncWanted = appendLock.newCondition();
    private Segment current;
    private CompletableFuture<Segment> spare;
    private long nextSegmentSequence;
    private ByteBuffer out = ByteBuffer.allocate(1 << 20);
    /** Appends waiting for the next sync, in append order. */
    private final List<CompletableFuture<Void>> waiters = new ArrayList<>();
    /** Segments rolled away from: the next sync forces them, then closes them. */
    private final List<Segment> retired = new ArrayList<>();
    /** Whether something was appended since the last sync collected its work. */
    private boolean dirty;
    private boolean urgent;
    private long deadline = Long.MAX_VALUE;
    /** The deadline the syncer sleeps until (MAX_VALUE: until signalled; MIN_VALUE: it is not sleeping). */
    private long syncerWake = Long.MIN_VALUE;
    private boolean closing;
    private FileChannel lockChannel;
    private java.nio.channels.FileLock lock;

    private RecordLog(Path directory, int segmentBytes, long lazySyncDelayNanos) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.lazySyncDelayNanos = lazySyncDelayNanos;
        this.syncer = new Thread(this::syncLoop, "pathpoint-mqtt-journal-" + directory.getFileName());
        syncer.setDaemon(true);
    }

    /**
     * Opens the log in {@code directory} (created if missing), handing every intact record to
     * {@code recovered} in order, then starts a fresh segment for new records.
     *
     * @param segmentBytes the capacity of a segment; a record's body must fit in one with its frame
     * @param lazySyncDelay how long a {@link Durability#SOON} append may wait for its sync
     */
    public static RecordLog open(Path directory, int segmentBytes, java.time.Duration lazySyncDelay,
            java.util.function.Consumer<Recovered> recovered) throws IOException {
        if (segmentBytes < HEADER_BYTES + FRAME_BYTES + 1) {
            throw new IllegalArgumentException("segment size " + segmentBytes + " is too small");
        }
        Files.createDirectories(directory);
        RecordLog log = new RecordLog(directory, segmentBytes, lazySyncDelay.toNanos());
        log.lock();
        try {
            log.recover(recovered);
        } catch (IOException | RuntimeException e) {
            log.unlock();
            throw e;
        }
        log.current = log.createSegment(log.nextSegmentSequence++);
        synchronized (log.segments) {
            log.segments.add(log.current);
        }
        log.syncer.start();
        return log;
    }

    /** The most body bytes one record can hold. */
    public int maxBodyBytes() {
        return segmentBytes - HEADER_BYTES - FRAME_BYTES;
    }

    /**
     * Appends a record and returns its LSN. {@code synced}, if given, completes once the record is on
     * disk (for {@link Durability#WRITTEN}: once it is written, on the calling thread before this
     * returns; else on the syncer thread: keep its callbacks short), or exceptionally if the log fails.
     */
    public long append(byte[] body, Durability durability, CompletableFuture<Void> synced) {
        if (body.length == 0 || body.length > maxBodyBytes()) {
            throw new IllegalArgumentException("record of " + body.length + " bytes, expected 1 to " + maxBodyBytes());
        }
        long lsn = -1;
        IOException failed;
        List<CompletableFuture<Void>> abandoned = List.of();
        appendLock.lock();
        try {
            failed = failure != null ? failure : closing ? new IOException("the journal is closed") : null;
            if (failed == null) {
                try {
                    lsn = nextLsn.getAndIncrement();
                    frame(body, lsn);
                    if (durability == Durability.WRITTEN) {
                        flush();
                    } else if (synced != null) {
                        waiters.add(synced);
                    }
                    requestSync(durability);
                } catch (IOException e) {
                    failed = e;
                    abandoned = failLocked(e);
                    lsn = -1;
                }
            }
        } finally {
            appendLock.unlock();
        }
        IOException reason = failed;
        abandoned.forEach(waiter -> waiter.completeExceptionally(reason));
        if (synced != null) {
            if (reason != null) {
                synced.completeExceptionally(reason);
            } else if (durability == Durability.WRITTEN) {
                synced.complete(null);
            }
        }
        return lsn;
    }

    /** Tells the syncer when the append just made must be on disk. Under the append lock. */
    private void requestSync(Durability durability) {
        dirty = true;
        switch (durability) {
            case NOW -> urgent = true;
            case SOON, WRITTEN -> deadline = Math.min(deadline, System.nanoTime() + lazySyncDelayNanos);
            case LATER -> deadline = Math.min(deadline, System.nanoTime() + BACKGROUND_SYNC_NANOS);
        }
        // wake the syncer only if it sleeps past what is now due: a wake-up per append would cost more than the write
        if (urgent ? syncerWake != Long.MIN_VALUE : deadline < syncerWake) {
            syncWanted.signal();
        }
    }

    /** Records the failure that stops the log; returns the waiters to fail (outside the lock). Under the append lock. */
    private List<CompletableFuture<Void>> failLocked(IOException e) {
        if (failure == null) {
            failure = e;
            LOG.error("Journal {} failed, nothing more is written to it: {}", directory, e.toString());
        }
        List<CompletableFuture<Void>> abandoned = new ArrayList<>(waiters);
        waiters.clear();
        syncWanted.signal();
        return abandoned;
    }

    /** Deletes every closed segment whose records all have an LSN below {@code lsn}. */
    public void deleteSegmentsBefore(long lsn) {
        List<Segment> doomed = new ArrayList<>();
        synchronized (segments) {
            for (Iterator<Segment> it = segments.iterator(); it.hasNext(); ) {
                Segment segment = it.next();
                if (segment.closed && segment.lastLsn < lsn) {
                    it.remove();
                    doomed.add(segment);
                } else {
                    break; // keep the order: never leave a hole before a kept segment
                }
            }
        }
        for (Segment segment : doomed) {
            try {
                Files.deleteIfExists(segment.path);
            } catch (IOException e) {
                LOG.warn("Journal segment {} could not be deleted: {}", segment.path, e.toString());
            }
        }
    }

    /** The LSN after the last record of the oldest closed segment, or -1 if only the open segment exists. */
    public long oldestClosedSegmentEnd() {
        synchronized (segments) {
            Segment oldest = segments.get(0);
            return oldest.closed ? oldest.lastLsn + 1 : -1;
        }
    }

    /** Segments on disk, the open one included. */
    public int segmentCount() {
        synchronized (segments) {
            return segments.size();
        }
    }

    /** Bytes the segments take on disk (they are preallocated). */
    public long diskBytes() {
        synchronized (segments) {
            return (long) segments.size() * segmentBytes;
        }
    }

    /** Bytes appended and not written yet: the disk will need room for them. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    public int segmentBytes() {
        return segmentBytes;
    }

    /** Syncs done since open. */
    public long syncs() {
        return syncs.get();
    }

    /** The error that stopped the writer, if one did. */
    public IOException failure() {
        return failure;
    }

    /** Writes and syncs what is appended, then closes the files. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        appendLock.lock();
        try {
            closing = true;
            syncWanted.signal();
        } finally {
            appendLock.unlock();
        }
        try {
            syncer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (segments) {
            for (Segment segment : segments) {
                segment.closeChannel();
            }
            if (current != null && current.firstLsn == Long.MAX_VALUE && failure == null) {
                // opened and never written: leave no empty segment behind
                segments.remove(current);
                deleteQuietly(current.path);
            }
        }
        if (spare != null) {
            try {
                Segment unused = spare.join();
                unused.closeChannel();
                deleteQuietly(unused.path);
            } catch (RuntimeException e) {
                // its creation failed: nothing to remove
            }
        }
        unlock();
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("Could not delete {}: {}", path, e.toString());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // recovery

    /** One writer per journal: a second link on the same directory (same gatewayId?) is refused. */
    private void lock() throws IOException {
        lockChannel = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("the journal in " + directory + " is in use by another link (two configurations"
                    + " with the same gatewayId or journalDirectory?)");
        }
    }

    private void unlock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.debug("Releasing the lock of {}: {}", directory, e.toString());
        }
    }

    private void recover(java.util.function.Consumer<Recovered> recovered) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(directory)) {
            list.filter(path -> SEGMENT_NAME.matcher(path.getFileName().toString()).matches()).sorted().forEach(files::add);
        }
        for (Path file : files) {
            Matcher name = SEGMENT_NAME.matcher(file.getFileName().toString());
            name.matches();
            long sequence = Long.parseLong(name.group(1));
            nextSegmentSequence = Math.max(nextSegmentSequence, sequence + 1);
            Segment segment = readSegment(file, sequence, recovered);
            if (segment == null) {
                continue;
            }
            if (segment.firstLsn > segment.lastLsn) {
                // nothing in it: a spare made before a stop, or a segment whose records were all torn
                segment.closeChannel();
                Files.deleteIfExists(file);
            } else {
                segment.closeChannel();
                synchronized (segments) {
                    segments.add(segment);
                }
            }
        }
    }

    /** Reads one segment's intact records; null if the file is not a segment (it is set aside). */
    private Segment readSegment(Path file, long sequence, java.util.function.Consumer<Recovered> recovered)
            throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            readFully(channel, header, 0);
            header.flip();
            byte[] magic = new byte[4];
            if (header.remaining() == HEADER_BYTES) {
                header.get(magic);
            }
            if (header.remaining() != HEADER_BYTES - 4 || !java.util.Arrays.equals(magic, MAGIC)) {
                if (size <= HEADER_BYTES || isAllZero(channel)) {
                    // a crash while the segment was being created: it never held a record
                    LOG.info("Journal {}: removing segment {} that was never written", directory, file.getFileName());
                    Files.delete(file);
                    return null;
                }
                Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
                LOG.error("Journal {}: {} is not a journal segment (bad header); moved aside to {}", directory,
                        file.getFileName(), aside.getFileName());
                Files.move(file, aside);
                return null;
            }
            int version = header.getInt();
            long headerSequence = header.getLong();
            if (version != FORMAT_VERSION || headerSequence != sequence) {
                Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
                LOG.error("Journal {}: {} has format version {} and sequence {}, expected {} and {}; moved aside to {}",
                        directory, file.getFileName(), version, headerSequence, FORMAT_VERSION, sequence, aside.getFileName());
                Files.move(file, aside);
                return null;
            }
            Segment segment = new Segment(sequence, file, null, (int) Math.min(size, Integer.MAX_VALUE));
            segment.firstLsn = nextLsn.get();
            segment.lastLsn = segment.firstLsn - 1;
            long position = HEADER_BYTES;
            ByteBuffer frame = ByteBuffer.allocate(FRAME_BYTES);
            CRC32C crc = new CRC32C();
            while (position + FRAME_BYTES <= size) {
                frame.clear();
                readFully(channel, frame, position);
                frame.flip();
                int length = frame.getInt();
                int checksum = frame.getInt();
                if (length == 0) {
                    break; // the zero fill: the end of what was written
                }
                if (length < 0 || position + FRAME_BYTES + length > size) {
                    LOG.warn("Journal {}: record at offset {} of {} has a length of {} that does not fit; the rest of"
                            + " the segment is ignored (a write torn by a crash)", directory, position, file.getFileName(), length);
                    break;
                }
                ByteBuffer body = ByteBuffer.allocate(length);
                readFully(channel, body, position + FRAME_BYTES);
                body.flip();
                crc.reset();
                crc.update(frame.array(), 0, 4);
                crc.update(body.array(), 0, length);
                if ((int) crc.getValue() != checksum) {
                    LOG.warn("Journal {}: record at offset {} of {} fails its checksum; the rest of the segment is"
                            + " ignored (a write torn by a crash)", directory, position, file.getFileName());
                    break;
                }
                long lsn = nextLsn.getAndIncrement();
                segment.lastLsn = lsn;
                recovered.accept(new Recovered(lsn, sequence, body.asReadOnlyBuffer()));
                position += FRAME_BYTES + length;
            }
            segment.writePosition = position;
            segment.closed = true;
            return segment;
        }
    }

    private static boolean isAllZero(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long position = 0;
        while (true) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n < 0) {
                return true;
            }
            for (int i = 0; i < n; i++) {
                if (buffer.get(i) != 0) {
                    return false;
                }
            }
            position += n;
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                return;
            }
            position += n;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // writing

    private Segment createSegment(long sequence) throws IOException {
        Path file = directory.resolve(String.format("segment-%020d.log", sequence));
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
            long position = 0;
            while (position < segmentBytes) {
                zeros.clear();
                zeros.limit((int) Math.min(ZERO_CHUNK, segmentBytes - position));
                while (zeros.hasRemaining()) {
                    position += channel.write(zeros, position);
                }
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
            header.put(MAGIC).putInt(FORMAT_VERSION).putLong(sequence).flip();
            while (header.hasRemaining()) {
                channel.write(header, HEADER_BYTES - header.remaining());
            }
            channel.force(true);
            forceDirectory();
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(file);
            throw e;
        }
        Segment segment = new Segment(sequence, file, channel, segmentBytes);
        segment.writePosition = HEADER_BYTES;
        segment.firstLsn = Long.MAX_VALUE;
        segment.lastLsn = -1;
        return segment;
    }

    /** Makes a new file's directory entry durable (Linux allows forcing a directory opened for reading). */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not possible on every platform; the file's own sync still holds its content
        }
    }

    /**
     * The syncer: sleeps until a sync is due, writes out the buffer and collects the waiters and the
     * retired segments under the append lock, then forces the files without it and completes the waiters.
     */
    private void syncLoop() {
        List<CompletableFuture<Void>> batch = new ArrayList<>();
        List<Segment> rolledAway = new ArrayList<>();
        while (true) {
            Segment open;
            boolean last;
            List<CompletableFuture<Void>> abandoned = List.of();
            IOException failed = null;
            appendLock.lock();
            try {
                while (failure == null && !closing && !(dirty && (urgent || System.nanoTime() - deadline >= 0))) {
                    syncerWake = dirty ? deadline : Long.MAX_VALUE;
                    if (dirty) {
                        syncWanted.awaitNanos(deadline - System.nanoTime());
                    } else {
                        syncWanted.await();
                    }
                }
                syncerWake = Long.MIN_VALUE;
                last = closing || failure != null;
                if (failure != null) {
                    failed = failure;
                    abandoned = failLocked(failure);
                } else {
                    try {
                        flush();
                    } catch (IOException e) {
                        failed = e;
                        abandoned = failLocked(e);
                    }
                }
                open = current;
                if (failed == null) {
                    batch.addAll(waiters);
                    waiters.clear();
                    rolledAway.addAll(retired);
                    retired.clear();
                    dirty = false;
                    urgent = false;
                    deadline = Long.MAX_VALUE;
                }
            } catch (InterruptedException e) {
                failed = new IOException("the journal's syncer was interrupted");
                abandoned = failLocked(failed);
                last = true;
                open = null;
            } finally {
                appendLock.unlock();
            }
            if (failed == null) {
                try {
                    for (Segment segment : rolledAway) {
                        segment.channel.force(false);
                    }
                    open.channel.force(false);
                    syncs.incrementAndGet();
                    closeRetired(rolledAway);
                } catch (IOException | RuntimeException e) {
                    failed = e instanceof IOException io ? io : new IOException("the journal's syncer failed: " + e, e);
                    appendLock.lock();
                    try {
                        abandoned = failLocked(failed);
                    } finally {
                        appendLock.unlock();
                    }
                    abandoned = new ArrayList<>(abandoned);
                    abandoned.addAll(batch);
                    batch.clear();
                    last = true;
                }
            }
            IOException reason = failed;
            abandoned.forEach(waiter -> waiter.completeExceptionally(reason));
            batch.forEach(waiter -> waiter.complete(null));
            batch.clear();
            rolledAway.clear();
            if (last) {
                return;
            }
        }
    }

    /** Closes segments rolled away from, now synced; their records stay readable until deleted. Syncer thread. */
    private void closeRetired(List<Segment> rolledAway) throws IOException {
        for (Segment old : rolledAway) {
            synchronized (segments) {
                old.closed = true;
                old.closeChannel();
                if (old.firstLsn == Long.MAX_VALUE) {
                    // a segment that got no record (cannot happen with records smaller than a segment): drop it
                    segments.remove(old);
                    Files.deleteIfExists(old.path);
                }
            }
        }
    }

    /** Frames a record into the output buffer, rolling to a new segment when it does not fit. Under the append lock. */
    private void frame(byte[] body, long lsn) throws IOException {
        int frameLength = FRAME_BYTES + body.length;
        if (current.writePosition + out.position() + frameLength > segmentBytes) {
            flush();
            roll();
        }
        if (out.remaining() < frameLength) {
            flush();
            if (out.capacity() < frameLength) {
                out = ByteBuffer.allocate(frameLength);
            }
        }
        CRC32C crc = new CRC32C();
        int start = out.position();
        out.putInt(body.length);
        crc.update(out.array(), start, 4);
        crc.update(body, 0, body.length);
        out.putInt((int) crc.getValue());
        out.put(body);
        queuedBytes.addAndGet(frameLength);
        if (current.firstLsn == Long.MAX_VALUE) {
            current.firstLsn = lsn;
        }
        current.lastLsn = lsn;
        if (spare == null && current.writePosition + out.position() > segmentBytes / 2) {
            long sequence = nextSegmentSequence++;
            spare = CompletableFuture.supplyAsync(() -> {
                try {
                    return createSegment(sequence);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, runnable -> {
                Thread thread = new Thread(runnable, "pathpoint-mqtt-journal-prepare");
                thread.setDaemon(true);
                thread.start();
            });
        }
    }

    /** Writes the buffer to the open segment. Under the append lock. */
    private void flush() throws IOException {
        int bytes = out.position();
        out.flip();
        while (out.hasRemaining()) {
            current.writePosition += current.channel.write(out, current.writePosition);
        }
        out.clear();
        queuedBytes.addAndGet(-bytes);
    }

    /**
     * Moves to the prepared segment; the one rolled away from is synced and closed by the next sync,
     * asked for at once. Under the append lock, output flushed.
     */
    private void roll() throws IOException {
        Segment next;
        try {
            next = spare != null ? spare.join() : createSegment(nextSegmentSequence++);
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof UncheckedIOException io ? io.getCause() : new IOException(e.getCause());
        }
        spare = null;
        retired.add(current);
        synchronized (segments) {
            segments.add(next);
            current = next;
        }
        requestSync(Durability.NOW);
    }

    private static final class Segment {
        final long sequence;
        final Path path;
        FileChannel channel;
        final int capacity;
        long writePosition;
        long firstLsn;
        long lastLsn;
        volatile boolean closed;

        Segment(long sequence, Path path, FileChannel channel, int capacity) {
            this.sequence = sequence;
            this.path = path;
            this.channel = channel;
            this.capacity = capacity;
        }

        void closeChannel() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing a file we no longer write
                }
                channel = null;
            }
        }

        @Override
        public String toString() {
            return "segment " + sequence + " [" + firstLsn + ".." + lastLsn + "]";
        }
    }

}
