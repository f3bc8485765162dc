package dev.pathpoint.mqtt.internal.central;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pathpoint.api.executor.ExecutorStatistics;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.remote.GatewayPresence;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.section.SectionState;
import dev.pathpoint.api.wire.SectionCodec;
import dev.pathpoint.api.wire.WireFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The correlation between the sections a central system executes on remote gateways and the result
 * documents the gateways publish back.
 *
 * <p>Each section travels alone, as a document with its own id ({@code <client id>-<run>-<n>}), so
 * that its future completes as soon as its result is back. A section waits here (still
 * {@link SectionState#PENDING}, so {@link Section#cancel()} cancels it) while its gateway is not
 * online or has {@code maxSectionsSentPerGateway} sections unanswered; it is marked as executing when
 * it is handed to the broker. A result completes the section whose id it carries, once: a repeat
 * (QoS 1 delivers at least once; a gateway republishes from its journal after a restart) finds no
 * section any more and is counted. Out of order results are matched by id like any other.
 *
 * <p>Time limits ({@link #sweep}, called periodically): a section of a gateway that is not online
 * fails {@code TIMEOUT} once it has waited {@code offlineWait} (counted from when it was executed or
 * sent, or from when the gateway went away if that is later); a section sent to an online gateway
 * fails {@code TIMEOUT} after {@code resultTimeout} without a result. A sent section that times out
 * is cancelled at the gateway too, as far as it has not started there.
 *
 * <p>Thread-safe: every method takes this object's lock briefly; futures complete on
 * {@code completions}, never under the lock nor on the caller's thread.
 */
public final class RemoteSections {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Ids of recently answered sections, to tell a repeated result from one nobody asked for. */
    private static final int RECENT_IDS = 100_000;

    /** How the sections reach the broker. */
    public interface Outbound {
        /**
         * Publishes a section document to {@code <prefix>/<gateway>/sections} with the id as user
         * property and correlation data. Completes when the broker has acknowledged it; exceptionally
         * with {@link RefusedByBroker} if the broker refused it (it will not reach the gateway), or
         * with anything else when the outcome is unknown (the client resends it with its session).
         */
        CompletableFuture<Void> publishSection(String gateway, String id, byte[] document);

        /** Publishes a cancel request for the document {@code id} to the gateway. */
        void publishCancel(String gateway, String id);

        /** Starts following the gateway's retained status (and keeps doing so after reconnects). */
        void watch(String gateway);
    }

    /** The broker refused a publish: it reaches nobody. */
    public static final class RefusedByBroker extends IOException {
        private static final long serialVersionUID = 1L;

        public RefusedByBroker(String message) {
            super(message);
        }
    }

    private final CentralSettings settings;
    private final Outbound outbound;
    private final Clock clock;
    private final Executor completions;
    private final String idPrefix;
    private final Map<String, Gateway> gateways = new LinkedHashMap<>();
    private final Map<String, Pending> sentById = new java.util.HashMap<>();
    private final Map<Section, Pending> bySection = new IdentityHashMap<>();
    private final LinkedHashMap<String, Boolean> recentlyAnswered = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENT_IDS;
        }
    };
    private long nextId;
    private int pendingCount;
    private boolean connected;
    private String connectionProblem = "not connected yet";
    private boolean closed;

    // counters (under the lock)
    private long sectionsSent;
    private long resultsReceived;
    private long duplicateResults;
    private long unknownResults;
    private long unreadableResults;
    private long cancelsSent;
    private long timedOut;
    private long refusedByBroker;

    /**
     * @param idPrefix the start of every document id, unique to this client and run (e.g. the client
     *        id and a random run number), so that no two sections anywhere share an id
     */
    public RemoteSections(CentralSettings settings, Outbound outbound, Clock clock, Executor completions, String idPrefix) {
        this.settings = settings;
        this.outbound = outbound;
        this.clock = clock;
        this.completions = completions;
        this.idPrefix = idPrefix;
    }

    // ---------------------------------------------------------------------------------------------
    // sections in

    /**
     * Takes sections for a gateway, in order.
     *
     * @throws IllegalArgumentException if a section has started, been joined or is queued already
     */
    public void execute(String gatewayId, List<Section> sections) {
        List<Runnable> done = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < sections.size(); i++) {
                Section section = sections.get(i);
                if (section == null) {
                    throw new IllegalArgumentException("sections[" + i + "] is null");
                }
                if (bySection.containsKey(section)) {
                    throw new IllegalArgumentException("sections[" + i + "] is queued already");
                }
                if (section.state() != SectionState.PENDING && section.state() != SectionState.CANCELLED) {
                    throw new IllegalArgumentException("sections[" + i + "] is " + section.state()
                            + ", only a PENDING section can be executed");
                }
            }
            Gateway gateway = gateway(gatewayId);
            Instant now = clock.instant();
            for (Section section : sections) {
                if (closed) {
                    done.add(failNow(section, OperationFailedReason.SHUTDOWN, "the central link " + settings.clientId()
                            + " is stopped; the section was not sent to gateway " + gatewayId));
                } else if (pendingCount >= settings.maxPendingSections()) {
                    done.add(failNow(section, OperationFailedReason.REJECTED, settings.maxPendingSections()
                            + " sections are pending already (maxPendingSections); the section was not sent to gateway "
                            + gatewayId));
                } else if (section.state() == SectionState.PENDING) {
                    Pending pending = new Pending(idPrefix + "-" + (++nextId), gateway, section, now);
                    gateway.waiting.put(pending.id, pending);
                    bySection.put(section, pending);
                    pendingCount++;
                    section.future().whenComplete((result, failure) -> {
                        if (failure instanceof CancellationException) {
                            cancelledHere(pending);
                        }
                    });
                }
            }
            pump(gateway);
        }
        done.forEach(completions::execute);
    }

    /** Completes a section that never gets queued; returns the completion to run outside the lock. */
    private static Runnable failNow(Section section, OperationFailedReason reason, String message) {
        return () -> {
            if (section.markAsBeingExecuted()) {
                section.markAsDone(allFailed(section, reason, message));
            }
        };
    }

    private synchronized void cancelledHere(Pending pending) {
        if (pending.gateway.waiting.remove(pending.id) != null) {
            bySection.remove(pending.section);
            pendingCount--;
            pending.gateway.cancelledHere++;
            pending.answerCancel(true);
        }
    }

    /** Sends what may be sent to this gateway now, in the order it was executed. */
    private void pump(Gateway gateway) {
        if (!connected || gateway.presence != GatewayPresence.ONLINE || closed) {
            return;
        }
        Iterator<Pending> waiting = gateway.waiting.values().iterator();
        while (waiting.hasNext() && gateway.sent.size() < settings.maxSectionsSentPerGateway()) {
            Pending pending = waiting.next();
            waiting.remove();
            if (!pending.section.markAsBeingExecuted()) {
                // cancelled on another thread a moment ago; its listener finds it gone
                bySection.remove(pending.section);
                pendingCount--;
                pending.answerCancel(true);
                continue;
            }
            pending.sentAt = clock.instant();
            gateway.sent.put(pending.id, pending);
            sentById.put(pending.id, pending);
            sectionsSent++;
            byte[] document = SectionCodec.writeSections(List.of(pending.section)).getBytes(StandardCharsets.UTF_8);
            outbound.publishSection(gateway.id, pending.id, document).whenComplete((ok, failure) -> {
                if (failure instanceof RefusedByBroker refused) {
                    refused(pending, refused.getMessage());
                } else if (failure != null && failure.getCause() instanceof RefusedByBroker refused) {
                    refused(pending, refused.getMessage());
                }
            });
        }
    }

    private void refused(Pending pending, String why) {
        Runnable completion;
        synchronized (this) {
            if (!removeSent(pending)) {
                return;
            }
            refusedByBroker++;
            completion = complete(pending, allFailed(pending.section, OperationFailedReason.ERROR, "the broker refused the"
                    + " section for gateway " + pending.gateway.id + ": " + why + "; it was not delivered"), false);
            pump(pending.gateway);
        }
        completions.execute(completion);
    }

    // ---------------------------------------------------------------------------------------------
    // results in

    /**
     * A result document from a gateway.
     *
     * @param correlation the message's correlation data, used when the document carries no id
     */
    public void result(byte[] payload, Optional<String> correlation) {
        JsonNode document;
        try {
            document = JSON.readTree(payload);
        } catch (IOException e) {
            document = null;
        }
        String id = document != null && document.path("id").isTextual() ? document.path("id").textValue()
                : correlation.orElse(null);
        Runnable completion;
        synchronized (this) {
            resultsReceived++;
            Pending pending = id == null ? null : sentById.get(id);
            if (pending == null) {
                if (id != null && recentlyAnswered.containsKey(id)) {
                    duplicateResults++;
                } else {
                    unknownResults++;
                }
                return;
            }
            removeSent(pending);
            SectionResult result = document == null ? null : outcome(pending, document);
            if (result == null) {
                unreadableResults++;
                result = allFailed(pending.section, OperationFailedReason.ERROR, "gateway " + pending.gateway.id
                        + " answered with a result document that cannot be read: " + abbreviate(payload));
            }
            completion = complete(pending, result, false);
            pump(pending.gateway);
        }
        completions.execute(completion);
    }

    private SectionResult outcome(Pending pending, JsonNode document) {
        Section section = pending.section;
        JsonNode error = document.get("error");
        if (error != null && error.isObject()) {
            if (pending.cancelRequested) {
                // nothing of a refused document runs: the gateway took the cancel before the section
                return new SectionResult(section.orders().stream().<OrderOutcome>map(OrderOutcome.Cancelled::new).toList());
            }
            return allFailed(section, OperationFailedReason.INVALID, "gateway " + pending.gateway.id
                    + " did not run the section: " + error.path("location").asText("$") + ": "
                    + error.path("problem").asText("(no reason given)"));
        }
        JsonNode sections = document.get("sections");
        if (sections == null || !sections.isArray() || sections.size() != 1) {
            return null;
        }
        try {
            return SectionCodec.readResult(sections.get(0).toString(), section.orders());
        } catch (WireFormatException e) {
            return allFailed(section, OperationFailedReason.ERROR, "gateway " + pending.gateway.id + " answered with a"
                    + " result that does not fit the section (" + e.getMessage() + ")");
        }
    }

    private static String abbreviate(byte[] payload) {
        String text = new String(payload, 0, Math.min(payload.length, 200), StandardCharsets.UTF_8);
        return payload.length > 200 ? text + "..." : text;
    }

    private boolean removeSent(Pending pending) {
        if (sentById.remove(pending.id) == null) {
            return false;
        }
        pending.gateway.sent.remove(pending.id);
        bySection.remove(pending.section);
        pendingCount--;
        recentlyAnswered.put(pending.id, Boolean.TRUE);
        return true;
    }

    /** Counts the outcome and returns the completion, to run outside the lock. */
    private Runnable complete(Pending pending, SectionResult result, boolean timedOutHere) {
        Gateway gateway = pending.gateway;
        Duration latency = Duration.between(pending.executedAt, clock.instant());
        gateway.completed++;
        gateway.latencyNanos += latency.toNanos();
        gateway.maxLatencyNanos = Math.max(gateway.maxLatencyNanos, latency.toNanos());
        for (OrderOutcome outcome : result.outcomes()) {
            gateway.ordersCompleted++;
            if (outcome instanceof OrderOutcome.Failed failed) {
                gateway.failures.merge(failed.reason(), 1L, Long::sum);
            }
        }
        if (timedOutHere) {
            timedOut++;
        }
        boolean cancelled = !result.outcomes().isEmpty()
                && result.outcomes().stream().allMatch(outcome -> outcome instanceof OrderOutcome.Cancelled);
        return () -> {
            pending.section.markAsDone(result);
            pending.answerCancel(cancelled && pending.cancelRequested);
        };
    }

    // ---------------------------------------------------------------------------------------------
    // gateways and the connection

    private Gateway gateway(String id) {
        Gateway gateway = gateways.get(id);
        if (gateway == null) {
            gateway = new Gateway(id, clock.instant());
            gateways.put(id, gateway);
            outbound.watch(id);
        }
        return gateway;
    }

    /** Follows a gateway's status from now on, before any section is executed on it. */
    public synchronized void watch(String gatewayId) {
        gateway(gatewayId);
    }

    /** A retained status message of a gateway: {@code online}, {@code offline}, or empty (cleared). */
    public synchronized void presence(String gatewayId, String status) {
        Gateway gateway = gateways.get(gatewayId);
        if (gateway == null) {
            return; // not followed (another central's interest)
        }
        GatewayPresence next = switch (status) {
            case "online" -> GatewayPresence.ONLINE;
            case "offline" -> GatewayPresence.OFFLINE;
            default -> GatewayPresence.UNKNOWN;
        };
        moveTo(gateway, next);
        pump(gateway);
    }

    private void moveTo(Gateway gateway, GatewayPresence next) {
        if (next != GatewayPresence.ONLINE && gateway.presence == GatewayPresence.ONLINE) {
            gateway.unavailableSince = clock.instant();
        }
        if (next == GatewayPresence.ONLINE) {
            gateway.unavailableSince = null;
        } else if (gateway.unavailableSince == null) {
            gateway.unavailableSince = clock.instant();
        }
        gateway.presence = next;
    }

    /** This client connected to the broker (its status subscriptions will tell who is online). */
    public synchronized void connected() {
        connected = true;
        connectionProblem = null;
        gateways.values().forEach(this::pump);
    }

    /** This client lost its connection: no gateway is known online until the broker says so again. */
    public synchronized void disconnected(String why) {
        connected = false;
        connectionProblem = why;
        for (Gateway gateway : gateways.values()) {
            moveTo(gateway, GatewayPresence.UNKNOWN);
        }
    }

    public synchronized GatewayPresence presence(String gatewayId) {
        Gateway gateway = gateways.get(gatewayId);
        return gateway == null ? GatewayPresence.UNKNOWN : gateway.presence;
    }

    // ---------------------------------------------------------------------------------------------
    // cancel and time limits

    /** See {@link dev.pathpoint.api.remote.RemoteExecutor#cancel}. */
    public CompletableFuture<Boolean> cancel(Section section) {
        synchronized (this) {
            Pending pending = bySection.get(section);
            if (pending != null && pending.sentAt != null) {
                if (!pending.cancelRequested) {
                    pending.cancelRequested = true;
                    pending.cancelAnswer = new CompletableFuture<>();
                    cancelsSent++;
                    outbound.publishCancel(pending.gateway.id, pending.id);
                }
                return pending.cancelAnswer.copy();
            }
        }
        // waiting here, or not ours, or finished: a local cancel says which (outside the lock: it
        // completes the future, whose listener takes the section out)
        return CompletableFuture.completedFuture(section.cancel());
    }

    /** Fails what has waited too long; returns how many sections it failed. */
    public int sweep() {
        List<Runnable> completions = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (Gateway gateway : gateways.values()) {
                boolean available = connected && gateway.presence == GatewayPresence.ONLINE;
                if (!available) {
                    Instant since = gateway.unavailableSince == null ? now : gateway.unavailableSince;
                    expireUnavailable(gateway, gateway.waiting, since, now, false, completions);
                    expireUnavailable(gateway, gateway.sent, since, now, true, completions);
                } else {
                    for (Iterator<Pending> it = gateway.sent.values().iterator(); it.hasNext(); ) {
                        Pending pending = it.next();
                        if (now.isBefore(pending.sentAt.plus(settings.resultTimeout()))) {
                            break; // sent in order: the rest are younger
                        }
                        it.remove();
                        completions.add(expire(pending, "gateway " + gateway.id + " sent no result within "
                                + settings.resultTimeout().toSeconds() + " s (resultTimeoutSeconds); the section may still"
                                + " run there (a cancel was sent)", true));
                    }
                }
            }
        }
        completions.forEach(this.completions::execute);
        return completions.size();
    }

    private void expireUnavailable(Gateway gateway, Map<String, Pending> sections, Instant since, Instant now,
            boolean sent, List<Runnable> completions) {
        for (Iterator<Pending> it = sections.values().iterator(); it.hasNext(); ) {
            Pending pending = it.next();
            Instant start = sent ? pending.sentAt : pending.executedAt;
            Instant from = start.isAfter(since) ? start : since;
            if (now.isBefore(from.plus(settings.offlineWait()))) {
                break; // in order: the rest waited less
            }
            if (!sent && !pending.section.markAsBeingExecuted()) {
                continue; // cancelled a moment ago: its listener takes it out
            }
            it.remove();
            String reason = unavailableReason(gateway, since, now) + "; the section waited "
                    + settings.offlineWait().toSeconds() + " s (offlineWaitSeconds) and "
                    + (sent ? "had been sent: it may still run there when the gateway is back (a cancel was sent)"
                            : "was not sent");
            completions.add(expire(pending, reason, sent));
        }
    }

    private String unavailableReason(Gateway gateway, Instant since, Instant now) {
        long seconds = Duration.between(since, now).toSeconds();
        if (!connected) {
            return "gateway " + gateway.id + " cannot be reached: this central system (" + settings.clientId()
                    + ") has not been connected to the broker " + settings.endpoint() + " for " + seconds + " s"
                    + (connectionProblem == null ? "" : " (" + connectionProblem + ")");
        }
        String topic = settings.topic(gateway.id, "status");
        return switch (gateway.presence) {
            case OFFLINE -> "gateway " + gateway.id + " has been offline for " + seconds + " s (" + topic + " says offline)";
            default -> "gateway " + gateway.id + " has not been online for " + seconds + " s (no status on " + topic
                    + ": has it ever connected to " + settings.endpoint() + "?)";
        };
    }

    /** Times a section out; the caller has taken it out of its gateway's map. */
    private Runnable expire(Pending pending, String reason, boolean sent) {
        if (sent) {
            sentById.remove(pending.id);
            recentlyAnswered.put(pending.id, Boolean.TRUE);
            cancelsSent++;
            outbound.publishCancel(pending.gateway.id, pending.id);
        }
        bySection.remove(pending.section);
        pendingCount--;
        return complete(pending, allFailed(pending.section, OperationFailedReason.TIMEOUT, reason), true);
    }

    /** Fails every section: the central link is stopping. */
    public void close() {
        List<Runnable> completions = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Gateway gateway : gateways.values()) {
                for (Pending pending : gateway.waiting.values()) {
                    if (pending.section.markAsBeingExecuted()) {
                        completions.add(complete(pending, allFailed(pending.section, OperationFailedReason.SHUTDOWN,
                                "the central link " + settings.clientId() + " stopped; the section was not sent to gateway "
                                        + gateway.id), false));
                    }
                }
                for (Pending pending : gateway.sent.values()) {
                    completions.add(complete(pending, allFailed(pending.section, OperationFailedReason.SHUTDOWN,
                            "the central link " + settings.clientId() + " stopped before gateway " + gateway.id
                                    + " answered; the section may still run there"), false));
                }
                gateway.waiting.clear();
                gateway.sent.clear();
            }
            sentById.clear();
            bySection.clear();
            pendingCount = 0;
        }
        completions.forEach(this.completions::execute);
    }

    static SectionResult allFailed(Section section, OperationFailedReason reason, String message) {
        Function<Order, OrderOutcome> failed = order -> new OrderOutcome.Failed(order, reason, message);
        return new SectionResult(section.orders().stream().map(failed).toList());
    }

    // ---------------------------------------------------------------------------------------------
    // observation

    /** The statistics of one gateway's executor. */
    public synchronized ExecutorStatistics statistics(String gatewayId) {
        Gateway gateway = gateways.get(gatewayId);
        if (gateway == null) {
            return new ExecutorStatistics(0, 0, Map.of(), 0, 0, Map.of(), Duration.ZERO, Duration.ZERO);
        }
        return new ExecutorStatistics(gateway.waiting.size(), gateway.sent.size(), Map.of(gateway.id, gateway.sent.size()),
                gateway.ordersCompleted, 0, new EnumMap<>(gateway.failures),
                Duration.ofNanos(gateway.completed == 0 ? 0 : gateway.latencyNanos / gateway.completed),
                Duration.ofNanos(gateway.maxLatencyNanos));
    }

    /** Counters for the connection report. */
    public synchronized Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        long waiting = 0;
        long sent = 0;
        long online = 0;
        for (Gateway gateway : gateways.values()) {
            waiting += gateway.waiting.size();
            sent += gateway.sent.size();
            online += gateway.presence == GatewayPresence.ONLINE ? 1 : 0;
        }
        counters.put("gatewaysFollowed", (long) gateways.size());
        counters.put("gatewaysOnline", online);
        counters.put("sectionsWaiting", waiting);
        counters.put("sectionsAwaitingResult", sent);
        counters.put("sectionsSent", sectionsSent);
        counters.put("resultsReceived", resultsReceived);
        counters.put("resultsRepeated", duplicateResults);
        counters.put("resultsUnknown", unknownResults);
        counters.put("resultsUnreadable", unreadableResults);
        counters.put("sectionsTimedOut", timedOut);
        counters.put("sectionsRefusedByBroker", refusedByBroker);
        counters.put("cancelsSent", cancelsSent);
        return counters;
    }

    /** One gateway's sections and what is known of it. */
    private static final class Gateway {
        final String id;
        GatewayPresence presence = GatewayPresence.UNKNOWN;
        Instant unavailableSince;
        /** Executed here and not sent, in order. */
        final LinkedHashMap<String, Pending> waiting = new LinkedHashMap<>();
        /** Sent and not answered, in the order sent. */
        final LinkedHashMap<String, Pending> sent = new LinkedHashMap<>();
        long completed;
        long ordersCompleted;
        long latencyNanos;
        long maxLatencyNanos;
        long cancelledHere;
        final EnumMap<OperationFailedReason, Long> failures = new EnumMap<>(OperationFailedReason.class);

        Gateway(String id, Instant now) {
            this.id = id;
            this.unavailableSince = now;
        }
    }

    /** A section on its way to a gateway. */
    private static final class Pending {
        final String id;
        final Gateway gateway;
        final Section section;
        final Instant executedAt;
        Instant sentAt;
        boolean cancelRequested;
        CompletableFuture<Boolean> cancelAnswer;

        Pending(String id, Gateway gateway, Section section, Instant executedAt) {
            this.id = id;
            this.gateway = gateway;
            this.section = section;
            this.executedAt = executedAt;
        }

        void answerCancel(boolean cancelled) {
            if (cancelAnswer != null) {
                cancelAnswer.complete(cancelled);
            }
        }
    }
}
