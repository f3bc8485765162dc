package dev.pathpoint.mqtt.internal.link;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.wire.SectionCodec;
import dev.pathpoint.api.wire.WireFormatException;
import dev.pathpoint.mqtt.internal.journal.JournalRecord.Origin;
import dev.pathpoint.mqtt.internal.journal.Ledger;
import dev.pathpoint.mqtt.internal.journal.Ledger.Document;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One link to the central system: an MQTT 5 client, the journal, and the documents between them.
 *
 * <p>Documents arrive on {@code <prefix>/<gateway>/sections}. Each is checked, recorded in the
 * journal and handed to the executor; the broker gets its acknowledgement (manual PUBACK) once the
 * record is synced. When the sections have finished and their results are in the journal (written,
 * or synced with {@code journalResultsAfterSync}), one result document goes back (QoS 1) to the message's response topic, else to {@code <prefix>/<gateway>/results};
 * the document is finished once the broker acknowledges that publish. A document that is pending or
 * in the dedupe window is a duplicate: it is acknowledged and not run again.
 *
 * <p>Back-pressure: while the link has {@code maxSectionsInFlight} sections in the engine, while the
 * engine rejects sections because its queue is full, or while the journal is full, new documents are
 * neither recorded nor acknowledged: the broker keeps them (and stops sending at the receive maximum).
 *
 * <p>Threads: the link's state is guarded by one lock, and every thread hands its work in, so that
 * the path of a document costs as few thread hand-offs as the engine allows (each is a wake-up, tens of
 * microseconds on a virtual machine). A document is taken on the MQTT client's thread, in the order
 * the broker delivered it; a section's result is journaled and published on the thread that completed
 * its future (the engine's results thread); an acknowledgement is handled on the client's thread. A
 * callback that finds the lock taken waits for it at most {@value #LOCK_SPIN_NANOS} ns (spinning), then
 * leaves its work to the link thread, which also runs the timers and the housekeeping. Nothing that waits for another thread is done under the lock:
 * journal writes go to the operating system (syncs happen on the journal's own thread) and a publish
 * is handed to the client directly only while the client cannot block it (see {@link #send}).
 */
public final class Link implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Link.class);
    static final String KIND = "mqtt";
    private static final byte[] ONLINE = "online".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OFFLINE = "offline".getBytes(StandardCharsets.UTF_8);
    private static final int MAX_PUBLISHES_IN_FLIGHT = 1000;
    /**
     * Publishes handed to the client directly, on the caller's thread, while fewer than this many are
     * unfinished. The client's publish call blocks only once 33 or more publishes wait inside it beyond
     * what the broker lets it send (a queue of 64 streams, replenished 32 at a time), so below 16
     * unfinished it returns at once; above, publishes go through the publisher thread.
     */
    private static final int DIRECT_PUBLISHES = 16;
    /** Documents up to this size are taken on the client's thread; larger ones are parsed on the link thread. */
    static final int INLINE_DOCUMENT_BYTES = 64 * 1024;
    /** How long a callback spins for a busy lock before its work goes to the link thread. */
    private static final long LOCK_SPIN_NANOS = 30_000;
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);
    private static final long COMPACT_EVERY = 256;
    public static final int MAX_OFFLINE_NOTICES = 1000;

    private final LinkSettings settings;
    private final String configuration;
    private final OrderExecutor executor;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor loop;
    private final Counters counters = new Counters();
    private final AtomicInteger generation = new AtomicInteger();
    private final ArrayDeque<Notice> offlineNotices = new ArrayDeque<>();
    /**
     * Hands every publish to the client. The HiveMQ client's publish call blocks its caller while its
     * own outgoing window is full (a blackholed connection): only this thread ever waits there, never
     * the link thread, a Netty thread, Event Admin's or the engine's.
     */
    private final java.util.concurrent.ThreadPoolExecutor publisher;
    /** Publishes handed to the client (directly or through the publisher thread) and not finished. */
    private final AtomicInteger publishesOpen = new AtomicInteger();
    /** Guards the state below; see the class comment. */
    private final ReentrantLock stateLock = new ReentrantLock();
    /** Runs work with the state on the link thread, after what is queued there. */
    private final Executor linkThread = this::later;
    /** Documents waiting to be taken on the link thread, in arrival order; see {@link #arrived}. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Mqtt5Publish> arrivals =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicInteger arrivalsWaiting = new AtomicInteger();

    // under stateLock only
    private Ledger ledger;
    private final ArrayDeque<Mqtt5Publish> held = new ArrayDeque<>();
    private final ArrayDeque<Retry> rejected = new ArrayDeque<>();
    private final ArrayDeque<Document> readyToPublish = new ArrayDeque<>();
    private final Map<String, CompletableFuture<Void>> unsynced = new HashMap<>();
    /** Sections handed to the executor and not finished, by document key and index: what a cancel can stop. */
    private final Map<String, Map<Integer, Section>> running = new HashMap<>();
    private int sectionsInFlight;
    private int publishesInFlight;
    private long rejectedBackoffMillis;
    private boolean retryScheduled;
    private boolean releaseScheduled;
    private boolean closing;
    private long sinceCompaction;
    private CompletableFuture<Void> drained;

    private com.hivemq.client.mqtt.MqttClientSslConfig sslConfig;

    // any thread
    private volatile Mqtt5AsyncClient client;
    private volatile boolean connected;
    private volatile ConnectionState state = ConnectionState.CONNECTING;
    private volatile Instant since;
    private volatile Optional<Instant> nextAttempt = Optional.empty();
    private volatile Optional<String> problem = Optional.empty();
    private volatile int sectionsInFlightGauge;
    private volatile int heldGauge;
    private volatile int pendingGauge;
    private volatile long journalBytesGauge;
    private volatile int journalSegmentsGauge;
    private volatile long journalSyncsGauge;
    private volatile int windowGauge;

    /**
     * @param configuration the Config Admin PID, shown in reports
     */
    public Link(LinkSettings settings, String configuration, OrderExecutor executor, Clock clock) {
        this.settings = settings;
        this.configuration = configuration;
        this.executor = executor;
        this.clock = clock;
        this.since = clock.instant();
        this.loop = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "pathpoint-mqtt-link-" + settings.gatewayId());
            thread.setDaemon(true);
            return thread;
        });
        loop.setRemoveOnCancelPolicy(true);
        this.publisher = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "pathpoint-mqtt-publish-" + settings.gatewayId());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Hands a publish to the client: directly while fewer than {@value #DIRECT_PUBLISHES} are unfinished
     * (the client cannot block then), else through the publisher thread. The future completes when the
     * broker has acknowledged it (QoS 1).
     */
    private CompletableFuture<Mqtt5PublishResult> send(Mqtt5AsyncClient current, Mqtt5Publish message) {
        CompletableFuture<Mqtt5PublishResult> result = new CompletableFuture<>();
        // connected: before its first session the client blocks every publish
        if (publishesOpen.incrementAndGet() <= DIRECT_PUBLISHES && connected) {
            handOver(current, message, result);
            return result;
        }
        try {
            publisher.execute(() -> handOver(current, message, result));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            publishesOpen.decrementAndGet();
            result.completeExceptionally(new IOException("link " + settings.gatewayId() + " is stopping"));
        }
        return result;
    }

    private void handOver(Mqtt5AsyncClient current, Mqtt5Publish message, CompletableFuture<Mqtt5PublishResult> result) {
        try {
            current.publish(message).whenComplete((published, failure) -> {
                publishesOpen.decrementAndGet();
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(published);
                }
            });
        } catch (RuntimeException e) {
            publishesOpen.decrementAndGet();
            result.completeExceptionally(e);
        }
    }

    /** Runs a task with the state on this thread, waiting for the lock if another thread holds it. */
    private void withState(Runnable task) {
        stateLock.lock();
        try {
            task.run();
        } finally {
            stateLock.unlock();
        }
    }

    /**
     * Takes the lock if it is free or comes free within a short spin: a holder is mostly about to let
     * go (the client's thread handing a document to the engine as its section completes), and the
     * hand-off to the link thread that the spin saves costs more.
     */
    private boolean tryLockBriefly() {
        if (stateLock.tryLock()) {
            return true;
        }
        long start = System.nanoTime();
        while (System.nanoTime() - start < LOCK_SPIN_NANOS) {
            Thread.onSpinWait();
            if (!stateLock.isLocked() && stateLock.tryLock()) {
                return true;
            }
        }
        return false;
    }

    /** Runs a task with the state on the link thread, after what is queued there. */
    private void later(Runnable task) {
        loop.execute(() -> withState(task));
    }

    /**
     * Runs a callback's task with the state on this thread if the lock is free or comes free within
     * {@value #LOCK_SPIN_NANOS} ns, else later on the link thread: a callback never waits longer for
     * the lock. A callback of work this thread started while it held the lock (a cancel, a publish
     * refused at once) runs after that work, as on the link thread.
     */
    private void soon(Runnable task) {
        if (!stateLock.isHeldByCurrentThread() && tryLockBriefly()) {
            try {
                task.run();
            } finally {
                stateLock.unlock();
            }
        } else {
            later(task);
        }
    }

    private static Mqtt5Publish status(LinkSettings settings, byte[] payload) {
        return Mqtt5Publish.builder().topic(settings.topic("status")).qos(MqttQos.AT_LEAST_ONCE).payload(payload)
                .retain(true).build();
    }

    public LinkSettings settings() {
        return settings;
    }

    /**
     * Opens the journal (running again what it holds unfinished) and starts connecting; returns once
     * the journal is open.
     *
     * @throws IOException if the journal cannot be opened
     * @throws IllegalArgumentException if a TLS store cannot be used (the message names it)
     */
    public void start() throws IOException {
        sslConfig = settings.tls().enabled() ? Tls.sslConfig(settings.tls()) : null; // a bad store fails here
        CompletableFuture<Void> opened = CompletableFuture.runAsync(() -> {
            try {
                ledger = Ledger.open(settings.journalDirectory(), new Ledger.Limits(settings.journalMaxBytes(),
                        settings.segmentBytes(), settings.dedupeWindowSize(), settings.dedupeWindowAge(),
                        settings.journalSyncDelay(), settings.journalResultsAfterSync()), clock, linkThread);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
            resume();
            refreshGauges();
        }, linkThread);
        try {
            opened.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            loop.shutdownNow();
            publisher.shutdownNow();
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("the journal in " + settings.journalDirectory() + " could not be opened: " + cause, cause);
        } catch (TimeoutException e) {
            loop.shutdownNow();
            publisher.shutdownNow();
            throw new IOException("opening the journal in " + settings.journalDirectory() + " took over a minute");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.shutdownNow();
            publisher.shutdownNow();
            throw new IOException("interrupted opening the journal", e);
        }
        connect();
        loop.scheduleWithFixedDelay(() -> withState(this::housekeeping), 1, 1, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------------------------------------
    // the MQTT connection

    private void connect() {
        int mine = generation.incrementAndGet();
        Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5()
                .identifier(settings.gatewayId())
                .serverHost(settings.host())
                .serverPort(settings.port())
                .automaticReconnect()
                .initialDelay(settings.reconnectDelay().toMillis(), TimeUnit.MILLISECONDS)
                .maxDelay(settings.maxReconnectDelay().toMillis(), TimeUnit.MILLISECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(context -> {
                    if (generation.get() == mine) {
                        onConnected();
                    }
                })
                .addDisconnectedListener(context -> {
                    if (generation.get() == mine) {
                        onDisconnected(context);
                    }
                });
        if (settings.tls().enabled()) {
            builder = builder.sslConfig(sslConfig);
        }
        if (!settings.username().isEmpty()) {
            builder = builder.simpleAuth().username(settings.username())
                    .password(settings.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        }
        builder = builder.willPublish().topic(settings.topic("status")).payload(OFFLINE).qos(MqttQos.AT_LEAST_ONCE)
                .retain(true).applyWillPublish();
        Mqtt5AsyncClient created = builder.buildAsync();
        // registered before connecting: a resumed session delivers documents right after the CONNACK
        created.publishes(MqttGlobalPublishFilter.ALL, publish -> {
            if (generation.get() == mine) {
                arrived(publish);
            } // else: from a replaced client, not acknowledged, so the broker sends it again
        }, true);
        client = created;
        setState(ConnectionState.CONNECTING, Optional.empty(), problem);
        created.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(settings.sessionExpiry().toSeconds())
                .keepAlive((int) settings.keepAlive().toSeconds())
                .restrictions()
                .receiveMaximum(settings.receiveMaximum())
                // documents up to twice the limit still arrive, so that their sender gets an error back
                .maximumPacketSize(Math.min(268_435_460, 2 * settings.maxDocumentBytes() + 64 * 1024))
                .applyRestrictions()
                .send()
                .whenComplete((connAck, failure) -> {
                    if (failure != null) {
                        LOG.debug("Link {}: first connection attempt failed: {}", settings.gatewayId(), failure.toString());
                    }
                });
    }

    /** Netty thread. */
    private void onConnected() {
        connected = true;
        counters.connects.incrementAndGet();
        setState(ConnectionState.CONNECTED, Optional.empty(), Optional.empty());
        LOG.info("Link {} connected to {}", settings.gatewayId(), settings.endpoint());
        Mqtt5AsyncClient current = client;
        // online only once the broker holds the subscription: a central that sees online may send at once
        current.subscribeWith().topicFilter(settings.topic("sections")).qos(MqttQos.AT_LEAST_ONCE)
                .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send()
                .whenComplete((subAck, failure) -> {
                    if (failure != null) {
                        LOG.warn("Link {}: subscribing to {} failed: {}", settings.gatewayId(), settings.topic("sections"),
                                failure.toString());
                        problem = Optional.of("subscribing to " + settings.topic("sections") + " failed: " + describe(failure));
                    } else if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
                        problem = Optional.of("the broker refused the subscription to " + settings.topic("sections")
                                + ": " + subAck.getReasonCodes());
                        LOG.warn("Link {}: {}", settings.gatewayId(), problem.get());
                    } else {
                        send(current, status(settings, ONLINE));
                    }
                });
        flushOfflineNotices(current);
        later(this::publishReady);
    }

    /** Netty thread. */
    private void onDisconnected(MqttClientDisconnectedContext context) {
        boolean wasConnected = connected;
        connected = false;
        if (wasConnected) {
            counters.connectionLosses.incrementAndGet();
        }
        String why = describe(context.getCause());
        if (closing) {
            setState(ConnectionState.IDLE, Optional.empty(), Optional.empty());
            return;
        }
        long delay = context.getReconnector().getDelay(TimeUnit.MILLISECONDS);
        setState(ConnectionState.BACKING_OFF, Optional.of(clock.instant().plusMillis(delay)), Optional.of(why));
        if (wasConnected) {
            LOG.warn("Link {} lost its connection to {}: {}; reconnecting in {} ms", settings.gatewayId(),
                    settings.endpoint(), why, delay);
        } else {
            LOG.info("Link {} could not connect to {}: {}; next attempt in {} ms", settings.gatewayId(),
                    settings.endpoint(), why, delay);
        }
    }

    /** A failure in words an operator understands. */
    public static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof Mqtt5ConnAckException connAck) {
            Mqtt5ConnAckReasonCode code = connAck.getMqttMessage().getReasonCode();
            return switch (code) {
                case BAD_USER_NAME_OR_PASSWORD -> "the broker refused the credentials (bad user name or password)";
                case NOT_AUTHORIZED -> "the broker refused the connection: not authorized (check user name, password"
                        + " or client certificate)";
                case CLIENT_IDENTIFIER_NOT_VALID -> "the broker refused the gateway id as client id";
                case SERVER_UNAVAILABLE, SERVER_BUSY -> "the broker is unavailable (" + code + ")";
                default -> "the broker refused the connection: " + code;
            };
        }
        if (cause instanceof Mqtt5DisconnectException disconnect) {
            return "the broker closed the connection: " + disconnect.getMqttMessage().getReasonCode()
                    + disconnect.getMqttMessage().getReasonString().map(reason -> " (" + reason + ")").orElse("");
        }
        String message = cause.getMessage();
        boolean tls = false;
        Throwable root = cause;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            tls |= t instanceof javax.net.ssl.SSLException || t instanceof java.security.GeneralSecurityException;
            if (t instanceof java.security.cert.CertPathValidatorException
                    || t instanceof java.security.cert.CertPathBuilderException) {
                return "TLS failed: the broker's certificate is not trusted (not signed by a CA of tlsTrustStore: "
                        + t.getMessage() + ")";
            }
            root = t;
        }
        if (tls) {
            return "TLS failed: " + root.getMessage();
        }
        if (root instanceof java.net.ConnectException) {
            return "connection refused (is the broker running?)";
        }
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    private void setState(ConnectionState next, Optional<Instant> attempt, Optional<String> why) {
        if (next != state) {
            since = clock.instant();
        }
        state = next;
        nextAttempt = attempt;
        problem = why;
    }

    // ---------------------------------------------------------------------------------------------
    // documents in (the client's thread, or the link thread for what waited)

    /**
     * On the client's thread: a document is taken there at once when nothing waits before it, it is at
     * most {@value #INLINE_DOCUMENT_BYTES} bytes and the state is free (soon); else it waits its turn for the
     * link thread (which parses a large one without holding up the client's thread). Either way in the
     * order of arrival.
     */
    private void arrived(Mqtt5Publish publish) {
        counters.received.incrementAndGet();
        if (arrivalsWaiting.get() == 0 && publish.getPayload().map(java.nio.ByteBuffer::remaining).orElse(0)
                <= INLINE_DOCUMENT_BYTES && tryLockBriefly()) {
            try {
                takeArrival(publish);
            } finally {
                stateLock.unlock();
            }
            return;
        }
        arrivals.add(publish);
        if (arrivalsWaiting.getAndIncrement() == 0) {
            loop.execute(this::takeArrivals);
        }
    }

    /** Link thread: takes the documents that waited, in order, one lock at a time. */
    private void takeArrivals() {
        do {
            Mqtt5Publish publish = arrivals.poll();
            withState(() -> takeArrival(publish));
        } while (arrivalsWaiting.decrementAndGet() > 0);
    }

    /**
     * Takes one arrival; a bug while taking it is logged and leaves it unacknowledged (the broker sends it
     * again next session) rather than stopping the arrivals behind it.
     */
    private void takeArrival(Mqtt5Publish publish) {
        try {
            onPublish(publish);
        } catch (RuntimeException e) {
            LOG.error("Link {}: a document could not be taken; it stays unacknowledged at the broker", settings.gatewayId(), e);
        }
    }

    private void onPublish(Mqtt5Publish publish) {
        if (closing) {
            return; // not acknowledged: the broker delivers it again next session
        }
        if (CancelRequest.isCancel(publish.getPayloadAsBytes())) {
            // before the hold: a cancel is for work that waits, and it frees the engine
            cancel(publish, DocumentIdentity.of(publish));
            return;
        }
        if (!held.isEmpty() || mustHold()) {
            DocumentIdentity identity = DocumentIdentity.of(publish);
            if (ledger.standing(identity.key()) != Ledger.Standing.NEW) {
                duplicate(publish, identity);
            } else {
                held.add(publish);
                heldGauge = held.size();
            }
            return;
        }
        take(publish);
    }

    private boolean mustHold() {
        return sectionsInFlight >= settings.maxSectionsInFlight() || !rejected.isEmpty() || ledger.full()
                || ledger.failure().isPresent();
    }

    private void take(Mqtt5Publish publish) {
        DocumentIdentity identity = DocumentIdentity.of(publish);
        if (ledger.standing(identity.key()) != Ledger.Standing.NEW) {
            duplicate(publish, identity);
            return;
        }
        byte[] payload = publish.getPayloadAsBytes();
        Origin origin = new Origin(identity.key(), identity.id(), identity.responseTopic().orElse(""),
                identity.correlationData(), clock.millis());
        CompletableFuture<Void> synced = new CompletableFuture<>();
        if (payload.length > settings.maxDocumentBytes()) {
            refuse(publish, origin, "$", "the document is " + payload.length + " bytes, larger than the "
                    + settings.maxDocumentBytes() + " bytes this gateway accepts (maxDocumentBytes)", synced);
            return;
        }
        List<Section> sections;
        try {
            sections = SectionCodec.readSections(payload);
        } catch (WireFormatException e) {
            refuse(publish, origin, e.location(), e.problem(), synced);
            return;
        }
        Document document = ledger.prepare(origin, sections.size(), payload);
        if (!sections.isEmpty()) {
            // to the engine first and into the journal right after: the sections start sooner, and no result
            // is recorded before its document, since this thread holds the state until both are done
            submit(document, sections, allIndexes(sections.size()));
        }
        ledger.accept(document, synced);
        counters.accepted.incrementAndGet();
        acknowledgeWhenSynced(publish, identity.key(), synced);
        if (sections.isEmpty()) {
            resultReady(document, synced);
        }
    }

    /**
     * A cancel request ({@code {"cancel": id}}, carrying the id of the document it cancels): the
     * document's sections that the engine has not started are cancelled and end {@code cancelled} in
     * its result document; started ones run on. A document that has not arrived yet (or waits unacknowledged
     * at the broker behind the back-pressure) is taken as refused, "cancelled before it arrived", so
     * that it never runs when it does arrive (a duplicate then). A finished one is left as it is. The
     * request is acknowledged once what it changed is synced; a redelivered request changes nothing more.
     */
    private void cancel(Mqtt5Publish publish, DocumentIdentity identity) {
        counters.cancelsReceived.incrementAndGet();
        String key = identity.key();
        CompletableFuture<Void> synced = new CompletableFuture<>();
        switch (ledger.standing(key)) {
            case PENDING -> {
                Document document = ledger.pendingDocument(key).orElseThrow();
                int cancelled = 0;
                Map<Integer, Section> ofDocument = running.get(key);
                if (ofDocument != null) {
                    for (Section section : List.copyOf(ofDocument.values())) {
                        // true only while the engine has not started it; its future's callback journals the result
                        if (section.state() == dev.pathpoint.api.section.SectionState.PENDING && section.cancel()) {
                            cancelled++;
                        }
                    }
                }
                for (java.util.Iterator<Retry> it = rejected.iterator(); it.hasNext(); ) {
                    Retry retry = it.next();
                    if (retry.document == document) {
                        it.remove();
                        cancelled++;
                        record(document, retry.index, new SectionResult(retry.section.orders().stream()
                                .<OrderOutcome>map(OrderOutcome.Cancelled::new).toList()));
                    }
                }
                counters.sectionsCancelled.addAndGet(cancelled);
                int count = cancelled;
                LOG.debug("Link {}: cancel of {}: {} sections cancelled", settings.gatewayId(), identity.id(), count);
                // after the callbacks of the cancelled sections, which the link thread runs next: their results first
                later(() -> {
                    ledger.cancelled(key, count, synced);
                    acknowledgeCancel(publish, synced);
                    releaseHeld();
                    refreshGauges();
                });
            }
            case FINISHED -> {
                publish.acknowledge();
                counters.acknowledged.incrementAndGet();
            }
            case NEW -> {
                Origin origin = new Origin(key, identity.id(), identity.responseTopic().orElse(""),
                        identity.correlationData(), clock.millis());
                counters.cancelledBeforeArrival.incrementAndGet();
                Document refused = ledger.refuse(origin, "$", "cancelled before it reached the gateway", synced);
                acknowledgeCancel(publish, synced);
                resultReady(refused, synced);
                refreshGauges();
            }
        }
    }

    private void acknowledgeCancel(Mqtt5Publish publish, CompletableFuture<Void> synced) {
        synced.whenComplete((ok, failure) -> {
            if (failure == null) {
                publish.acknowledge();
                counters.acknowledged.incrementAndGet();
            } else {
                LOG.error("Link {}: the journal failed, a cancel request stays unacknowledged at the broker: {}",
                        settings.gatewayId(), failure.toString());
            }
        });
    }

    private void refuse(Mqtt5Publish publish, Origin origin, String location, String problem,
            CompletableFuture<Void> synced) {
        counters.refused.incrementAndGet();
        LOG.info("Link {}: document {} not run: {}: {}", settings.gatewayId(), origin.id(), location, problem);
        Document document = ledger.refuse(origin, location, problem, synced);
        acknowledgeWhenSynced(publish, origin.key(), synced);
        resultReady(document, synced);
    }

    private void acknowledgeWhenSynced(Mqtt5Publish publish, String key, CompletableFuture<Void> synced) {
        unsynced.put(key, synced);
        synced.whenComplete((ok, failure) -> {
            if (failure == null) {
                publish.acknowledge();
                counters.acknowledged.incrementAndGet();
            } else {
                LOG.error("Link {}: the journal failed, document {} stays unacknowledged at the broker: {}",
                        settings.gatewayId(), key, failure.toString());
            }
            later(() -> unsynced.remove(key, synced));
        });
    }

    private void duplicate(Mqtt5Publish publish, DocumentIdentity identity) {
        counters.duplicates.incrementAndGet();
        LOG.debug("Link {}: document {} was taken before; dropped", settings.gatewayId(), identity.id());
        CompletableFuture<Void> original = unsynced.get(identity.key());
        if (original == null) {
            publish.acknowledge();
            counters.acknowledged.incrementAndGet();
        } else {
            original.thenRun(() -> {
                publish.acknowledge();
                counters.acknowledged.incrementAndGet();
            });
        }
    }

    private static int[] allIndexes(int count) {
        int[] indexes = new int[count];
        for (int i = 0; i < count; i++) {
            indexes[i] = i;
        }
        return indexes;
    }

    private void submit(Document document, List<Section> sections, int[] indexes) {
        List<Section> batch = new ArrayList<>(indexes.length);
        for (int index : indexes) {
            Section section = sections.get(index);
            batch.add(section);
            sectionsInFlight++;
            running.computeIfAbsent(document.origin().key(), key -> new HashMap<>()).put(index, section);
            section.future().whenComplete((result, failure) -> soon(() -> sectionFinished(document, index,
                    section, result, failure)));
        }
        sectionsInFlightGauge = sectionsInFlight;
        executor.execute(batch);
    }

    private void sectionFinished(Document document, int index, Section section, SectionResult result, Throwable failure) {
        sectionsInFlight--;
        sectionsInFlightGauge = sectionsInFlight;
        Map<Integer, Section> ofDocument = running.get(document.origin().key());
        if (ofDocument != null && ofDocument.get(index) == section) {
            ofDocument.remove(index);
            if (ofDocument.isEmpty()) {
                running.remove(document.origin().key());
            }
        }
        if (failure instanceof CancellationException || (failure != null && failure.getCause() instanceof CancellationException)) {
            result = new SectionResult(section.orders().stream().<OrderOutcome>map(OrderOutcome.Cancelled::new).toList());
        } else if (failure != null) {
            LOG.error("Link {}: section {} of {} completed with {}; it runs again at the next start",
                    settings.gatewayId(), index, document.origin().id(), failure.toString());
            return;
        }
        if (rejectedWhole(result)) {
            counters.requeued.incrementAndGet();
            rejected.add(new Retry(document, index, section));
            scheduleRetry();
            return;
        }
        if (stoppedByShutdown(result)) {
            // the executor is going away: not finished, so it runs again when the link next starts
            LOG.debug("Link {}: section {} of {} ended by the executor's shutdown; left in the journal",
                    settings.gatewayId(), index, document.origin().id());
            checkDrained();
            return;
        }
        counters.sectionsRun.incrementAndGet();
        record(document, index, result);
    }

    /** Journals a section's result; the document's last one makes its result document ready. */
    private void record(Document document, int index, SectionResult result) {
        boolean last = remainingAfter(document) == 1;
        CompletableFuture<Void> recorded = last ? new CompletableFuture<>() : null;
        ledger.sectionDone(document, index, SectionCodec.writeResult(result), recorded);
        if (last) {
            resultReady(document, recorded);
        }
        if (++sinceCompaction >= COMPACT_EVERY) {
            sinceCompaction = 0;
            later(() -> ledger.compact()); // deletes files: not on the thread that delivers results
        }
        releaseHeldOnLinkThread();
        refreshGauges();
        checkDrained();
    }

    private static int remainingAfter(Document document) {
        int remaining = 0;
        for (int i = 0; i < document.sectionCount(); i++) {
            if (document.result(i).isEmpty()) {
                remaining++;
            }
        }
        return remaining;
    }

    /** The executor's queue was full: every order was rejected and none ran. */
    private static boolean rejectedWhole(SectionResult result) {
        return !result.outcomes().isEmpty() && result.outcomes().stream().allMatch(outcome ->
                outcome instanceof OrderOutcome.Failed failed && failed.reason() == OperationFailedReason.REJECTED);
    }

    private static boolean stoppedByShutdown(SectionResult result) {
        return result.outcomes().stream().anyMatch(outcome ->
                outcome instanceof OrderOutcome.Failed failed && failed.reason() == OperationFailedReason.SHUTDOWN);
    }

    private void scheduleRetry() {
        if (retryScheduled || closing) {
            return;
        }
        retryScheduled = true;
        rejectedBackoffMillis = rejectedBackoffMillis == 0 ? 10 : Math.min(1000, rejectedBackoffMillis * 2);
        loop.schedule(() -> withState(this::retryRejected), rejectedBackoffMillis, TimeUnit.MILLISECONDS);
    }

    private void retryRejected() {
        retryScheduled = false;
        if (closing || rejected.isEmpty()) {
            return;
        }
        // fresh sections of the same orders, in the order they were first handed over
        LinkedHashMap<Document, List<Retry>> byDocument = new LinkedHashMap<>();
        while (!rejected.isEmpty()) {
            Retry retry = rejected.poll();
            byDocument.computeIfAbsent(retry.document, d -> new ArrayList<>()).add(retry);
        }
        for (Map.Entry<Document, List<Retry>> entry : byDocument.entrySet()) {
            int[] indexes = new int[entry.getValue().size()];
            Map<Integer, Section> byIndex = new HashMap<>();
            int i = 0;
            for (Retry retry : entry.getValue()) {
                byIndex.put(retry.index, new Section(retry.section.orders(), retry.section.disposition()));
                indexes[i++] = retry.index;
            }
            List<Section> all = new ArrayList<>();
            for (int index = 0; index < entry.getKey().sectionCount(); index++) {
                all.add(byIndex.get(index));
            }
            submit(entry.getKey(), all, indexes);
        }
        // whatever is rejected again comes back through sectionFinished and schedules the next try
    }

    /**
     * Takes held documents on the link thread, not on this one (the engine's results thread, say):
     * taking one parses it, which other sections' results must not wait for.
     */
    private void releaseHeldOnLinkThread() {
        if (held.isEmpty()) {
            if (rejected.isEmpty()) {
                rejectedBackoffMillis = 0;
            }
            return;
        }
        if (!releaseScheduled) {
            releaseScheduled = true;
            later(() -> {
                releaseScheduled = false;
                releaseHeld();
            });
        }
    }

    private void releaseHeld() {
        if (rejected.isEmpty()) {
            rejectedBackoffMillis = 0;
        }
        while (!held.isEmpty() && !mustHold() && !closing) {
            take(held.poll());
        }
        heldGauge = held.size();
    }

    /** After a start: runs what the journal holds unfinished and publishes results not yet acknowledged. */
    private void resume() {
        int rerun = 0;
        int republish = 0;
        for (Document document : ledger.pending()) {
            if (document.complete()) {
                readyToPublish.add(document);
                republish++;
                continue;
            }
            List<Section> sections;
            try {
                sections = SectionCodec.readSections(document.document().orElseThrow());
            } catch (WireFormatException | RuntimeException e) {
                LOG.error("Link {}: journaled document {} cannot be read again ({}); its unfinished sections fail",
                        settings.gatewayId(), document.origin().id(), e.toString());
                for (int i = 0; i < document.sectionCount(); i++) {
                    if (document.result(i).isEmpty()) {
                        boolean last = remainingAfter(document) == 1;
                        CompletableFuture<Void> synced = last ? new CompletableFuture<>() : null;
                        ledger.sectionDone(document, i, "{\"succeeded\":false,\"orders\":[],\"error\":"
                                + "\"the journaled document could not be read again\"}", synced);
                        if (last) {
                            resultReady(document, synced);
                        }
                    }
                }
                continue;
            }
            List<Integer> unfinished = new ArrayList<>();
            for (int i = 0; i < document.sectionCount(); i++) {
                if (document.result(i).isEmpty()) {
                    unfinished.add(i);
                }
            }
            rerun += unfinished.size();
            submit(document, sections, unfinished.stream().mapToInt(Integer::intValue).toArray());
        }
        if (rerun + republish > 0) {
            LOG.info("Link {}: running {} unfinished sections again and publishing {} results from the journal",
                    settings.gatewayId(), rerun, republish);
        }
        counters.rerunAfterStart.addAndGet(rerun);
        counters.republishedAfterStart.addAndGet(republish);
    }

    // ---------------------------------------------------------------------------------------------
    // results out (the thread that completed the section, or the link thread)

    private void resultReady(Document document, CompletableFuture<Void> recorded) {
        if (recorded.isDone()) {
            // written by this thread just now (the usual case): published from here, without a hand-off
            if (!recorded.isCompletedExceptionally()) {
                readyToPublish.add(document);
                publishReady();
            }
            return;
        }
        recorded.whenComplete((ok, failure) -> {
            if (failure == null) {
                soon(() -> {
                    readyToPublish.add(document);
                    publishReady();
                });
            }
        });
    }

    private void publishReady() {
        while (!readyToPublish.isEmpty() && publishesInFlight < MAX_PUBLISHES_IN_FLIGHT && connected && !closingHard()) {
            publishResult(readyToPublish.poll());
        }
    }

    private boolean closingHard() {
        return closing && drained != null && drained.isDone();
    }

    private void publishResult(Document document) {
        Origin origin = document.origin();
        boolean direct = !origin.responseTopic().isEmpty();
        Mqtt5PublishBuilder.Complete message = Mqtt5Publish.builder()
                .topic(direct ? origin.responseTopic() : settings.topic("results"))
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(ResultDocuments.of(document, settings.gatewayId()))
                .contentType("application/json")
                .userProperties().add(DocumentIdentity.ID_PROPERTY, origin.id()).applyUserProperties();
        if (origin.correlationData().isPresent()) {
            message = message.correlationData(origin.correlationData().get());
        }
        publishesInFlight++;
        counters.resultsPublished.incrementAndGet();
        send(client, message.build()).whenComplete((result, failure) -> soon(() -> resultPublished(document, result, failure)));
    }

    private void resultPublished(Document document, Mqtt5PublishResult result, Throwable failure) {
        publishesInFlight--;
        Throwable error = failure != null ? failure : result.getError().orElse(null);
        if (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        if (error instanceof Mqtt5PubAckException refused) {
            Mqtt5PubAck ack = refused.getMqttMessage();
            counters.resultsRefusedByBroker.incrementAndGet();
            LOG.warn("Link {}: the broker refused the result of document {} ({}{}); it is dropped", settings.gatewayId(),
                    document.origin().id(), ack.getReasonCode(), ack.getReasonString().map(r -> ": " + r).orElse(""));
            ledger.published(document);
        } else if (error != null) {
            // lost with the session or the client: publish again once connected (the journal still holds it)
            LOG.debug("Link {}: result of {} not acknowledged ({}); publishing again", settings.gatewayId(),
                    document.origin().id(), error.toString());
            if (!closing) {
                readyToPublish.add(document);
                if (connected) {
                    loop.schedule(() -> withState(this::publishReady), settings.reconnectDelay().toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            }
        } else {
            counters.resultsAcknowledged.incrementAndGet();
            ledger.published(document);
        }
        publishReady();
        refreshGauges();
        checkDrained();
    }

    // ---------------------------------------------------------------------------------------------
    // messages, events and values out (any thread)

    /**
     * Publishes a message order's uuid and waits for the broker's acknowledgement.
     *
     * @throws OperationFailedException {@code TIMEOUT} if the link is not connected or the broker does
     *         not answer in time (retried by the engine), {@code ERROR} if the broker refuses it
     */
    public void publishMessage(String uuid, Duration timeout) throws OperationFailedException {
        Mqtt5AsyncClient current = client;
        if (!connected || current == null) {
            counters.messagesFailed.incrementAndGet();
            throw new OperationFailedException(OperationFailedReason.TIMEOUT, "link " + settings.gatewayId()
                    + " is not connected to " + settings.endpoint() + " (" + state + problem.map(p -> ": " + p).orElse("")
                    + "); message " + uuid + " was not published");
        }
        try {
            Mqtt5PublishResult result = send(current, Mqtt5Publish.builder().topic(settings.topic("messages"))
                    .payload(uuid.getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE).build())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (result.getError().isPresent()) {
                throw result.getError().get();
            }
            counters.messagesPublished.incrementAndGet();
        } catch (TimeoutException e) {
            counters.messagesFailed.incrementAndGet();
            throw new OperationFailedException(OperationFailedReason.TIMEOUT, "the broker did not acknowledge message "
                    + uuid + " within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException(OperationFailedReason.CANCELLED, "interrupted publishing message " + uuid);
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            counters.messagesFailed.incrementAndGet();
            if (cause instanceof Mqtt5PubAckException refused) {
                throw new OperationFailedException(OperationFailedReason.ERROR, "the broker refused message " + uuid
                        + " on " + settings.topic("messages") + ": " + refused.getMqttMessage().getReasonCode());
            }
            throw new OperationFailedException(OperationFailedReason.TIMEOUT, "message " + uuid + " was not published: "
                    + describe(cause));
        } catch (Throwable e) {
            counters.messagesFailed.incrementAndGet();
            throw new OperationFailedException(OperationFailedReason.ERROR, "message " + uuid + " was not published: " + e);
        }
    }

    /**
     * Publishes a small notification (a BAOB event, a value) without waiting; dropped when the link is
     * not connected or too much is already on its way.
     *
     * @return whether it was handed to the client
     */
    public boolean publishNotice(String leaf, byte[] payload, MqttQos qos, boolean retain) {
        Mqtt5AsyncClient current = client;
        if (!connected || current == null || counters.noticesInFlight.get() >= MAX_PUBLISHES_IN_FLIGHT) {
            return false;
        }
        send(current, new Notice(leaf, payload, qos, retain));
        return true;
    }

    /**
     * Publishes a notification that must not be missed (a BAOB event): while the link is offline the
     * newest {@value #MAX_OFFLINE_NOTICES} wait and go out on the next connect.
     *
     * @return false if it was dropped (the oldest waiting one makes room; counted by the caller)
     */
    public boolean publishOrKeep(String leaf, byte[] payload) {
        Notice notice = new Notice(leaf, payload, MqttQos.AT_LEAST_ONCE, false);
        Mqtt5AsyncClient current = client;
        if (connected && current != null && counters.noticesInFlight.get() < MAX_PUBLISHES_IN_FLIGHT) {
            send(current, notice);
            return true;
        }
        synchronized (offlineNotices) {
            boolean room = offlineNotices.size() < MAX_OFFLINE_NOTICES;
            if (!room) {
                offlineNotices.poll();
            }
            offlineNotices.add(notice);
            return room;
        }
    }

    private void flushOfflineNotices(Mqtt5AsyncClient current) {
        List<Notice> waiting;
        synchronized (offlineNotices) {
            waiting = new ArrayList<>(offlineNotices);
            offlineNotices.clear();
        }
        waiting.forEach(notice -> send(current, notice));
    }

    private void send(Mqtt5AsyncClient current, Notice notice) {
        String leaf = notice.leaf();
        byte[] payload = notice.payload();
        MqttQos qos = notice.qos();
        boolean retain = notice.retain();
        counters.noticesInFlight.incrementAndGet();
        send(current, Mqtt5Publish.builder().topic(settings.topic(leaf)).payload(payload).qos(qos).retain(retain).build())
                .whenComplete((result, failure) -> counters.noticesInFlight.decrementAndGet());
    }

    private record Notice(String leaf, byte[] payload, MqttQos qos, boolean retain) {
    }

    /** Counts a published or dropped BAOB event or value, for the report. */
    public void countNotice(String counter, boolean published) {
        (switch (counter) {
            case "baob" -> published ? counters.eventsPublished : counters.eventsDropped;
            default -> published ? counters.valuesPublished : counters.valuesDropped;
        }).incrementAndGet();
    }

    // ---------------------------------------------------------------------------------------------
    // state

    private void housekeeping() {
        if (ledger == null) {
            return;
        }
        ledger.compact();
        releaseHeld();
        refreshGauges();
        if (ledger.failure().isPresent()) {
            problem = Optional.of("the journal in " + settings.journalDirectory() + " failed: "
                    + ledger.failure().get().getMessage() + "; documents stay at the broker until the link restarts");
        }
    }

    private void refreshGauges() {
        pendingGauge = ledger.pendingCount();
        journalBytesGauge = ledger.diskBytes();
        journalSegmentsGauge = ledger.segmentCount();
        journalSyncsGauge = ledger.syncs();
        windowGauge = ledger.windowCount();
        heldGauge = held.size();
        sectionsInFlightGauge = sectionsInFlight;
    }

    /** For tests: keeps the link thread busy until {@code release} opens, as a long parse or housekeeping would. */
    void occupyLinkThreadUntil(java.util.concurrent.CountDownLatch release) {
        loop.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    public boolean isConnected() {
        return connected;
    }

    /** The link as the shell and the web API show it. */
    public ConnectionReport report() {
        ConnectionState shown = state;
        Optional<String> why = problem;
        if (ledger != null && ledger.failure().isPresent()) {
            shown = ConnectionState.MISCONFIGURED;
            why = Optional.of("the journal in " + settings.journalDirectory() + " failed: "
                    + ledger.failure().get().getMessage());
        }
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("documentsReceived", counters.received.get());
        values.put("documentsAccepted", counters.accepted.get());
        values.put("documentsRefused", counters.refused.get());
        values.put("documentsAcknowledged", counters.acknowledged.get());
        values.put("duplicatesDropped", counters.duplicates.get());
        values.put("cancelsReceived", counters.cancelsReceived.get());
        values.put("sectionsCancelled", counters.sectionsCancelled.get());
        values.put("cancelledBeforeArrival", counters.cancelledBeforeArrival.get());
        values.put("documentsHeld", (long) heldGauge);
        values.put("sectionsInFlight", (long) sectionsInFlightGauge);
        values.put("sectionsRun", counters.sectionsRun.get());
        values.put("sectionsRequeued", counters.requeued.get());
        values.put("sectionsRerunAfterStart", counters.rerunAfterStart.get());
        values.put("resultsPublished", counters.resultsPublished.get());
        values.put("resultsAcknowledged", counters.resultsAcknowledged.get());
        values.put("resultsRefusedByBroker", counters.resultsRefusedByBroker.get());
        values.put("resultsRepublishedAfterStart", counters.republishedAfterStart.get());
        values.put("documentsPending", (long) pendingGauge);
        values.put("journalBytes", journalBytesGauge);
        values.put("journalSegments", (long) journalSegmentsGauge);
        values.put("journalSyncs", journalSyncsGauge);
        values.put("dedupeWindow", (long) windowGauge);
        values.put("messagesPublished", counters.messagesPublished.get());
        values.put("messagesFailed", counters.messagesFailed.get());
        values.put("baobEventsPublished", counters.eventsPublished.get());
        values.put("baobEventsDropped", counters.eventsDropped.get());
        values.put("valuesPublished", counters.valuesPublished.get());
        values.put("valuesDropped", counters.valuesDropped.get());
        values.put("connects", counters.connects.get());
        values.put("connectionLosses", counters.connectionLosses.get());
        return new ConnectionReport(settings.gatewayId(), KIND, settings.endpoint(), configuration, shown, since,
                nextAttempt, why, values);
    }

    /**
     * Stops cleanly: takes no new document, waits briefly for sections in flight and results on their
     * way, publishes {@code offline} to the status topic and disconnects. What is unfinished stays in
     * the journal for the next start.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            later(() -> {
                closing = true;
                drained = done;
                checkDrained();
            });
            done.get(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException | java.util.concurrent.RejectedExecutionException e) {
            LOG.info("Link {}: stopping with work unfinished; it stays in the journal", settings.gatewayId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Mqtt5AsyncClient current = client;
        generation.incrementAndGet(); // callbacks of this client are ignored from now on
        if (current != null) {
            try {
                if (connected) {
                    send(current, status(settings, OFFLINE)).get(1, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                LOG.debug("Link {}: offline status not published: {}", settings.gatewayId(), e.toString());
            }
            try {
                current.disconnect().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("Link {}: disconnect: {}", settings.gatewayId(), e.toString());
            }
        }
        connected = false;
        setState(ConnectionState.IDLE, Optional.empty(), Optional.empty());
        try {
            loop.submit(() -> withState(() -> {
                if (ledger != null) {
                    ledger.close();
                }
            })).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Link {}: closing the journal: {}", settings.gatewayId(), e.toString());
        }
        loop.shutdownNow();
        publisher.shutdownNow(); // interrupts a publish waiting in the client
        LOG.info("Link {} to {} stopped", settings.gatewayId(), settings.endpoint());
    }

    private void checkDrained() {
        if (drained != null && !drained.isDone() && sectionsInFlight == 0 && publishesInFlight == 0) {
            drained.complete(null);
        }
    }

    /** A section the executor rejected, to hand over again. */
    private record Retry(Document document, int index, Section section) {
    }

    /** What the link counted; read from any thread. */
    private static final class Counters {
        final AtomicLong received = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong cancelsReceived = new AtomicLong();
        final AtomicLong sectionsCancelled = new AtomicLong();
        final AtomicLong cancelledBeforeArrival = new AtomicLong();
        final AtomicLong sectionsRun = new AtomicLong();
        final AtomicLong requeued = new AtomicLong();
        final AtomicLong rerunAfterStart = new AtomicLong();
        final AtomicLong republishedAfterStart = new AtomicLong();
        final AtomicLong resultsPublished = new AtomicLong();
        final AtomicLong resultsAcknowledged = new AtomicLong();
        final AtomicLong resultsRefusedByBroker = new AtomicLong();
        final AtomicLong messagesPublished = new AtomicLong();
        final AtomicLong messagesFailed = new AtomicLong();
        final AtomicLong eventsPublished = new AtomicLong();
        final AtomicLong eventsDropped = new AtomicLong();
        final AtomicLong valuesPublished = new AtomicLong();
        final AtomicLong valuesDropped = new AtomicLong();
        final AtomicLong connects = new AtomicLong();
        final AtomicLong connectionLosses = new AtomicLong();
        final AtomicInteger noticesInFlight = new AtomicInteger();
    }
}
