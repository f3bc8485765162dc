package dev.pathpoint.mqtt.internal.notice;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import dev.pathpoint.api.store.PathpointListener;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.mqtt.internal.link.Link;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Publishes readings as they change to {@code <prefix>/<gateway>/values/<pathpoint>} (QoS 0), at most
 * one per pathpoint per interval: a change within the interval waits, and only the newest waiting
 * reading goes out when the interval is over. The pathpoint name is one topic level, with {@code /},
 * {@code +}, {@code #}, {@code %} and control characters percent-encoded. Its state is one small entry
 * per pathpoint that changed within the last interval; idle entries are dropped.
 */
public final class ValuePublisher implements PathpointListener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Link link;
    private final long intervalNanos;
    private final ScheduledExecutorService timer;
    private final Map<String, Slot> slots = new HashMap<>();

    public ValuePublisher(Link link, Duration interval) {
        this.link = link;
        this.intervalNanos = interval.toNanos();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "pathpoint-mqtt-values-" + link.settings().gatewayId());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
        timer.scheduleWithFixedDelay(this::dropIdle, 10, 10, TimeUnit.SECONDS);
    }

    @Override
    public void readingChanged(Optional<Reading> previous, Reading current) {
        long now = System.nanoTime();
        boolean publishNow;
        synchronized (slots) {
            Slot slot = slots.computeIfAbsent(current.pathpoint(), name -> new Slot());
            if (slot.waiting != null) {
                slot.waiting = current; // folded into the one already scheduled
                return;
            }
            long due = slot.lastPublished + intervalNanos;
            publishNow = slot.lastPublished == 0 || now - due >= 0;
            if (publishNow) {
                slot.lastPublished = now;
            } else {
                slot.waiting = current;
                timer.schedule(() -> publishWaiting(current.pathpoint()), due - now, TimeUnit.NANOSECONDS);
            }
        }
        if (publishNow) {
            publish(current);
        }
    }

    private void publishWaiting(String pathpoint) {
        Reading reading;
        synchronized (slots) {
            Slot slot = slots.get(pathpoint);
            if (slot == null || slot.waiting == null) {
                return;
            }
            reading = slot.waiting;
            slot.waiting = null;
            slot.lastPublished = System.nanoTime();
        }
        publish(reading);
    }

    private void publish(Reading reading) {
        ObjectNode body = JSON.createObjectNode();
        body.put("pathpoint", reading.pathpoint());
        body.put("timestamp", reading.timestamp().toString());
        if (reading instanceof Reading.Success success) {
            PathpointValue value = success.value();
            if (value instanceof PathpointValue.Whole whole) {
                body.put("value", whole.value());
            } else if (value instanceof PathpointValue.BigWhole big) {
                body.put("value", big.value()); // an exact JSON integer, as the wire format writes it
            } else if (value instanceof PathpointValue.Real real && Double.isFinite(real.value())) {
                body.put("value", real.value());
            } else {
                body.put("value", value.asText());
            }
        } else if (reading instanceof Reading.Failure failure) {
            body.put("failed", failure.reason().name());
            body.put("message", failure.message());
        }
        boolean sent = link.publishNotice("values/" + topicLevel(reading.pathpoint()),
                body.toString().getBytes(StandardCharsets.UTF_8), MqttQos.AT_MOST_ONCE, false);
        link.countNotice("values", sent);
    }

    /** A pathpoint name as one topic level. */
    public static String topicLevel(String pathpoint) {
        StringBuilder out = new StringBuilder(pathpoint.length());
        for (char c : pathpoint.toCharArray()) {
            if (c == '/' || c == '+' || c == '#' || c == '%' || c < 0x20 || c == 0x7f) {
                out.append('%').append(String.format("%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private void dropIdle() {
        long now = System.nanoTime();
        synchronized (slots) {
            for (Iterator<Slot> it = slots.values().iterator(); it.hasNext(); ) {
                Slot slot = it.next();
                if (slot.waiting == null && now - slot.lastPublished - intervalNanos > 0) {
                    it.remove();
                }
            }
        }
    }

    /** Pathpoints with state, for tests. */
    int tracked() {
        synchronized (slots) {
            return slots.size();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private static final class Slot {
        long lastPublished;
        Reading waiting;
    }
}
