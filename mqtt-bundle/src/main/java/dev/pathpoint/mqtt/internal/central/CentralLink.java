package dev.pathpoint.mqtt.internal.central;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.api.remote.RemoteExecutor;
import dev.pathpoint.api.remote.RemoteGateways;
import dev.pathpoint.mqtt.internal.link.Link;
import dev.pathpoint.mqtt.internal.link.Tls;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The central side's end of the MQTT links: one MQTT 5 client (persistent session, so that results
 * published while it is away wait at the broker) and the {@link RemoteSections} it feeds. Works
 * inside a framework ({@link CentralComponent}) and outside one (the operator tool, the fleet).
 *
 * <p>Subscriptions: {@code <prefix>/+/results/<client id>} (the response topic it gives every
 * section) and, for each gateway it has been asked about, {@code <prefix>/<gateway>/status}
 * (retained: the broker tells the current status at once). Threads: publishes go out through one
 * publisher thread (the HiveMQ client blocks its caller while its window is full), incoming messages
 * are handled on one thread of their own, futures complete on a small pool, the time limits are
 * checked four times a second.
 */
public final class CentralLink implements RemoteGateways, AutoCloseable {
    static final String KIND = "mqtt-central";
    private static final Logger LOG = LoggerFactory.getLogger(CentralLink.class);

    private final CentralSettings settings;
    private final String configuration;
    private final Clock clock;
    private final RemoteSections sections;
    private final Map<String, GatewayExecutor> executors = new ConcurrentHashMap<>();
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor publisher;
    private final ExecutorService incoming;
    private final ExecutorService completions;
    private final ScheduledExecutorService timer;
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong connectionLosses = new AtomicLong();
    private volatile Mqtt5AsyncClient client;
    private volatile boolean connected;
    private volatile boolean closing;
    private volatile ConnectionState state = ConnectionState.CONNECTING;
    private volatile Instant since;
    private volatile Optional<Instant> nextAttempt = Optional.empty();
    private volatile Optional<String> problem = Optional.empty();

    /**
     * @param configuration where the settings came from (a Config Admin PID, or "command line"), for reports
     */
    public CentralLink(CentralSettings settings, String configuration, Clock clock) {
        this.settings = settings;
        this.configuration = configuration;
        this.clock = clock;
        this.since = clock.instant();
        publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads("pathpoint-central-publish-" + settings.clientId()));
        incoming = Executors.newSingleThreadExecutor(threads("pathpoint-central-in-" + settings.clientId()));
        completions = Executors.newFixedThreadPool(2, threads("pathpoint-central-results-" + settings.clientId()));
        timer = Executors.newSingleThreadScheduledExecutor(threads("pathpoint-central-timer-" + settings.clientId()));
        String run = Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
        sections = new RemoteSections(settings, new Outbound(), clock, completions, settings.clientId() + "-" + run);
    }

    private static ThreadFactory threads(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Starts connecting (in the background, with backoff) and follows the configured gateways.
     *
     * @throws IllegalArgumentException if a TLS store cannot be used (the message names it)
     */
    public CentralLink start() {
        com.hivemq.client.mqtt.MqttClientSslConfig ssl = settings.tls().enabled() ? Tls.sslConfig(settings.tls()) : null;
        settings.gateways().forEach(this::forGateway);
        Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5()
                .identifier(settings.clientId())
                .serverHost(settings.host())
                .serverPort(settings.port())
                .automaticReconnect()
                .initialDelay(settings.reconnectDelay().toMillis(), TimeUnit.MILLISECONDS)
                .maxDelay(settings.maxReconnectDelay().toMillis(), TimeUnit.MILLISECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(context -> onConnected())
                .addDisconnectedListener(context -> {
                    boolean was = connected;
                    connected = false;
                    if (was) {
                        connectionLosses.incrementAndGet();
                    }
                    String why = Link.describe(context.getCause());
                    sections.disconnected(why);
                    if (closing) {
                        setState(ConnectionState.IDLE, Optional.empty(), Optional.empty());
                        return;
                    }
                    long delay = context.getReconnector().getDelay(TimeUnit.MILLISECONDS);
                    setState(ConnectionState.BACKING_OFF, Optional.of(clock.instant().plusMillis(delay)), Optional.of(why));
                    LOG.info("Central {}: {} {}: {}; next attempt in {} ms", settings.clientId(),
                            was ? "lost its connection to" : "could not connect to", settings.endpoint(), why, delay);
                });
        if (ssl != null) {
            builder = builder.sslConfig(ssl);
        }
        if (!settings.username().isEmpty()) {
            builder = builder.simpleAuth().username(settings.username())
                    .password(settings.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        }
        Mqtt5AsyncClient created = builder.buildAsync();
        created.publishes(MqttGlobalPublishFilter.ALL, this::onPublish, incoming, false);
        client = created;
        created.connectWith().cleanStart(false)
                .sessionExpiryInterval(settings.sessionExpiry().toSeconds())
                .keepAlive((int) settings.keepAlive().toSeconds())
                .send()
                .whenComplete((ack, failure) -> {
                    if (failure != null) {
                        LOG.debug("Central {}: first connection attempt failed: {}", settings.clientId(), failure.toString());
                    }
                });
        timer.scheduleWithFixedDelay(() -> {
            try {
                sections.sweep();
            } catch (RuntimeException e) {
                LOG.error("Central {}: checking time limits failed", settings.clientId(), e);
            }
        }, 250, 250, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Netty thread. */
    private void onConnected() {
        connected = true;
        connects.incrementAndGet();
        setState(ConnectionState.CONNECTED, Optional.empty(), Optional.empty());
        LOG.info("Central {} connected to {}", settings.clientId(), settings.endpoint());
        Mqtt5AsyncClient current = client;
        String results = settings.topicPrefix() + "/+/results/" + settings.clientId();
        // sections go out only once the broker holds the results subscription: else a fast answer is lost
        current.subscribeWith().topicFilter(results).qos(MqttQos.AT_LEAST_ONCE).send()
                .whenComplete((ack, failure) -> {
                    if (subscribed(results, ack, failure)) {
                        sections.connected();
                    }
                });
        // again after every connect: a retained status is sent on each subscription, so a reconnect learns it anew
        watched.forEach(gateway -> subscribeStatus(current, gateway));
    }

    private void subscribeStatus(Mqtt5AsyncClient current, String gateway) {
        String topic = settings.topic(gateway, "status");
        current.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE)
                .retainHandling(Mqtt5RetainHandling.SEND).send()
                .whenComplete((ack, failure) -> subscribed(topic, ack, failure));
    }

    /** Whether the subscription holds; else the problem is reported. */
    private boolean subscribed(String topic, com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck ack,
            Throwable failure) {
        if (failure != null) {
            LOG.warn("Central {}: subscribing to {} failed: {}", settings.clientId(), topic, Link.describe(failure));
            problem = Optional.of("subscribing to " + topic + " failed: " + Link.describe(failure));
            return false;
        }
        if (ack.getReasonCodes().stream().anyMatch(code -> code.isError())) {
            problem = Optional.of("the broker refused the subscription to " + topic + ": " + ack.getReasonCodes());
            LOG.warn("Central {}: {}", settings.clientId(), problem.get());
            return false;
        }
        return true;
    }

    /** The incoming thread. */
    private void onPublish(Mqtt5Publish publish) {
        String topic = publish.getTopic().toString();
        String prefix = settings.topicPrefix() + "/";
        if (!topic.startsWith(prefix)) {
            return;
        }
        String rest = topic.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return;
        }
        String gateway = rest.substring(0, slash);
        String leaf = rest.substring(slash + 1);
        if (leaf.equals("status")) {
            sections.presence(gateway, new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8).trim());
        } else if (leaf.equals("results/" + settings.clientId())) {
            Optional<String> correlation = publish.getCorrelationData()
                    .map(buffer -> StandardCharsets.UTF_8.decode(buffer.duplicate()).toString());
            sections.result(publish.getPayloadAsBytes(), correlation);
        }
    }

    private void setState(ConnectionState next, Optional<Instant> attempt, Optional<String> why) {
        if (next != state) {
            since = clock.instant();
        }
        state = next;
        nextAttempt = attempt;
        problem = why;
    }

    @Override
    public RemoteExecutor forGateway(String gatewayId) {
        String id = CentralSettings.checkGateway(gatewayId, "gateway id");
        return executors.computeIfAbsent(id, key -> {
            GatewayExecutor executor = new GatewayExecutor(key, sections);
            sections.watch(key);
            return executor;
        });
    }

    public CentralSettings settings() {
        return settings;
    }

    public boolean isConnected() {
        return connected;
    }

    /** The connection as {@code pathpoint:links} shows it. */
    public ConnectionReport report() {
        Map<String, Long> counters = new java.util.LinkedHashMap<>(sections.counters());
        counters.put("connects", connects.get());
        counters.put("connectionLosses", connectionLosses.get());
        return new ConnectionReport(settings.clientId(), KIND, settings.endpoint(), configuration, state, since,
                nextAttempt, problem, counters);
    }

    /**
     * Stops: every section not answered yet fails {@code SHUTDOWN} (sent ones may still run on their
     * gateway), and the client disconnects; its session stays at the broker for the next start.
     */
    @Override
    public void close() {
        closing = true;
        timer.shutdownNow();
        sections.close();
        Mqtt5AsyncClient current = client;
        if (current != null) {
            try {
                current.disconnect().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("Central {}: disconnect: {}", settings.clientId(), e.toString());
            }
        }
        connected = false;
        setState(ConnectionState.IDLE, Optional.empty(), Optional.empty());
        publisher.shutdownNow();
        incoming.shutdown();
        completions.shutdown();
        try {
            completions.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Central {} to {} stopped", settings.clientId(), settings.endpoint());
    }

    /** Publishes for {@link RemoteSections}, through the publisher thread. */
    private final class Outbound implements RemoteSections.Outbound {

        @Override
        public CompletableFuture<Void> publishSection(String gateway, String id, byte[] document) {
            Mqtt5Publish message = Mqtt5Publish.builder().topic(settings.topic(gateway, "sections"))
                    .qos(MqttQos.AT_LEAST_ONCE).payload(document).contentType("application/json")
                    .responseTopic(settings.responseTopic(gateway))
                    .correlationData(id.getBytes(StandardCharsets.UTF_8))
                    .userProperties().add("id", id).applyUserProperties().build();
            return send(message);
        }

        @Override
        public void publishCancel(String gateway, String id) {
            // the same id, response topic and correlation data as the section: a gateway that does not know
            // cancels takes it for a repeat of the section and drops it
            byte[] payload = ("{\"cancel\":" + quote(id) + "}").getBytes(StandardCharsets.UTF_8);
            send(Mqtt5Publish.builder().topic(settings.topic(gateway, "sections")).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload).responseTopic(settings.responseTopic(gateway))
                    .correlationData(id.getBytes(StandardCharsets.UTF_8))
                    .userProperties().add("id", id).applyUserProperties().build())
                    .whenComplete((ok, failure) -> {
                        if (failure != null) {
                            LOG.info("Central {}: the cancel of {} for gateway {} was not delivered: {}",
                                    settings.clientId(), id, gateway, Link.describe(failure));
                        }
                    });
        }

        @Override
        public void watch(String gateway) {
            watched.add(gateway);
            Mqtt5AsyncClient current = client;
            if (connected && current != null) {
                subscribeStatus(current, gateway);
            }
        }

        private CompletableFuture<Void> send(Mqtt5Publish message) {
            CompletableFuture<Void> result = new CompletableFuture<>();
            try {
                publisher.execute(() -> {
                    try {
                        client.publish(message).whenComplete((published, failure) -> settle(result, published, failure));
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                });
            } catch (RejectedExecutionException e) {
                result.completeExceptionally(new IllegalStateException("the central link is stopping"));
            }
            return result;
        }

        private void settle(CompletableFuture<Void> result, Mqtt5PublishResult published, Throwable failure) {
            Throwable error = failure != null ? failure : published.getError().orElse(null);
            if (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) {
                error = error.getCause();
            }
            if (error instanceof Mqtt5PubAckException refused) {
                result.completeExceptionally(new RemoteSections.RefusedByBroker(refused.getMqttMessage().getReasonCode()
                        + refused.getMqttMessage().getReasonString().map(reason -> " (" + reason + ")").orElse("")));
            } else if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(null);
            }
        }
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text, out);
        return out.append('"').toString();
    }
}
