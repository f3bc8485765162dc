package dev.pathpoint.engine.internal.dispatch;

import static dev.pathpoint.engine.internal.dispatch.EngineHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.EngineSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With the shipped retry settings, FORCE rides out a device outage of a minute while ADVISE still
 * ends within about a second; the backoff grows, so an outage costs few tries. Manual time, so the
 * minute passes at once.
 */
class OutageRideOutTest {
    private EngineHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    /** A device that is down (every operation fails TIMEOUT at once, as a refused connection does) until a given instant. */
    private final class DownUntil implements PathpointDriver {
        final Instant upAt;
        final List<Instant> tries = new ArrayList<>();
        final List<String> names = new ArrayList<>();

        DownUntil(Instant upAt) {
            this.upAt = upAt;
        }

        @Override
        public void execute(List<DriverOperation> batch) {
            for (DriverOperation operation : batch) {
                tries.add(harness.time.now());
                names.add(operation.pathpoint());
                if (harness.time.now().isBefore(upAt)) {
                    operation.fail(new OperationFailedException(OperationFailedReason.TIMEOUT, "not connected"));
                } else {
                    operation.complete(operation instanceof dev.pathpoint.api.driver.WriteOperation write ? write.value()
                            : PathpointValue.of(7));
                }
            }
        }
    }

    private DownUntil start(Duration outage) {
        harness = new EngineHarness(EngineSettings.from(Map.of("statisticsLogIntervalSeconds", 0L)));
        DownUntil device = new DownUntil(harness.time.now().plus(outage));
        harness.whiteboard.drivers().add(device, harness.properties(Map.of(PathpointDriver.PATHPOINT_PATTERN, "W1.*"), 0));
        harness.settle();
        return device;
    }

    private Duration since(Instant start) {
        return Duration.between(start, harness.time.now());
    }

    @Test
    void theShippedBackoffGuaranteesEachAdviseLevelItsSpan() {
        EngineSettings defaults = EngineSettings.defaults();
        assertEquals(Duration.ofMillis(600), RetryBackoff.guaranteedSpan(3, defaults.retryBackoff(), defaults.maxRetryBackoff()),
                "ADVISE read: 3 tries");
        assertEquals(Duration.ofMillis(81_000), RetryBackoff.guaranteedSpan(10, defaults.retryBackoff(), defaults.maxRetryBackoff()),
                "FORCE write: 10 tries");
        assertEquals(Duration.ofMillis(381_000), RetryBackoff.guaranteedSpan(20, defaults.retryBackoff(), defaults.maxRetryBackoff()),
                "FORCE read: 20 tries");
    }

    @Test
    void aForceWriteAndAForceReadRideOutAMinuteOfOutage() {
        DownUntil device = start(Duration.ofSeconds(60));
        Instant start = harness.time.now();
        Section write = Section.of(new WriteOrder("W1r0", PathpointValue.of(5), AdviseLevel.FORCE));
        Section read = Section.of(new ReadOrder("W1r1", AdviseLevel.FORCE));
        harness.run(write, read);

        harness.advance(Duration.ofSeconds(59));
        assertFalse(write.future().isDone(), "still trying after 59 s");
        harness.advance(Duration.ofSeconds(60));

        assertTrue(result(write).succeeded(), result(write).toString());
        assertTrue(result(read).succeeded(), result(read).toString());
        long writeTries = device.names.stream().filter("W1r0"::equals).count();
        long readTries = device.names.stream().filter("W1r1"::equals).count();
        assertTrue(writeTries <= 10, "the outage cost at most the write's 10 tries: " + writeTries);
        assertTrue(readTries <= 11, "a growing backoff: a minute costs the read about 10 of its 20 tries: " + readTries);
        assertTrue(since(start).compareTo(Duration.ofSeconds(60)) >= 0);
    }

    @Test
    void anAdviseReadEndsWithinASecondOfADeadDevice() {
        DownUntil device = start(Duration.ofHours(1));
        Instant start = harness.time.now();
        Section read = Section.of(new ReadOrder("W1r0", AdviseLevel.ADVISE));
        harness.run(read);

        harness.advance(Duration.ofMillis(720)); // two backoffs, 200 and 400 ms, each at most 20 % longer

        OrderOutcome.Failed failed = assertInstanceOf(OrderOutcome.Failed.class, result(read).outcome(0));
        assertEquals(OperationFailedReason.TIMEOUT, failed.reason());
        assertEquals(3, device.tries.size());
        assertTrue(Duration.between(start, device.tries.get(2)).compareTo(Duration.ofMillis(600)) >= 0,
                "the tries spread over at least the guaranteed 600 ms: " + device.tries);
    }

    @Test
    void aForceWriteGivesUpOnlyAfterItsGuaranteedSpan() {
        DownUntil device = start(Duration.ofHours(1));
        Instant start = harness.time.now();
        Section write = Section.of(new WriteOrder("W1r0", PathpointValue.of(5), AdviseLevel.FORCE));
        harness.run(write);

        harness.advance(Duration.ofSeconds(80));
        assertFalse(write.future().isDone(), "still trying before its 81 s");
        harness.advance(Duration.ofSeconds(18)); // at most 20 % longer: 97.2 s

        assertEquals(OperationFailedReason.TIMEOUT, assertInstanceOf(OrderOutcome.Failed.class, result(write).outcome(0)).reason());
        assertEquals(10, device.tries.size(), "10 tries under FORCE");
        Duration span = Duration.between(start, device.tries.get(9));
        assertTrue(span.compareTo(Duration.ofSeconds(81)) >= 0 && span.compareTo(Duration.ofMillis(97_200)) <= 0, span.toString());
    }
}
