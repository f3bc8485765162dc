package dev.pathpoint.engine.internal.dispatch;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a failed order waits before its next try: the first delay, doubling with each failure up
 * to the maximum, then lengthened by a random 0 to 20 % so that orders (and gateways) that failed
 * together do not all retry together. Lengthened, never shortened: the sum of the delays is the
 * guaranteed least time an order keeps trying, which is what lets FORCE ride out a device restart.
 * Dispatch thread only.
 */
final class RetryBackoff {
    /** The random lengthening of each delay, at most this fraction of it. */
    static final double JITTER = 0.2;

    private final RandomGenerator random;
    private long firstNanos;
    private long maxNanos;

    RetryBackoff(RandomGenerator random) {
        this.random = random;
    }

    void reconfigure(Duration first, Duration max) {
        firstNanos = first.toNanos();
        maxNanos = max.toNanos();
    }

    /** The delay before the next try of an order that has failed {@code failures} times (at least once). */
    long delayNanos(int failures) {
        long delay = baseNanos(failures, firstNanos, maxNanos);
        return delay + (long) (delay * JITTER * random.nextDouble());
    }

    /** The delay before jitter: {@code first * 2^(failures-1)}, at most {@code max}. */
    static long baseNanos(int failures, long firstNanos, long maxNanos) {
        int doublings = Math.max(0, failures - 1);
        if (doublings >= 62 || firstNanos > (maxNanos >> doublings)) {
            return maxNanos;
        }
        return Math.min(maxNanos, firstNanos << doublings);
    }

    /** The least total time the delays add up to for an order of {@code tries} tries. */
    static Duration guaranteedSpan(int tries, Duration first, Duration max) {
        long total = 0;
        for (int failures = 1; failures < tries; failures++) {
            total += baseNanos(failures, first.toNanos(), max.toNanos());
        }
        return Duration.ofNanos(total);
    }
}
