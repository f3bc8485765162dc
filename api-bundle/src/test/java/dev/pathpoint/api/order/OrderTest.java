package dev.pathpoint.api.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.value.PathpointValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrderTest {

    static Stream<Arguments> retryBudgets() {
        return Stream.of(
                Arguments.of("read ADVISE", (Supplier<Order>) () -> new ReadOrder("W1r0", AdviseLevel.ADVISE), 3),
                Arguments.of("read FORCE", (Supplier<Order>) () -> new ReadOrder("W1r0", AdviseLevel.FORCE), 20),
                Arguments.of("write ADVISE", (Supplier<Order>) () -> new WriteOrder("W1r0", PathpointValue.of(1), AdviseLevel.ADVISE), 1),
                Arguments.of("write FORCE", (Supplier<Order>) () -> new WriteOrder("W1r0", PathpointValue.of(1), AdviseLevel.FORCE), 10),
                Arguments.of("message", (Supplier<Order>) () -> new MessageOrder("6f1c"), 3),
                Arguments.of("sysctl", (Supplier<Order>) () -> new SysctlOrder("reboot", ""), 1),
                Arguments.of("wait", (Supplier<Order>) () -> new WaitOrder(Duration.ofSeconds(1)), 1));
    }

    @ParameterizedTest(name = "{0} has {2} tries")
    @MethodSource("retryBudgets")
    void failReturnsTrueUntilTheTriesAreUsedUp(String name, Supplier<Order> factory, int tries) {
        Order order = factory.get();
        assertEquals(tries, order.tries());
        for (int failure = 1; failure < tries; failure++) {
            assertTrue(order.fail(), "failure " + failure + " of " + tries + " should requeue");
        }
        assertFalse(order.fail(), "the last try must not requeue");
        assertFalse(order.fail(), "nor any after it");
        assertEquals(tries + 1, order.failures());
    }

    @Test
    void concurrentFailuresGrantExactlyTheRemainingRetries() throws Exception {
        int threads = 8;
        int callsPerThread = 50;
        for (int round = 0; round < 20; round++) {
            ReadOrder order = new ReadOrder("W1r0", AdviseLevel.FORCE);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> requeues = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                requeues.add(pool.submit(() -> {
                    start.await();
                    int count = 0;
                    for (int i = 0; i < callsPerThread; i++) {
                        if (order.fail()) {
                            count++;
                        }
                    }
                    return count;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : requeues) {
                total += f.get();
            }
            pool.shutdown();
            assertEquals(19, total, "20 tries mean exactly 19 requeues, whatever the interleaving");
            assertEquals(threads * callsPerThread, order.failures());
        }
    }

    @Test
    void writeIsStaleOnlyAfterItsInstant() {
        Instant limit = Instant.parse("2026-01-01T00:00:00Z");
        WriteOrder write = new WriteOrder("W1r0", PathpointValue.of(5), AdviseLevel.FORCE, limit);
        assertFalse(write.isStaleAt(limit.minusMillis(1)));
        assertFalse(write.isStaleAt(limit));
        assertTrue(write.isStaleAt(limit.plusMillis(1)));
        assertEquals(limit, write.staleAfter().orElseThrow());
    }

    @Test
    void writeWithoutLimitIsNeverStale() {
        WriteOrder write = new WriteOrder("W1r0", PathpointValue.of(5), AdviseLevel.FORCE);
        assertFalse(write.isStaleAt(Instant.MAX));
        assertTrue(write.staleAfter().isEmpty());
    }

    @Test
    void ordersKeepWhatTheyWereGiven() {
        ReadOrder read = new ReadOrder("f1r10", AdviseLevel.FORCE);
        assertEquals("f1r10", read.pathpoint());
        assertEquals(AdviseLevel.FORCE, read.advise());
        WriteOrder write = new WriteOrder("u1r0", PathpointValue.of("hi"), AdviseLevel.ADVISE);
        assertEquals(PathpointValue.of("hi"), write.value());
        SysctlOrder sysctl = new SysctlOrder("update", "dev.pathpoint.modbus");
        assertEquals("update", sysctl.opType());
        assertEquals("dev.pathpoint.modbus", sysctl.opArgs());
        assertEquals("abc", new MessageOrder("abc").uuid());
        assertEquals(Duration.ofMillis(1500), new WaitOrder(Duration.ofMillis(1500)).period());
    }

    @Test
    void badArgumentsAreRejectedWithTheirName() {
        assertMessage("pathpoint must not be empty", () -> new ReadOrder(" ", AdviseLevel.ADVISE));
        assertMessage("pathpoint must not be empty", () -> new ReadOrder(null, AdviseLevel.ADVISE));
        assertMessage("advise must not be null", () -> new ReadOrder("W1r0", null));
        assertMessage("value must not be null", () -> new WriteOrder("W1r0", null, AdviseLevel.FORCE));
        assertMessage("period must not be negative", () -> new WaitOrder(Duration.ofSeconds(-1)));
        assertMessage("period must not be null", () -> new WaitOrder(null));
        assertMessage("opType must not be empty", () -> new SysctlOrder("", "x"));
        assertMessage("opArgs must not be null", () -> new SysctlOrder("reboot", null));
        assertMessage("uuid must not be empty", () -> new MessageOrder(""));
    }

    private static void assertMessage(String expected, Runnable construction) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction::run);
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
