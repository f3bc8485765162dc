package dev.pathpoint.api.driver;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One read or write handed to a driver. The driver completes it exactly once, from any thread, with
 * {@link #complete} or {@link #fail}; later completions (or the executor's own timeout) are ignored.
 */
public abstract sealed class DriverOperation permits ReadOperation, WriteOperation {
    private final String pathpoint;
    private final PathpointType type;
    private final CompletableFuture<PathpointValue> completion = new CompletableFuture<>();

    DriverOperation(String pathpoint, PathpointType type) {
        this.pathpoint = Objects.requireNonNull(pathpoint, "pathpoint");
        this.type = Objects.requireNonNull(type, "type");
    }

    public final String pathpoint() {
        return pathpoint;
    }

    /** The pathpoint's type, from its name. */
    public final PathpointType type() {
        return type;
    }

    /**
     * Completes the operation: with the value read (of the pathpoint's type), or the value written.
     *
     * @return whether this call completed it (false if it was already complete)
     */
    public final boolean complete(PathpointValue value) {
        return completion.complete(Objects.requireNonNull(value, "value"));
    }

    /**
     * Completes the operation as failed.
     *
     * @return whether this call completed it (false if it was already complete)
     */
    public final boolean fail(OperationFailedException failure) {
        return completion.completeExceptionally(Objects.requireNonNull(failure, "failure"));
    }

    public final boolean isDone() {
        return completion.isDone();
    }

    /** Completes with the value, or exceptionally with an {@link OperationFailedException}. */
    public final CompletionStage<PathpointValue> completion() {
        return completion.minimalCompletionStage();
    }
}
