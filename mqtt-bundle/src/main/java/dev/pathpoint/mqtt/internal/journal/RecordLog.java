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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
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
 * <p>Appends are queued to one writer thread, which writes whatever has queued up and then forces
 * the file once for all of it (group commit): syncs never cap throughput, however many appends
 * arrive. An append that someone waits for is synced at once ({@link Durability#NOW}) or within
 * {@code lazySyncDelay} ({@link Durability#SOON}); appends nobody waits for are synced with the next
 * sync, at the latest after a second. A {@link Durability#WRITTEN} append is waited for only until
 * it is written (the writer writes it out before it syncs anything), then synced like a SOON one.
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
    private final LinkedBlockingQueue<Append> queue = new LinkedBlockingQueue<>();
    private final AtomicLong nextLsn = new AtomicLong();
    private final Thread writer;
    /** Closed segments and the open one, oldest first; guarded by itself. */
    private final List<Segment> segments = new ArrayList<>();
    private final AtomicLong syncs = new AtomicLong();
    /** Bytes appended and not yet written to a segment. */
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile IOException failure;
    private volatile boolean closed;
    // writer thread only
    private Segment current;
    private CompletableFuture<Segment> spare;
    private long nextSegmentSequence;
    private ByteBuffer out = ByteBuffer.allocate(1 << 20);
    private FileChannel lockChannel;
    private java.nio.channels.FileLock lock;

    private RecordLog(Path directory, int segmentBytes, long lazySyncDelayNanos) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.lazySyncDelayNanos = lazySyncDelayNanos;
        this.writer = new Thread(this::writeLoop, "pathpoint-mqtt-journal-" + directory.getFileName());
        writer.setDaemon(true);
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
        log.writer.start();
        return log;
    }

    /** The most body bytes one record can hold. */
    public int maxBodyBytes() {
        return segmentBytes - HEADER_BYTES - FRAME_BYTES;
    }

    /**
     * Queues a record. Returns its LSN at once; {@code synced}, if given, completes (on the writer
     * thread: keep its callbacks short) once the record is on disk, or exceptionally if the log fails.
     */
    public long append(byte[] body, Durability durability, CompletableFuture<Void> synced) {
        // (for WRITTEN, "synced" completes once the record is written: see Durability)
        if (body.length == 0 || body.length > maxBodyBytes()) {
            throw new IllegalArgumentException("record of " + body.length + " bytes, expected 1 to " + maxBodyBytes());
        }
        IOException failed = failure;
        if (failed != null || closed) {
            if (synced != null) {
                synced.completeExceptionally(failed != null ? failed : new IOException("the journal is closed"));
            }
            return -1;
        }
        queuedBytes.addAndGet(FRAME_BYTES + body.length);
        synchronized (queue) {
            long lsn = nextLsn.getAndIncrement();
            queue.add(new Append(lsn, body, durability, synced));
            return lsn;
        }
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

    /** Writes and syncs what is queued, then closes the files. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(Append.CLOSE);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
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

    private void writeLoop() {
        ArrayDeque<Append> waiting = new ArrayDeque<>();
        List<Append> written = new ArrayList<>();
        List<Append> batch = new ArrayList<>();
        boolean dirty = false;
        boolean urgent = false;
        long deadline = Long.MAX_VALUE;
        boolean closing = false;
        try {
            while (true) {
                Append first;
                if (!dirty) {
                    first = closing ? null : queue.take();
                } else if (urgent || closing) {
                    first = queue.poll();
                } else {
                    long wait = deadline - System.nanoTime();
                    first = wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
                }
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch);
                    for (Append append : batch) {
                        if (append == Append.CLOSE) {
                            closing = true;
                            continue;
                        }
                        write(append);
                        dirty = true;
                        if (append.synced != null) {
                            (append.durability == Durability.WRITTEN ? written : waiting).add(append);
                        }
                        long now = System.nanoTime();
                        switch (append.durability) {
                            case NOW -> urgent = true;
                            case SOON, WRITTEN -> deadline = Math.min(deadline, now + lazySyncDelayNanos);
                            case LATER -> deadline = Math.min(deadline, now + BACKGROUND_SYNC_NANOS);
                        }
                    }
                    batch.clear();
                    if (!written.isEmpty()) {
                        flush();
                        for (Append append : written) {
                            append.synced.complete(null);
                        }
                        written.clear();
                    }
                }
                if (dirty && (urgent || closing || System.nanoTime() >= deadline)) {
                    flush();
                    current.channel.force(false);
                    syncs.incrementAndGet();
                    dirty = false;
                    urgent = false;
                    deadline = Long.MAX_VALUE;
                    for (Append append : waiting) {
                        append.synced.complete(null);
                    }
                    waiting.clear();
                }
                if (closing && !dirty && queue.isEmpty()) {
                    return;
                }
            }
        } catch (IOException e) {
            failure = e;
            LOG.error("Journal {} failed, nothing more is written to it: {}", directory, e.toString());
            failAll(waiting, written, e);
        } catch (InterruptedException e) {
            failure = new IOException("the journal writer was interrupted");
            failAll(waiting, written, failure);
        } catch (RuntimeException | Error e) {
            failure = new IOException("the journal writer failed: " + e, e);
            LOG.error("Journal {} writer failed", directory, e);
            failAll(waiting, written, failure);
        }
    }

    private void failAll(ArrayDeque<Append> waiting, List<Append> written, IOException e) {
        waiting.forEach(append -> append.synced.completeExceptionally(e));
        written.forEach(append -> append.synced.completeExceptionally(e));
        List<Append> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.stream().filter(append -> append.synced != null).forEach(append -> append.synced.completeExceptionally(e));
    }

    /** Frames a record into the output buffer, rolling to a new segment when it does not fit. Writer thread. */
    private void write(Append append) throws IOException {
        int frameLength = FRAME_BYTES + append.body.length;
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
        out.putInt(append.body.length);
        crc.update(out.array(), start, 4);
        crc.update(append.body, 0, append.body.length);
        out.putInt((int) crc.getValue());
        out.put(append.body);
        queuedBytes.addAndGet(-frameLength);
        if (current.firstLsn == Long.MAX_VALUE) {
            current.firstLsn = append.lsn;
        }
        current.lastLsn = append.lsn;
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

    private void flush() throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            current.writePosition += current.channel.write(out, current.writePosition);
        }
        out.clear();
    }

    /** Syncs and closes the open segment and moves to the prepared one. Writer thread, output flushed. */
    private void roll() throws IOException {
        current.channel.force(false);
        Segment next;
        try {
            next = spare != null ? spare.join() : createSegment(nextSegmentSequence++);
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof UncheckedIOException io ? io.getCause() : new IOException(e.getCause());
        }
        spare = null;
        Segment old = current;
        synchronized (segments) {
            old.closed = true;
            if (old.firstLsn == Long.MAX_VALUE) {
                // a segment that got no record (cannot happen with records smaller than a segment): drop it
                segments.remove(old);
                old.closeChannel();
                Files.deleteIfExists(old.path);
            } else {
                old.closeChannel();
            }
            segments.add(next);
            current = next;
        }
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

    private record Append(long lsn, byte[] body, Durability durability, CompletableFuture<Void> synced) {
        static final Append CLOSE = new Append(-1, new byte[0], Durability.NOW, null);
    }
}
