package dev.pathpoint.mqtt.internal.notice;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.message.MessageHandler;
import dev.pathpoint.mqtt.internal.link.Link;
import java.time.Duration;

/**
 * Serves message orders (the seed's "tell the server to execute the message"): publishes the uuid to
 * {@code <prefix>/<gateway>/messages} with QoS 1; the order is done when the broker acknowledges it.
 */
public final class LinkMessageHandler implements MessageHandler {
    private final Link link;
    private final Duration timeout;

    public LinkMessageHandler(Link link, Duration timeout) {
        this.link = link;
        this.timeout = timeout;
    }

    @Override
    public void acknowledge(String uuid) throws OperationFailedException {
        link.publishMessage(uuid, timeout);
    }
}
