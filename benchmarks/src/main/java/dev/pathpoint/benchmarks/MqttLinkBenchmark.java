package dev.pathpoint.benchmarks;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.mqtt.internal.LinkConfigs;
import dev.pathpoint.mqtt.internal.link.Link;
import dev.pathpoint.mqtt.internal.link.LinkSettings;
import dev.pathpoint.mqtt.testing.Mosquitto;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Comparison 6: a one-read section sent by a central client through Debian's mosquitto to the
 * gateway's MQTT link (journal on, as shipped: a document synced before its acknowledgement, a result
 * written before it goes out; and with {@code journalResultsAfterSync}, a result synced too) and its result
 * back, against a bare MQTT 5 request/response round trip through the same broker (a responder that
 * answers at once: the limit), and against a direct {@code execute} on the same engine and in-memory
 * driver. Latency: sample time (median, p99), one request at a time. Throughput: {@value #BATCH}
 * requests sent without waiting, then all answers awaited; one operation = one section.
 * Every request has its own correlation data (its id), QoS 1 both ways. The round trips run in
 * {@value #LATENCY_FORKS} forks: on a small virtual machine their medians drift by a third between
 * JVMs and iterations (thread wake-ups cost what the vCPUs' idle states make them cost), more than
 * the difference measured.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class MqttLinkBenchmark {
    static final int BATCH = 2_000;
    static final int LATENCY_FORKS = 3;
    /** Floods reach steady state later than single round trips: the link's rate still rose through a 6 s warm-up. */
    static final int THROUGHPUT_WARMUPS = 5;
    private static final String GATEWAY = "bench";
    /** The same link with journalResultsAfterSync: a result waits for its sync, not only its write. */
    private static final String SYNCED_GATEWAY = "bench-synced";
    private static final String INBOX = "bench/inbox";
    private static final String ECHO = "bench/echo";
    private static final byte[] DOCUMENT = "{\"orders\":[{\"type\":\"read\",\"path\":\"W1r0\",\"advise\":0}]}"
            .getBytes(StandardCharsets.UTF_8);

    private Mosquitto broker;
    private Fixtures.RunningEngine engine;
    private Link link;
    private Link syncedLink;
    private Mqtt5AsyncClient central;
    private Mqtt5AsyncClient responder;
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final AtomicReference<CountDownLatch> batch = new AtomicReference<>();
    private final AtomicLong ids = new AtomicLong();
    private Path journal;
    private Path syncedJournal;

    @Setup
    public void start() throws Exception {
        broker = Mosquitto.start(new Mosquitto.Options().maxInflight(400));
        engine = new Fixtures.RunningEngine("bench-mqtt", Fixtures.defaultSettings()).add(new InMemoryDriver(), "W1r[0-9]+", "memory");
        journal = Files.createTempDirectory("pathpoint-bench-journal");
        link = new Link(LinkSettings.from(LinkConfigs.of(Map.of("gatewayId", GATEWAY, "host", "127.0.0.1",
                "port", broker.port(), "journalDirectory", journal.toString())), journal),
                "bench", engine.engine, Clock.systemUTC());
        link.start();
        syncedJournal = Files.createTempDirectory("pathpoint-bench-journal-synced");
        syncedLink = new Link(LinkSettings.from(LinkConfigs.of(Map.of("gatewayId", SYNCED_GATEWAY, "host", "127.0.0.1",
                "port", broker.port(), "journalDirectory", syncedJournal.toString(), "journalResultsAfterSync", true)),
                syncedJournal), "bench-synced", engine.engine, Clock.systemUTC());
        syncedLink.start();
        central = client("bench-central");
        central.publishes(MqttGlobalPublishFilter.ALL, publish -> answered(publish));
        central.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
        central.subscribeWith().topicFilter(INBOX).qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
        responder = client("bench-responder");
        responder.publishes(MqttGlobalPublishFilter.ALL, request -> responder.publishWith()
                .topic(request.getResponseTopic().orElseThrow()).correlationData(request.getCorrelationData().orElseThrow())
                .payload("{}".getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE).send());
        responder.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
        responder.subscribeWith().topicFilter(ECHO).qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!link.isConnected() || !syncedLink.isConnected()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the links did not connect: " + link.report() + ", " + syncedLink.report());
            }
            Thread.onSpinWait();
        }
    }

    private Mqtt5AsyncClient client(String name) {
        return MqttClient.builder().useMqttVersion5().identifier(name + "-" + UUID.randomUUID())
                .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
    }

    private void answered(Mqtt5Publish publish) {
        String id = StandardCharsets.UTF_8.decode(publish.getCorrelationData().orElse(ByteBuffer.allocate(0))).toString();
        CompletableFuture<Void> future = waiting.remove(id);
        if (future != null) {
            future.complete(null);
        }
        CountDownLatch latch = batch.get();
        if (latch != null) {
            latch.countDown();
        }
    }

    private CompletableFuture<Void> request(String topic, boolean awaitAnswer) {
        String id = Long.toString(ids.incrementAndGet());
        CompletableFuture<Void> answer = null;
        if (awaitAnswer) {
            answer = new CompletableFuture<>();
            waiting.put(id, answer);
        }
        central.publishWith().topic(topic).responseTopic(INBOX).correlationData(id.getBytes(StandardCharsets.UTF_8))
                .payload(topic.equals(ECHO) ? "{}".getBytes(StandardCharsets.UTF_8) : DOCUMENT)
                .qos(MqttQos.AT_LEAST_ONCE).send();
        return answer;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Fork(LATENCY_FORKS)
    public void linkRoundTrip() throws Exception {
        request("pathpoint/" + GATEWAY + "/sections", true).get(30, TimeUnit.SECONDS);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Fork(LATENCY_FORKS)
    public void linkRoundTripResultsAfterSync() throws Exception {
        request("pathpoint/" + SYNCED_GATEWAY + "/sections", true).get(30, TimeUnit.SECONDS);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Fork(LATENCY_FORKS)
    public void bareRoundTrip() throws Exception {
        request(ECHO, true).get(30, TimeUnit.SECONDS);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object directExecute() throws Exception {
        Section section = Section.of(new ReadOrder("W1r0", AdviseLevel.ADVISE));
        engine.engine.execute(section);
        return section.future().get(30, TimeUnit.SECONDS);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    @Warmup(iterations = THROUGHPUT_WARMUPS, time = 3)
    public void linkThroughput() throws Exception {
        flood("pathpoint/" + GATEWAY + "/sections");
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    @Warmup(iterations = THROUGHPUT_WARMUPS, time = 3)
    public void bareThroughput() throws Exception {
        flood(ECHO);
    }

    private void flood(String topic) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(BATCH);
        batch.set(latch);
        for (int i = 0; i < BATCH; i++) {
            request(topic, false);
        }
        if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(latch.getCount() + " of " + BATCH + " not answered: " + link.report());
        }
        batch.set(null);
    }

    @TearDown
    public void stop() throws Exception {
        central.disconnect().get(5, TimeUnit.SECONDS);
        responder.disconnect().get(5, TimeUnit.SECONDS);
        link.close();
        syncedLink.close();
        engine.close();
        broker.close();
        for (Path directory : new Path[] {journal, syncedJournal}) {
            try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
