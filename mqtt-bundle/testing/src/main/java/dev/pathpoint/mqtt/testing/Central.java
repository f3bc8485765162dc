package dev.pathpoint.mqtt.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The central system in a test: an MQTT 5 client that sends documents to a gateway and collects
 * everything the gateway publishes under its prefix.
 */
public final class Central implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Mqtt5AsyncClient client;
    private final String prefix;
    private final String gateway;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, List<Received>> resultsById = new java.util.concurrent.ConcurrentHashMap<>();

    /** What the central system received. */
    public record Received(String topic, String payload, String correlationData, String idProperty, boolean retained) {
        public JsonNode json() {
            try {
                return JSON.readTree(payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public Central(int port, String prefix, String gateway) {
        this.prefix = prefix;
        this.gateway = gateway;
        client = MqttClient.builder().useMqttVersion5().identifier("central-" + UUID.randomUUID())
                .serverHost("127.0.0.1").serverPort(port)
                .automaticReconnect().initialDelay(100, TimeUnit.MILLISECONDS).maxDelay(1, TimeUnit.SECONDS)
                .applyAutomaticReconnect().buildAsync();
        client.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL, publish -> {
            Received message = new Received(
                    publish.getTopic().toString(), new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8),
                    publish.getCorrelationData().map(buffer -> StandardCharsets.UTF_8.decode(buffer).toString()).orElse(null),
                    publish.getUserProperties().asList().stream().filter(p -> p.getName().toString().equals("id"))
                            .map(p -> p.getValue().toString()).findFirst().orElse(null),
                    publish.isRetain());
            received.add(message);
            if (isResult(message)) {
                resultsById.computeIfAbsent(message.json().path("id").asText(), id -> new CopyOnWriteArrayList<>()).add(message);
            }
        });
        client.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().join();
        client.subscribeWith().topicFilter(prefix + "/" + gateway + "/#").qos(MqttQos.AT_LEAST_ONCE).send().join();
        client.subscribeWith().topicFilter("central/inbox/#").qos(MqttQos.AT_LEAST_ONCE).send().join();
    }

    public String topic(String leaf) {
        return prefix + "/" + gateway + "/" + leaf;
    }

    /** Sends a document with an id user property and no response topic. */
    public void send(String id, String document) {
        publish(document, builder -> builder.userProperties().add("id", id).applyUserProperties());
    }

    /** Sends a document as an MQTT 5 request: response topic central/inbox/..., correlation data. */
    public void request(String correlation, String document) {
        publish(document, builder -> builder.responseTopic("central/inbox/" + gateway)
                .correlationData(correlation.getBytes(StandardCharsets.UTF_8)));
    }

    public void sendRaw(byte[] payload) {
        client.publishWith().topic(topic("sections")).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send().join();
    }

    private void publish(String document, java.util.function.UnaryOperator<Mqtt5PublishBuilder.Complete> extra) {
        Mqtt5PublishBuilder.Complete builder = Mqtt5Publish.builder().topic(topic("sections")).qos(MqttQos.AT_LEAST_ONCE)
                .payload(document.getBytes(StandardCharsets.UTF_8));
        client.publish(extra.apply(builder).build()).join();
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public List<Received> on(String topic) {
        return received.stream().filter(r -> r.topic.equals(topic)).toList();
    }

    /** Result documents (results topic and the central inbox). */
    public List<Received> results() {
        return received.stream().filter(this::isResult).toList();
    }

    private boolean isResult(Received message) {
        return message.topic.equals(topic("results")) || message.topic.startsWith("central/inbox/");
    }

    /** The result documents that carry this id, in arrival order. */
    public List<Received> resultsFor(String id) {
        return List.copyOf(resultsById.getOrDefault(id, List.of()));
    }

    /** Waits for a result document with this id. */
    public Received awaitResult(String id, Duration limit) {
        until("result of " + id, limit, () -> !resultsFor(id).isEmpty());
        return resultsFor(id).get(0);
    }

    public void await(String what, Duration limit, Predicate<List<Received>> condition) {
        until(what, limit, () -> condition.test(received()));
    }

    /** Polls a condition until it holds, failing with what was received after {@code limit}. */
    public void until(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + limit + "; received " + received.size()
                        + " messages, the last: " + received.subList(Math.max(0, received.size() - 2), received.size()));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    public Mqtt5AsyncClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the broker may be gone already
        }
    }
}
