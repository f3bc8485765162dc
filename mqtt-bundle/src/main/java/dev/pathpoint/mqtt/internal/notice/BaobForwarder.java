package dev.pathpoint.mqtt.internal.notice;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pathpoint.mqtt.internal.link.Link;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the sysctl bundle's BAOB events to {@code <prefix>/<gateway>/baob} (QoS 1) as
 * {@code {"change": "CREATED", "key": ..., "op": "baob-created", "timestamp": epoch-ms}}. Called on
 * Event Admin's thread: it only hands the event to the client; while the link is offline the newest
 * events wait for the next connect.
 */
public final class BaobForwarder implements EventHandler {
    private static final Logger LOG = LoggerFactory.getLogger(BaobForwarder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Link link;

    public BaobForwarder(Link link) {
        this.link = link;
    }

    @Override
    public void handleEvent(Event event) {
        String topic = event.getTopic();
        ObjectNode body = JSON.createObjectNode();
        body.put("change", topic.substring(topic.lastIndexOf('/') + 1));
        body.put("key", String.valueOf(event.getProperty("baob.key")));
        Object op = event.getProperty("sysctl.op");
        if (op != null) {
            body.put("op", op.toString());
        }
        Object timestamp = event.getProperty(EventConstants.TIMESTAMP);
        body.put("timestamp", timestamp instanceof Number number ? number.longValue() : System.currentTimeMillis());
        boolean kept = link.publishOrKeep("baob", body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        link.countNotice("baob", kept);
        if (!kept) {
            LOG.warn("Link {} is offline with {} BAOB events waiting: the oldest was dropped", link.settings().gatewayId(),
                    Link.MAX_OFFLINE_NOTICES);
        }
    }
}
