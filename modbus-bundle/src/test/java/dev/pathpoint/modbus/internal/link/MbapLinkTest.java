package dev.pathpoint.modbus.internal.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MbapLinkTest {
    /**
     * A device on a scripted stream: what is flushed is sent, and the answers to the requests of a
     * flush arrive together, as a pipelining device sends them.
     */
    private static final class PipeliningDevice implements TimedStream {
        private final ByteArrayOutputStream unsent = new ByteArrayOutputStream();
        private final ArrayDeque<Byte> received = new ArrayDeque<>();
        /** The transaction ids of the requests in each flush that sent something. */
        final List<List<Integer>> segments = new ArrayList<>();

        @Override
        public void open(int connectTimeoutMillis) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void write(byte[] bytes) {
            unsent.writeBytes(bytes);
        }

        @Override
        public void flush() {
            byte[] bytes = unsent.toByteArray();
            unsent.reset();
            if (bytes.length == 0) {
                return;
            }
            List<Integer> ids = new ArrayList<>();
            for (int at = 0; at < bytes.length; at += 6 + Mbap.u16(bytes, at + 4)) {
                int id = Mbap.u16(bytes, at);
                ids.add(id);
                // FC3 of one register, answered with its transaction id as the value
                for (byte b : Mbap.frame(id, bytes[at + 6], new byte[] {3, 2, (byte) (id >> 8), (byte) id})) {
                    received.add(b);
                }
            }
            segments.add(ids);
        }

        @Override
        public int read(byte[] buffer, int offset, int length, int timeoutMillis) {
            int count = 0;
            while (count < length && !received.isEmpty()) {
                buffer[offset + count++] = received.poll();
            }
            return count;
        }

        @Override
        public int buffered() {
            return received.size();
        }

        @Override
        public int discardInput() {
            int dropped = received.size();
            received.clear();
            return dropped;
        }

        @Override
        public void close() {
        }

        @Override
        public String describe() {
            return "scripted device";
        }
    }

    private static long inOneSecond() {
        return System.nanoTime() + 1_000_000_000L;
    }

    @Test
    void requestsSentWhileAnswersAreAlreadyReceivedGoOutTogetherAtTheNextWait() throws Exception {
        PipeliningDevice device = new PipeliningDevice();
        MbapLink link = new MbapLink(device, 1000, new LinkCounters());
        link.open();
        byte[] read = Pdus.readRequest(3, 0, 1);

        int first = link.send(1, read);
        int second = link.send(1, read);
        assertEquals(first, link.receive(inOneSecond()).transactionId()); // waits: both go out
        assertEquals(List.of(List.of(first, second)), device.segments);

        // the second answer is here already: a request sent now waits for the next wait, and goes with the one after
        int third = link.send(1, read);
        assertEquals(second, link.receive(inOneSecond()).transactionId());
        int fourth = link.send(1, read);
        assertEquals(third, link.receive(inOneSecond()).transactionId());
        assertEquals(List.of(List.of(first, second), List.of(third, fourth)), device.segments);
        assertEquals(fourth, link.receive(inOneSecond()).transactionId());
    }

    @Test
    void nothingSentIsLeftBehindWhenTheWaitIsOver() throws Exception {
        PipeliningDevice device = new PipeliningDevice();
        MbapLink link = new MbapLink(device, 1000, new LinkCounters());
        link.open();
        int sent = link.send(1, Pdus.readRequest(3, 0, 1));

        assertNull(link.receive(System.nanoTime() - 1), "the deadline has passed");
        assertEquals(List.of(List.of(sent)), device.segments);
    }
}
