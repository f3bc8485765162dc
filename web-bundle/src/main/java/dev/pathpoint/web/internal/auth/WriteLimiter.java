package dev.pathpoint.web.internal.auth;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per identity for write requests: {@code burst} at once, then {@code perSecond}.
 * Bounded: the buckets of at most {@link #MAX_IDENTITIES} identities are kept (a forgotten one starts
 * full again, which only matters for identities idle long enough to be least recent).
 */
public final class WriteLimiter {
    static final int MAX_IDENTITIES = 1000;

    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);

    private static final class Bucket {
        double tokens;
        long updatedNanos;
    }

    public WriteLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Takes one write for the identity: 0 if allowed, else how long (nanoseconds) until one is. */
    public synchronized long acquire(String identity) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.get(identity);
        if (bucket == null) {
            bucket = new Bucket();
            bucket.tokens = burst;
            bucket.updatedNanos = now;
            buckets.put(identity, bucket);
            for (Iterator<Bucket> eldest = buckets.values().iterator(); buckets.size() > MAX_IDENTITIES; ) {
                eldest.next();
                eldest.remove();
            }
        }
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedNanos) * perNano);
        bucket.updatedNanos = now;
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - bucket.tokens) / perNano);
    }
}
