package dev.pathpoint.distribution.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pathpoint.mqtt.testing.Central;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Documents sent by the central system under load, and the checks made on them section by section:
 * exactly one result per section sent (a result document published again after a reconnect or a
 * restart is the same document: QoS 1 is at least once, and the central side drops it by id), no
 * section lost, the write applied at least once (the read after it sees the value) and executed once
 * per document id (the device's own count of writes).
 *
 * <p>Document {@code i} is one section: write {@code W7r<first+i> = 20000 + i} and read it back.
 */
final class MqttLoad {
    private final Central central;
    private final String prefix;
    private final int documents;
    private final int firstAddress;
    private volatile int sent;
    private Thread sender;
    private volatile Throwable failure;

    MqttLoad(Central central, String prefix, int documents, int firstAddress) {
        this.central = central;
        this.prefix = prefix;
        this.documents = documents;
        this.firstAddress = firstAddress;
    }

    String id(int i) {
        return prefix + "-" + i;
    }

    int address(int i) {
        return firstAddress + i;
    }

    static int value(int i) {
        return 20000 + i;
    }

    String document(int i) {
        return "{\"orders\":[{\"type\":\"write\",\"path\":\"W7r" + address(i) + "\",\"value\":" + value(i)
                + ",\"advise\":1},{\"type\":\"read\",\"path\":\"W7r" + address(i) + "\",\"advise\":1}]}";
    }

    /** Sends every document from a thread of its own, as fast as the broker takes them. */
    void start() {
        start(1);
    }

    /** Sends every document {@code copies} times in a row (the same id: deliveries of one document). */
    void start(int copies) {
        sender = new Thread(() -> {
            try {
                for (int i = 0; i < documents; i++) {
                    for (int copy = 0; copy < copies; copy++) {
                        central.send(id(i), document(i));
                    }
                    sent = i + 1;
                }
            } catch (Throwable e) {
                failure = e;
            }
        }, "mqtt-load-" + prefix);
        sender.setDaemon(true);
        sender.start();
    }

    int sent() {
        return sent;
    }

    /** How many documents have a result. */
    int answered() {
        int count = 0;
        for (int i = 0; i < documents; i++) {
            if (!central.resultsFor(id(i)).isEmpty()) {
                count++;
            }
        }
        return count;
    }

    /** Sends document {@code i} once more, from the calling thread. */
    void resend(int i) {
        central.send(id(i), document(i));
    }

    void awaitAllAnswered(Duration limit) throws InterruptedException {
        sender.join(limit.toMillis());
        if (failure != null) {
            throw new AssertionError("sending failed after " + sent + " documents", failure);
        }
        central.until(documents + " results (have " + answered() + ", sent " + sent + ")", limit,
                () -> answered() == documents);
    }

    /**
     * The checks, section by section; {@code mayRunTwice} names the documents that may have run twice
     * (those in flight when the gateway was killed). Returns how many result documents arrived again.
     */
    int check(CountingDevice device, Set<String> mayRunTwice) {
        Map<String, Integer> writes = device.writes();
        List<String> problems = new ArrayList<>();
        int republished = 0;
        for (int i = 0; i < documents; i++) {
            String id = id(i);
            List<Central.Received> results = central.resultsFor(id);
            Set<String> distinct = results.stream().map(Central.Received::payload).collect(Collectors.toSet());
            if (results.isEmpty()) {
                problems.add(id + ": no result (lost)");
                continue;
            }
            if (distinct.size() != 1) {
                problems.add(id + ": " + distinct.size() + " different results: " + distinct);
                continue;
            }
            republished += results.size() - 1;
            JsonNode sections = results.get(0).json().path("sections");
            if (sections.size() != 1) {
                problems.add(id + ": " + sections.size() + " section results for 1 section: " + results.get(0).payload());
                continue;
            }
            JsonNode orders = sections.get(0).path("orders");
            if (!sections.get(0).path("succeeded").asBoolean() || orders.get(1).path("value").asInt() != value(i)) {
                problems.add(id + ": write not applied or read wrong: " + sections.get(0));
            }
            int written = writes.getOrDefault(address(i) + " " + value(i), 0);
            int allowed = mayRunTwice.contains(id) ? 2 : 1;
            if (written < 1 || written > allowed) {
                problems.add(id + ": written " + written + " times at the device, expected "
                        + (allowed == 1 ? "exactly once" : "once or twice"));
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " of " + documents + " sections failed the checks, first: "
                    + problems.subList(0, Math.min(10, problems.size())));
        }
        return republished;
    }

    /** Ids of documents without a result so far. */
    Set<String> unanswered() {
        Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < documents; i++) {
            if (central.resultsFor(id(i)).isEmpty()) {
                ids.add(id(i));
            }
        }
        return ids;
    }
}
