package dev.pathpoint.api.order;

import dev.pathpoint.api.value.PathpointValue;
import java.time.Instant;
import java.util.Optional;

/**
 * Write a value to a pathpoint. Tries: 1 under {@link AdviseLevel#ADVISE}, 10 under
 * {@link AdviseLevel#FORCE}. A write still waiting when its {@code staleAfter} instant has passed is
 * discarded, never sent. The value is converted to the pathpoint's type when the write runs.
 */
public final class WriteOrder extends PathpointOrder {
    private final PathpointValue value;
    private final Instant staleAfter;

    /** A write with no staleness limit. */
    public WriteOrder(String pathpoint, PathpointValue value, AdviseLevel advise) {
        this(pathpoint, value, advise, null);
    }

    /**
     * @param staleAfter the instant after which the write is discarded, or null for never
     */
    public WriteOrder(String pathpoint, PathpointValue value, AdviseLevel advise, Instant staleAfter) {
        super(pathpoint, advise, 1, 10);
        this.value = requireNonNull(value, "value");
        this.staleAfter = staleAfter;
    }

    public PathpointValue value() {
        return value;
    }

    public Optional<Instant> staleAfter() {
        return Optional.ofNullable(staleAfter);
    }

    /** Whether this write must be discarded if it were to run at {@code now}. */
    public boolean isStaleAt(Instant now) {
        return staleAfter != null && now.isAfter(staleAfter);
    }

    @Override
    public String toString() {
        return "write " + pathpoint() + " = " + value.asText() + " (" + advise() + ")";
    }
}
