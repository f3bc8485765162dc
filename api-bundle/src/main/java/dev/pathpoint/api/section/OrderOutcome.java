package dev.pathpoint.api.section;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.value.PathpointValue;
import java.util.Objects;
import java.util.Optional;

/** What happened to one order of a section. */
public sealed interface OrderOutcome
        permits OrderOutcome.Done, OrderOutcome.Failed, OrderOutcome.Stale, OrderOutcome.Cancelled, OrderOutcome.Unhandled {

    /** The kind of outcome, for switches and the wire format. */
    enum Status {
        DONE, FAILED, STALE, CANCELLED, UNHANDLED
    }

    Order order();

    Status status();

    default boolean succeeded() {
        return status() == Status.DONE;
    }

    static Done done(Order order) {
        return new Done(order, Optional.empty());
    }

    static Done done(Order order, PathpointValue value) {
        return new Done(order, Optional.of(value));
    }

    static Failed failed(Order order, OperationFailedException failure) {
        return new Failed(order, failure.reason(), failure.getMessage());
    }

    /**
     * Carried out. {@code value} is the value read for a read, the value written (converted to the
     * pathpoint's type) for a write, a handler's report for a sysctl, and empty otherwise.
     */
    record Done(Order order, Optional<PathpointValue> value) implements OrderOutcome {
        public Done {
            Objects.requireNonNull(order, "order");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Status status() {
            return Status.DONE;
        }
    }

    /** Tried and given up: {@code reason} and {@code message} are those of the last try. */
    record Failed(Order order, OperationFailedReason reason, String message) implements OrderOutcome {
        public Failed {
            Objects.requireNonNull(order, "order");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public Status status() {
            return Status.FAILED;
        }
    }

    /** A write discarded, not sent, because it was past its {@code staleAfter} instant. */
    record Stale(Order order) implements OrderOutcome {
        public Stale {
            Objects.requireNonNull(order, "order");
        }

        @Override
        public Status status() {
            return Status.STALE;
        }
    }

    /** Not run because it was cancelled. */
    record Cancelled(Order order) implements OrderOutcome {
        public Cancelled {
            Objects.requireNonNull(order, "order");
        }

        @Override
        public Status status() {
            return Status.CANCELLED;
        }
    }

    /** Not run because no handler takes it (a sysctl op type or a message nobody handles). */
    record Unhandled(Order order) implements OrderOutcome {
        public Unhandled {
            Objects.requireNonNull(order, "order");
        }

        @Override
        public Status status() {
            return Status.UNHANDLED;
        }
    }
}
