package dev.pathpoint.engine.internal.time;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SystemTimeSourceTest {
    /** A clock that reads as a test sets it, and counts its readings. */
    private static final class SettableClock extends Clock {
        volatile Instant instant;
        volatile int readings;

        SettableClock(Instant instant) {
            this.instant = instant;
        }

        @Override
        public Instant instant() {
            readings++;
            return instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void nowFollowsTheSystemClockBetweenItsReadings() {
        try (SystemTimeSource time = new SystemTimeSource(Clock.systemUTC(), "time-test")) {
            for (int i = 0; i < 10_000; i++) {
                Instant before = Instant.now();
                Instant now = time.now();
                Instant after = Instant.now();
                // the monotonic time and the system clock may drift apart by microseconds within an interval
                assertFalse(now.isBefore(before.minusMillis(2)), now + " before " + before);
                assertFalse(now.isAfter(after.plusMillis(2)), now + " after " + after);
            }
        }
    }

    @Test
    void theClockIsReadAtMostOncePerIntervalAndAStepOfItShowsWithinTheInterval() {
        Instant start = Instant.parse("2026-12-01T12:00:00Z");
        SettableClock clock = new SettableClock(start);
        try (SystemTimeSource time = new SystemTimeSource(clock, "time-test")) {
            Instant first = time.now();
            int readings = clock.readings;
            Instant second = time.now();
            assertTrue(clock.readings <= readings + 1);
            assertFalse(second.isBefore(first));

            Instant stepped = start.plus(Duration.ofHours(1));
            clock.instant = stepped;
            await().atMost(Duration.ofSeconds(5)).until(() -> !time.now().isBefore(stepped));
        }
    }
}
