package dev.pathpoint.distribution.hardening;

import java.time.Duration;

/**
 * The soak switch: {@code -Dpathpoint.soak.minutes=N} makes each hardening test repeat its cycle
 * until its share of N minutes has passed, with the same assertions; without it each runs once.
 */
final class Soak {
    static final String PROPERTY = "pathpoint.soak.minutes";

    private Soak() {
    }

    static boolean enabled() {
        return minutes() > 0;
    }

    static double minutes() {
        String value = System.getProperty(PROPERTY, "");
        return value.isBlank() ? 0 : Double.parseDouble(value);
    }

    /** The instant (nanoTime) until which a test taking {@code share} of the soak repeats; now when not soaking. */
    static long until(double share) {
        return System.nanoTime() + Duration.ofMillis((long) (minutes() * share * 60_000)).toNanos();
    }
}
