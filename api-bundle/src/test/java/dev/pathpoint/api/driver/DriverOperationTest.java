package dev.pathpoint.api.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class DriverOperationTest {

    @Test
    void firstCompletionWinsAndLaterOnesAreIgnored() {
        ReadOperation read = new ReadOperation("W1r0", PathpointType.UNSIGNED_16);
        assertTrue(read.complete(PathpointValue.of(5)));
        assertFalse(read.fail(new OperationFailedException(OperationFailedReason.TIMEOUT, "late")));
        assertFalse(read.complete(PathpointValue.of(6)));
        assertTrue(read.isDone());
        assertEquals(PathpointValue.of(5), read.completion().toCompletableFuture().join());
    }

    @Test
    void failureCarriesTheReason() {
        WriteOperation write = new WriteOperation("W1r0", PathpointType.UNSIGNED_16, PathpointValue.of(5));
        assertTrue(write.fail(new OperationFailedException(OperationFailedReason.INVALID, "read-only area")));
        CompletionException e = assertThrows(CompletionException.class, () -> write.completion().toCompletableFuture().join());
        assertEquals(OperationFailedReason.INVALID, ((OperationFailedException) e.getCause()).reason());
        assertEquals(PathpointValue.of(5), write.value());
        assertEquals(PathpointType.UNSIGNED_16, write.type());
    }

    @Test
    void completionStageCannotBeCompletedByItsReaders() {
        ReadOperation read = new ReadOperation("W1r0", PathpointType.UNSIGNED_16);
        read.completion().toCompletableFuture().complete(PathpointValue.of(1));
        assertFalse(read.isDone(), "completing a copy must not complete the operation");
    }
}
