package dev.pathpoint.engine.internal.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pathpoint.api.executor.ExecutorStatistics;
import dev.pathpoint.engine.internal.testing.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The periodic statistics log: one tick per interval, however often it is restarted, none once stopped. */
class StatisticsLoggerTest {
    private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-12-01T00:00:00Z"));
    private final AtomicInteger ticks = new AtomicInteger();
    private final AtomicReference<Duration> interval = new AtomicReference<>(Duration.ofMinutes(1));
    private final StatisticsLogger logger = new StatisticsLogger(time, () -> {
        ticks.incrementAndGet();
        return new ExecutorStatistics(0, 0, Map.of(), ticks.get(), 0, Map.of(), Duration.ZERO, Duration.ZERO);
    }, interval::get);

    /** Moves time on through every tick due in between, those the ticks schedule included. */
    private void advance(Duration duration) {
        long target = time.nanoTime() + duration.toNanos();
        while (time.advanceToNextDue(target)) {
            // a tick ran and may have scheduled the next
        }
    }

    @Test
    void ticksOncePerIntervalAndARestartReplacesTheScheduleInsteadOfAddingOne() {
        logger.start();
        advance(Duration.ofMinutes(3));
        assertEquals(3, ticks.get());
        advance(Duration.ofSeconds(30));
        logger.start(); // a reconfiguration: the next tick is a full interval from now
        logger.start();
        assertEquals(1, time.scheduledTasks(), "one tick pending, not three");
        advance(Duration.ofSeconds(59));
        assertEquals(3, ticks.get());
        advance(Duration.ofSeconds(1));
        assertEquals(4, ticks.get());
    }

    @Test
    void aZeroIntervalTurnsItOffAndStopCancelsThePendingTick() {
        logger.start();
        interval.set(Duration.ZERO);
        logger.start();
        assertEquals(0, time.scheduledTasks());
        advance(Duration.ofMinutes(5));
        assertEquals(0, ticks.get());

        interval.set(Duration.ofMinutes(1));
        logger.start();
        advance(Duration.ofMinutes(1));
        assertEquals(1, ticks.get());
        logger.stop();
        assertEquals(0, time.scheduledTasks(), "the pending tick is cancelled");
        logger.start(); // stopped for good: the engine is going away
        advance(Duration.ofMinutes(5));
        assertEquals(1, ticks.get());
    }
}
