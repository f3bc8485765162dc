package dev.pathpoint.engine.internal.dispatch;

import static dev.pathpoint.engine.internal.dispatch.EngineHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.message.MessageHandler;
import dev.pathpoint.api.order.MessageOrder;
import dev.pathpoint.api.order.SysctlOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.sysctl.SysctlHandler;
import dev.pathpoint.api.value.PathpointValue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandlerTest {
    private EngineHarness harness;

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void sysctlOrdersGoToTheHighestRankedHandlerNamingTheOpType() {
        harness = new EngineHarness(EngineHarness.settings(), 1, java.util.Set.of("handler"));
        List<String> calls = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        harness.addSysctlHandler((op, args) -> {
            calls.add("low " + op);
            return "";
        }, new String[] {"update", "reboot"}, 1);
        harness.addSysctlHandler((op, args) -> {
            calls.add("high " + op + " " + args);
            threads.add(Thread.currentThread().getName());
            return "updated";
        }, "update", 5);
        Section section = Section.of(new SysctlOrder("update", "all"), new SysctlOrder("reboot", ""));

        harness.run(section);

        SectionResult result = result(section);
        assertEquals(PathpointValue.of("updated"), ((OrderOutcome.Done) result.outcome(0)).value().orElseThrow(),
                "the handler's report is the outcome's value");
        assertEquals(java.util.Optional.empty(), ((OrderOutcome.Done) result.outcome(1)).value());
        assertTrue(calls.containsAll(List.of("high update all", "low reboot")), calls.toString());
        assertEquals(2, calls.size());
        assertTrue(!threads.get(0).equals(Thread.currentThread().getName()), "runs on the handler pool, not " + threads);
    }

    @Test
    void anOpTypeNobodyHandlesIsUnhandled() {
        harness = new EngineHarness();
        harness.addSysctlHandler((op, args) -> "", "update", 0);
        Section section = Section.of(new SysctlOrder("format-disk", ""));

        harness.run(section);

        assertInstanceOf(OrderOutcome.Unhandled.class, result(section).outcome(0));
    }

    @Test
    void aHandlersFailureFailsTheOrderWithItsReasonAndAThrowFailsItWithError() {
        harness = new EngineHarness();
        AtomicInteger calls = new AtomicInteger();
        harness.addSysctlHandler((op, args) -> {
            calls.incrementAndGet();
            throw new OperationFailedException(OperationFailedReason.TIMEOUT, "source unreachable");
        }, "update", 0);
        harness.addSysctlHandler((op, args) -> {
            throw new IllegalStateException("bug");
        }, "reboot", 0);
        Section section = Section.of(new SysctlOrder("update", ""), new SysctlOrder("reboot", ""));

        harness.run(section);

        SectionResult result = result(section);
        OrderOutcome.Failed update = assertInstanceOf(OrderOutcome.Failed.class, result.outcome(0));
        assertEquals(OperationFailedReason.TIMEOUT, update.reason());
        assertEquals("source unreachable", update.message());
        assertEquals(1, calls.get(), "sysctl orders are never retried");
        OrderOutcome.Failed reboot = assertInstanceOf(OrderOutcome.Failed.class, result.outcome(1));
        assertEquals(OperationFailedReason.ERROR, reboot.reason());
        assertTrue(reboot.message().contains("bug"), reboot.message());
    }

    @Test
    void aSlowHandlerDoesNotBlockPathpointOrders() throws InterruptedException {
        harness = new EngineHarness(EngineHarness.settings(), 1, java.util.Set.of("handler"));
        harness.addDriver(new dev.pathpoint.engine.internal.testing.TestDriver("d"), "W1.*");
        CountDownLatch release = new CountDownLatch(1);
        harness.addSysctlHandler((op, args) -> {
            awaitQuietly(release);
            return "";
        }, "update", 0);
        Section slow = Section.of(new SysctlOrder("update", ""));
        Section read = Section.of(new dev.pathpoint.api.order.ReadOrder("W1r0", dev.pathpoint.api.order.AdviseLevel.ADVISE));

        harness.run(slow, read);

        assertTrue(result(read).succeeded());
        assertFalse(slow.future().isDone());
        release.countDown();
        assertTrue(result(slow).succeeded());
    }

    @Test
    void messagesWithoutAHandlerAreUnhandled() {
        harness = new EngineHarness();
        Section section = Section.of(new MessageOrder("m-1"));

        harness.run(section);

        assertInstanceOf(OrderOutcome.Unhandled.class, result(section).outcome(0));
    }

    @Test
    void messagesGoToTheHighestRankedHandlerAndAreRetriedAsFailAllows() {
        harness = new EngineHarness();
        List<String> low = new CopyOnWriteArrayList<>();
        AtomicInteger tries = new AtomicInteger();
        harness.addMessageHandler(low::add, 0);
        MessageHandler flaky = uuid -> {
            if (tries.incrementAndGet() < 3) {
                throw new OperationFailedException(OperationFailedReason.TIMEOUT, "broker busy");
            }
        };
        harness.addMessageHandler(flaky, 3);
        Section section = Section.of(new MessageOrder("m-1"));

        harness.run(section);
        assertEquals(1, tries.get());
        harness.advance(Duration.ofMillis(99));
        assertEquals(1, tries.get(), "not before the backoff");
        harness.advance(Duration.ofMillis(21)); // 100 ms, up to 20 % longer
        assertEquals(2, tries.get());
        harness.advance(Duration.ofMillis(240)); // then twice as long

        assertTrue(result(section).succeeded());
        assertEquals(3, tries.get());
        assertEquals(List.of(), low);
        assertEquals(2, harness.engine.statistics().retries());
    }

    @Test
    void aMessageFailsWithTheHandlersReasonWhenTriesRunOut() {
        harness = new EngineHarness();
        AtomicInteger tries = new AtomicInteger();
        harness.addMessageHandler(uuid -> {
            tries.incrementAndGet();
            throw new OperationFailedException(OperationFailedReason.INVALID, "unknown message " + uuid);
        }, 0);
        Section section = Section.of(new MessageOrder("m-2"));

        harness.run(section);

        OrderOutcome.Failed failed = assertInstanceOf(OrderOutcome.Failed.class, result(section).outcome(0));
        assertEquals(OperationFailedReason.INVALID, failed.reason());
        assertEquals(1, tries.get(), "a non-retryable reason is not retried");
    }

    @Test
    void aFullHandlerQueueFailsTheOrderRejected() throws InterruptedException {
        harness = new EngineHarness(EngineHarness.settings("handlerPoolSize", 1, "handlerQueueCapacity", 1), 1,
                java.util.Set.of("handler"));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        SysctlHandler blocking = (op, args) -> {
            started.countDown();
            awaitQuietly(release);
            return "";
        };
        harness.addSysctlHandler(blocking, "update", 0);
        Section first = Section.of(new SysctlOrder("update", ""));
        harness.run(first);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        Section second = Section.of(new SysctlOrder("update", ""), new SysctlOrder("update", ""));

        harness.run(second);
        release.countDown();

        SectionResult result = result(second);
        assertTrue(result.outcome(0).succeeded());
        assertEquals(OperationFailedReason.REJECTED, assertInstanceOf(OrderOutcome.Failed.class, result.outcome(1)).reason());
        assertTrue(result(first).succeeded());
    }
}
