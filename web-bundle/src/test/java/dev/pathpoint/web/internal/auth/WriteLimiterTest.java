package dev.pathpoint.web.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriteLimiterTest {
    private final AtomicLong now = new AtomicLong();
    private final WriteLimiter limiter = new WriteLimiter(2, 3, now::get);

    @Test
    void aBurstThenTheRate() {
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.acquire("user:a"));
        }
        long wait = limiter.acquire("user:a");
        assertEquals(TimeUnit.MILLISECONDS.toNanos(500), wait, 1000);
        now.addAndGet(wait);
        assertEquals(0, limiter.acquire("user:a"));
        assertTrue(limiter.acquire("user:a") > 0);
        assertEquals(0, limiter.acquire("user:b"), "per identity");
        now.addAndGet(TimeUnit.SECONDS.toNanos(100));
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.acquire("user:a"), "refilled up to the burst, no further");
        }
        assertTrue(limiter.acquire("user:a") > 0);
    }
}
