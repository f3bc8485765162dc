package dev.pathpoint.web.internal.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A stream client's buffering: coalescing per pathpoint, a bound, the overflow event, non-blocking writes. */
class StreamClientTest {
    /** A connection that takes writes only while {@code ready}. */
    static final class FakeSink implements StreamClient.Sink {
        boolean ready;
        boolean failing;
        boolean closed;
        final List<String> written = new ArrayList<>();

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            if (failing) {
                throw new IOException("connection reset");
            }
            written.add(new String(bytes, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            closed = true;
        }

        String all() {
            return String.join("", written);
        }
    }

    private final FakeSink sink = new FakeSink();
    private final AtomicInteger closes = new AtomicInteger();

    private StreamClient client(int maxPending) {
        StreamClient client = new StreamClient(sink, name -> !name.startsWith("x"), maxPending, Runnable::run, "GREETING\n\n",
                closes::incrementAndGet);
        client.start();
        return client;
    }

    private static String frame(String pathpoint, int value) {
        return "event: reading\ndata: {\"pathpoint\":\"" + pathpoint + "\",\"value\":" + value + "}\n\n";
    }

    @Test
    void aSlowClientGetsTheLatestReadingOfEachPathpointInTheOrderTheyFirstChanged() {
        StreamClient client = client(10);
        client.offer("a", frame("a", 1));
        client.offer("b", frame("b", 1));
        client.offer("a", frame("a", 2));
        assertEquals(2, client.pending());
        assertTrue(sink.written.isEmpty(), "nothing is written while the connection is not ready");
        sink.ready = true;
        client.writePossible();
        assertEquals("GREETING\n\n" + frame("a", 2) + frame("b", 1), sink.all());
        assertEquals(0, client.pending());
        assertTrue(client.wants("W1r0"));
        assertFalse(client.wants("x1"));
    }

    @Test
    void beyondTheBoundChangesAreDroppedCountedAndTheClientIsToldFirst() {
        StreamClient client = client(3);
        for (int i = 0; i < 1000; i++) {
            client.offer("p" + i, frame("p" + i, i));
            assertTrue(client.pending() <= 3);
        }
        client.offer("p1", frame("p1", -1));
        assertEquals(997, client.dropped());
        sink.ready = true;
        client.writePossible();
        assertEquals("GREETING\n\nevent: overflow\ndata: {\"dropped\":997}\n\n" + frame("p0", 0) + frame("p1", -1) + frame("p2", 2),
                sink.all());
        sink.written.clear();
        client.offer("p5", frame("p5", 5));
        assertEquals(frame("p5", 5), sink.all(), "the overflow is told once");
    }

    @Test
    void writesGoOutInBoundedChunksOnlyWhileTheConnectionTakesThem() {
        StreamClient client = client(10_000);
        String big = "x".repeat(1000);
        for (int i = 0; i < 200; i++) {
            client.offer("p" + i, "data: " + big + "\n\n");
        }
        sink.ready = true;
        client.writePossible();
        assertTrue(sink.written.stream().allMatch(chunk -> chunk.length() <= StreamClient.CHUNK_BYTES + 1100));
        assertEquals(0, client.pending());
    }

    @Test
    void aKeepAliveGoesOutWhenNothingElseDoes() {
        StreamClient client = client(10);
        sink.ready = true;
        client.writePossible();
        sink.written.clear();
        client.heartbeat();
        assertEquals(": keep-alive\n\n", sink.all());
        sink.written.clear();
        sink.ready = false;
        client.offer("a", frame("a", 1));
        client.heartbeat();
        sink.ready = true;
        client.writePossible();
        assertEquals(frame("a", 1), sink.all(), "a frame is as good as a keep-alive");
    }

    @Test
    void aFailedWriteClosesTheClientOnce() {
        StreamClient client = client(10);
        sink.ready = true;
        sink.failing = true;
        client.offer("a", frame("a", 1));
        assertTrue(client.isClosed());
        assertTrue(sink.closed);
        client.close();
        assertEquals(1, closes.get());
        client.offer("b", frame("b", 1));
        assertEquals(0, client.pending(), "a closed client holds nothing");
    }

    @Test
    void nothingIsWrittenBeforeStart() {
        StreamClient client = new StreamClient(sink, name -> true, 10, Runnable::run, "GREETING\n\n", () -> { });
        sink.ready = true;
        client.offer("a", frame("a", 1));
        assertTrue(sink.written.isEmpty());
        client.start();
        assertEquals("GREETING\n\n" + frame("a", 1), sink.all());
    }
}
