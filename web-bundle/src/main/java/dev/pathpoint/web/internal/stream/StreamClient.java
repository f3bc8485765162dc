package dev.pathpoint.web.internal.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * One client of the value stream, with bounded buffering. Changes wait in a map by pathpoint, in the
 * order their pathpoints first changed: a newer reading of a pathpoint that is still waiting replaces
 * the waiting one (coalescing: a slow client sees the latest value, not every value). At most
 * {@code maxPending} pathpoints wait; a change of another pathpoint beyond that is dropped and
 * counted, and before anything else the client then gets an {@code overflow} event saying how many
 * changes it missed, so that it re-reads {@code GET values}. Writes are non-blocking: only what the
 * connection takes now is written, the rest waits in the map, so a slow client costs at most the map
 * and one chunk.
 */
public final class StreamClient {
    /** Most bytes written in one go. */
    static final int CHUNK_BYTES = 32 * 1024;

    /** The non-blocking output of the client's response. */
    public interface Sink {
        /** Whether a write would not block now (if not, {@link #writePossible} is called when it would). */
        boolean isReady() throws IOException;

        void write(byte[] bytes) throws IOException;

        void flush() throws IOException;

        /** Ends the response. */
        void close();
    }

    private final Sink sink;
    private final Predicate<String> filter;
    private final int maxPending;
    private final Executor worker;
    private final Runnable onClose;
    private final Object lock = new Object();
    private final Map<String, String> pending = new LinkedHashMap<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private long droppedSinceLastTold;
    private long droppedTotal;
    private boolean heartbeatDue;
    private boolean closed;
    /** Nothing is written before the response's write listener is in place. */
    private boolean started;
    private String greeting;

    StreamClient(Sink sink, Predicate<String> filter, int maxPending, Executor worker, String greeting, Runnable onClose) {
        this.sink = sink;
        this.filter = filter;
        this.maxPending = maxPending;
        this.worker = worker;
        this.greeting = greeting;
        this.onClose = onClose;
    }

    boolean wants(String pathpoint) {
        return filter.test(pathpoint);
    }

    /** Queues an event (a whole SSE frame) about a pathpoint; never blocks. */
    void offer(String pathpoint, String frame) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (pending.containsKey(pathpoint) || pending.size() < maxPending) {
                // put keeps a waiting pathpoint's place: coalesced, not moved to the back
                pending.put(pathpoint, frame);
            } else {
                droppedSinceLastTold++;
                droppedTotal++;
            }
        }
        schedule();
    }

    /** Sends a keep-alive comment if nothing else is waiting: a dead client is found when it fails. */
    void heartbeat() {
        synchronized (lock) {
            heartbeatDue = true;
        }
        schedule();
    }

    /** Starts writing: the response's headers and write listener are in place. */
    public void start() {
        synchronized (lock) {
            started = true;
        }
        schedule();
    }

    /** The connection can take more (the container's write listener). */
    public void writePossible() {
        drain();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            worker.execute(() -> {
                scheduled.set(false);
                drain();
            });
        }
    }

    private void drain() {
        synchronized (lock) {
            try {
                while (started && !closed && sink.isReady()) {
                    byte[] chunk = nextChunk();
                    if (chunk == null) {
                        return;
                    }
                    sink.write(chunk);
                    if (sink.isReady()) {
                        sink.flush();
                    }
                }
            } catch (IOException | RuntimeException e) {
                close();
            }
        }
    }

    private byte[] nextChunk() {
        StringBuilder chunk = new StringBuilder();
        if (greeting != null) {
            chunk.append(greeting);
            greeting = null;
        }
        if (droppedSinceLastTold > 0) {
            chunk.append("event: overflow\ndata: {\"dropped\":").append(droppedSinceLastTold).append("}\n\n");
            droppedSinceLastTold = 0;
        }
        for (Iterator<String> frames = pending.values().iterator(); frames.hasNext() && chunk.length() < CHUNK_BYTES; ) {
            chunk.append(frames.next());
            frames.remove();
        }
        if (chunk.length() == 0 && heartbeatDue) {
            chunk.append(": keep-alive\n\n");
        }
        heartbeatDue = false;
        return chunk.length() == 0 ? null : chunk.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Ends the stream (client gone, or the bundle stopping). */
    public void close() {
        boolean first;
        synchronized (lock) {
            first = !closed;
            closed = true;
            pending.clear();
        }
        if (first) {
            try {
                sink.close();
            } finally {
                onClose.run();
            }
        }
    }

    public int pending() {
        synchronized (lock) {
            return pending.size();
        }
    }

    public long dropped() {
        synchronized (lock) {
            return droppedTotal;
        }
    }

    boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }
}
