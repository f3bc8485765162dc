package dev.pathpoint.api.store;

import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointValue;
import java.time.Instant;
import java.util.Objects;

/** The outcome of the last read of a pathpoint, and when it happened: a value or a failure. */
public sealed interface Reading permits Reading.Success, Reading.Failure {

    String pathpoint();

    Instant timestamp();

    /** Whether this reading says the same as another, whatever their timestamps. */
    boolean sameContentAs(Reading other);

    /** The pathpoint was read and held {@code value}. */
    record Success(String pathpoint, Instant timestamp, PathpointValue value) implements Reading {
        public Success {
            Objects.requireNonNull(pathpoint, "pathpoint");
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean sameContentAs(Reading other) {
            return other instanceof Success success && success.pathpoint.equals(pathpoint) && success.value.equals(value);
        }
    }

    /** The read failed for {@code reason}. */
    record Failure(String pathpoint, Instant timestamp, OperationFailedReason reason, String message) implements Reading {
        public Failure {
            Objects.requireNonNull(pathpoint, "pathpoint");
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public boolean sameContentAs(Reading other) {
            return other instanceof Failure failure && failure.pathpoint.equals(pathpoint) && failure.reason == reason;
        }
    }
}
