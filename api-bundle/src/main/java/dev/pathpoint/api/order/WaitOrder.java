package dev.pathpoint.api.order;

import java.time.Duration;

/** Wait a period: the section holding it lasts at least that long. Never retried. */
public final class WaitOrder extends Order {
    private final Duration period;

    public WaitOrder(Duration period) {
        super(1);
        requireNonNull(period, "period");
        if (period.isNegative()) {
            throw new IllegalArgumentException("period must not be negative, was " + period);
        }
        this.period = period;
    }

    public Duration period() {
        return period;
    }

    @Override
    public String toString() {
        return "wait " + period;
    }
}
