package dev.pathpoint.api.message;

import dev.pathpoint.api.failure.OperationFailedException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Acknowledges message orders. Register it as a service; the highest-ranked one is used. A failure
 * is retried as the order's {@code fail()} allows.
 */
@ConsumerType
public interface MessageHandler {

    /**
     * Acknowledges the message. Called on an executor thread reserved for handlers.
     *
     * @throws OperationFailedException if it could not be acknowledged
     */
    void acknowledge(String uuid) throws OperationFailedException;
}
