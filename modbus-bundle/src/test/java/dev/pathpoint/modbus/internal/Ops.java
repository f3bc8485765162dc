package dev.pathpoint.modbus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.driver.ReadOperation;
import dev.pathpoint.api.driver.WriteOperation;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Test helpers: operations on a driver, and waiting (bounded) for their outcome. */
final class Ops {
    private Ops() {
    }

    static ReadOperation read(String name) {
        return new ReadOperation(name, type(name));
    }

    static WriteOperation write(String name, PathpointValue value) {
        return new WriteOperation(name, type(name), value);
    }

    private static PathpointType type(String name) {
        try {
            return PathpointType.ofPathpoint(name);
        } catch (OperationFailedException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static void run(PathpointDriver driver, DriverOperation... operations) {
        driver.execute(List.of(operations));
    }

    /** The value an operation completed with (fails the test if it failed or took over 10 s). */
    static PathpointValue value(DriverOperation operation) {
        try {
            return operation.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return fail(operation + " failed: " + e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            return fail(operation + " did not complete: " + e);
        }
    }

    /** The failure an operation completed with (fails the test if it succeeded). */
    static OperationFailedException failure(DriverOperation operation) {
        try {
            PathpointValue value = operation.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return fail(operation + " should have failed but gave " + value);
        } catch (ExecutionException | CompletionException e) {
            assertTrue(e.getCause() instanceof OperationFailedException, () -> "unexpected " + e.getCause());
            return (OperationFailedException) e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            return fail(operation + " did not complete: " + e);
        }
    }

    static OperationFailedException failure(DriverOperation operation, OperationFailedReason reason) {
        OperationFailedException failure = failure(operation);
        assertEquals(reason, failure.reason(), failure::getMessage);
        return failure;
    }

    static PathpointValue readValue(PathpointDriver driver, String name) {
        ReadOperation operation = read(name);
        run(driver, operation);
        return value(operation);
    }

    static void writeValue(PathpointDriver driver, String name, PathpointValue value) {
        WriteOperation operation = write(name, value);
        run(driver, operation);
        value(operation);
    }
}
