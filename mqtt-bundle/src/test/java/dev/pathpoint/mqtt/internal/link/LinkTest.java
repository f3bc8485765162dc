package dev.pathpoint.mqtt.internal.link;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.mqtt.internal.LinkConfigs;
import dev.pathpoint.mqtt.testing.Central;
import dev.pathpoint.mqtt.testing.Mosquitto;
import dev.pathpoint.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A link against a real mosquitto, with a scripted executor: the topic contract, bad input, back-pressure. */
class LinkTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final String READ = "{\"orders\":[{\"type\":\"read\",\"path\":\"W1r0\",\"advise\":1}]}";
    private static Mosquitto broker;

    @TempDir
    Path journal;
    private final ScriptedExecutor executor = new ScriptedExecutor();
    private Link link;
    private Central central;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = Mosquitto.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @AfterEach
    void stop() {
        if (link != null) {
            link.close();
        }
        if (central != null) {
            central.close();
        }
        executor.shutdown();
    }

    private Link start(String gateway, Map<String, Object> extra) throws Exception {
        Map<String, Object> values = new HashMap<>(Map.of("gatewayId", gateway, "host", "127.0.0.1",
                "port", broker.port(), "journalDirectory", journal.toString()));
        values.putAll(extra);
        link = new Link(LinkSettings.from(LinkConfigs.of(values), journal), "test", executor, Clock.systemUTC());
        link.start();
        await("connected: " + link.report()).atMost(LIMIT).until(link::isConnected);
        central = new Central(broker.port(), "pathpoint", gateway);
        return link;
    }

    @Test
    void aRequestIsAnsweredOnItsResponseTopicWithItsCorrelationData() throws Exception {
        start("gw-request", Map.of());
        central.request("req-1", "[" + READ + "," + READ + "]");
        Central.Received result = central.awaitResult("req-1", LIMIT);
        assertEquals("central/inbox/gw-request", result.topic());
        assertEquals("req-1", result.correlationData());
        JsonNode json = result.json();
        assertEquals("gw-request", json.get("gateway").asText());
        assertEquals(2, json.get("sections").size(), json.toString());
        assertEquals(7, json.get("sections").get(0).get("orders").get(0).get("value").asInt());
        await().atMost(LIMIT).until(() -> link.report().counters().get("resultsAcknowledged") == 1);
        assertEquals(1, link.report().counters().get("documentsAcknowledged"));
    }

    @Test
    void withoutAResponseTopicTheResultGoesToTheResultsTopicWithTheId() throws Exception {
        start("gw-results", Map.of());
        central.send("doc-1", READ);
        Central.Received result = central.awaitResult("doc-1", LIMIT);
        assertEquals("pathpoint/gw-results/results", result.topic());
        assertEquals("doc-1", result.idProperty());
        assertTrue(result.json().get("sections").get(0).get("succeeded").asBoolean());
    }

    @Test
    void statusIsOnlineWhileConnectedAndOfflineAfterAStop() throws Exception {
        start("gw-status", Map.of());
        central.await("online", LIMIT, all -> all.stream().anyMatch(r -> r.topic().endsWith("/status") && r.payload().equals("online")));
        link.close();
        link = null;
        central.await("offline", LIMIT, all -> all.stream().anyMatch(r -> r.topic().endsWith("/status") && r.payload().equals("offline")));
    }

    @Test
    void badDocumentsGetAnErrorNamingThePlaceAndTheLinkStaysUp() throws Exception {
        start("gw-bad", Map.of("maxDocumentBytes", 4096));
        central.send("bad-json", "{\"orders\": [");
        central.send("bad-field", "{\"orders\":[{\"type\":\"read\",\"path\":\"W1r0\",\"advise\":5}]}");
        central.send("too-big", "{\"orders\":[" + ",".repeat(0) + "{\"type\":\"wait\",\"time\":0}" + " ".repeat(5000) + "]}");
        central.send("good", READ);
        assertTrue(central.awaitResult("bad-json", LIMIT).json().get("error").get("problem").asText().contains("not valid JSON"));
        JsonNode field = central.awaitResult("bad-field", LIMIT).json().get("error");
        assertEquals("$.orders[0].advise", field.get("location").asText());
        JsonNode big = central.awaitResult("too-big", LIMIT).json().get("error");
        assertEquals("$", big.get("location").asText());
        assertTrue(big.get("problem").asText().contains("larger than the 4096 bytes"), big.toString());
        assertTrue(central.awaitResult("good", LIMIT).json().get("sections").get(0).get("succeeded").asBoolean());
        assertEquals(1, executor.executed().size(), "only the good document ran");
        assertEquals(3, link.report().counters().get("documentsRefused"));
        assertTrue(link.isConnected());
    }

    @Test
    void documentsAreTakenInTheOrderTheyArriveWhetherSmallOrLarge() throws Exception {
        start("gw-order", Map.of("maxDocumentBytes", 1024 * 1024));
        // larger than what the client's thread takes itself: it, and whatever arrives behind it, wait for the link thread
        String padding = " ".repeat(Link.INLINE_DOCUMENT_BYTES);
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        link.occupyLinkThreadUntil(busy);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String path = "W1r" + i;
            sent.add(path);
            central.send("order-" + i, "{\"orders\":[{\"type\":\"read\",\"path\":\"" + path + "\",\"advise\":1}]"
                    + (i % 4 == 1 ? padding : "") + "}");
        }
        try {
            // the client's thread takes arrivals one after the other: once all are in, the first has been handed over
            await().atMost(LIMIT).until(() -> link.report().counters().get("documentsReceived") == 12);
            assertEquals(List.of("W1r0"), paths(), "behind the large document nothing runs while the link thread is busy");
        } finally {
            busy.countDown();
        }
        for (int i = 0; i < 12; i++) {
            assertTrue(central.awaitResult("order-" + i, LIMIT).json().get("sections").get(0).get("succeeded").asBoolean());
        }
        assertEquals(sent, paths(), "run in the order they were sent");
    }

    @Test
    void aDocumentThatCannotBeTakenDoesNotStopTheOnesBehindIt() throws Exception {
        start("gw-failing", Map.of("maxDocumentBytes", 1024 * 1024));
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        link.occupyLinkThreadUntil(busy);
        executor.failNext(1);
        // both wait for the link thread: the first because it is large, the second because it is behind it
        central.send("failing", "{\"orders\":[{\"type\":\"read\",\"path\":\"W1r1\",\"advise\":1}]"
                + " ".repeat(Link.INLINE_DOCUMENT_BYTES) + "}");
        central.send("behind", READ);
        await().atMost(LIMIT).until(() -> link.report().counters().get("documentsReceived") == 2);
        busy.countDown();
        assertTrue(central.awaitResult("behind", LIMIT).json().get("sections").get(0).get("succeeded").asBoolean());
        central.send("after", READ);
        assertTrue(central.awaitResult("after", LIMIT).json().get("sections").get(0).get("succeeded").asBoolean());
    }

    private List<String> paths() {
        return executor.executed().stream().map(section -> ((ReadOrder) section.orders().get(0)).pathpoint()).toList();
    }

    @Test
    void aDocumentOfMoreThan100000OrdersIsRefused() throws Exception {
        start("gw-many", Map.of("maxDocumentBytes", 8 * 1024 * 1024));
        StringBuilder document = new StringBuilder("{\"orders\":[");
        for (int i = 0; i <= 100_000; i++) {
            document.append(i == 0 ? "" : ",").append("{\"type\":\"wait\",\"time\":0}");
        }
        central.send("many", document.append("]}").toString());
        JsonNode error = central.awaitResult("many", LIMIT).json().get("error");
        assertEquals("$.orders", error.get("location").asText());
        assertTrue(error.get("problem").asText().contains("more than 100000 orders"), error.toString());
        assertTrue(executor.executed().isEmpty());
    }

    @Test
    void aDuplicateRunsOnceAndGetsNoSecondResult() throws Exception {
        start("gw-dup", Map.of());
        String write = "{\"orders\":[{\"type\":\"write\",\"path\":\"W1r5\",\"value\":3,\"advise\":1}]}";
        central.send("once", write);
        central.send("once", write);
        central.awaitResult("once", LIMIT);
        await().atMost(LIMIT).until(() -> link.report().counters().get("duplicatesDropped") == 1
                && link.report().counters().get("documentsAcknowledged") == 2);
        central.send("once", write); // after it finished: still in the window
        await().atMost(LIMIT).until(() -> link.report().counters().get("duplicatesDropped") == 2);
        central.send("marker", READ);
        central.awaitResult("marker", LIMIT);
        assertEquals(1, central.resultsFor("once").size());
        assertEquals(1, executor.writes("W1r5"));
    }

    @Test
    void beyondTheMostSectionsInFlightDocumentsWaitUnacknowledgedAtTheBroker() throws Exception {
        start("gw-pressure", Map.of("maxSectionsInFlight", 2));
        executor.hold();
        for (int i = 0; i < 5; i++) {
            central.send("p" + i, READ);
        }
        await("two handed over").atMost(LIMIT).until(() -> executor.held() == 2
                && link.report().counters().get("documentsHeld") == 3);
        assertEquals(2, link.report().counters().get("documentsAcknowledged"), "held documents stay at the broker");
        executor.release();
        for (int i = 0; i < 5; i++) {
            central.awaitResult("p" + i, LIMIT);
        }
        await().atMost(LIMIT).until(() -> link.report().counters().get("documentsAcknowledged") == 5);
        // the documents ran in the order they were sent
        assertEquals(5, executor.executed().size());
    }

    @Test
    void sectionsTheExecutorRejectsAreHandedOverAgain() throws Exception {
        start("gw-rejected", Map.of());
        executor.rejectNext(3);
        central.send("r1", READ);
        central.send("r2", READ);
        assertTrue(central.awaitResult("r1", LIMIT).json().get("sections").get(0).get("succeeded").asBoolean());
        assertTrue(central.awaitResult("r2", LIMIT).json().get("sections").get(0).get("succeeded").asBoolean());
        assertTrue(link.report().counters().get("sectionsRequeued") >= 3);
    }

    @Test
    void unfinishedSectionsRunAgainAfterARestartAndTheirResultGoesOut() throws Exception {
        start("gw-restart", Map.of());
        executor.hold();
        central.send("survivor", READ);
        await().atMost(LIMIT).until(() -> link.report().counters().get("documentsAcknowledged") == 1);
        link.close(); // the section is still held: it stays in the journal
        link = null;
        executor.release();
        int before = executor.executed().size();
        link = new Link(LinkSettings.from(LinkConfigs.of(Map.of("gatewayId", "gw-restart", "host", "127.0.0.1",
                "port", broker.port(), "journalDirectory", journal.toString())), journal), "test", executor, Clock.systemUTC());
        link.start();
        assertTrue(central.awaitResult("survivor", LIMIT).json().get("sections").get(0).get("succeeded").asBoolean());
        assertEquals(before + 1, executor.executed().size(), "ran again after the restart");
        assertEquals(1, link.report().counters().get("sectionsRerunAfterStart"));
        // a redelivery of the finished document is still a duplicate for the new link
        central.send("survivor", READ);
        await().atMost(LIMIT).until(() -> link.report().counters().get("duplicatesDropped") == 1);
    }

    @Test
    void aBrokerThatIsDownAtStartIsReachedWhenItComesUp() throws Exception {
        int port = FreePorts.pick();
        link = new Link(LinkSettings.from(LinkConfigs.of(Map.of("gatewayId", "gw-late", "host", "127.0.0.1",
                "port", port, "journalDirectory", journal.toString(), "reconnectDelayMillis", 50,
                "maxReconnectDelayMillis", 200)), journal), "test", executor, Clock.systemUTC());
        link.start();
        await("backing off").atMost(LIMIT).until(() -> link.report().state() == ConnectionState.BACKING_OFF);
        assertTrue(link.report().problem().orElse("").contains("connection refused"), link.report().toString());
        assertTrue(link.report().nextAttempt().isPresent());
        assertFalse(link.isConnected());
    }

    @Test
    void theBrokerTellsTheMessageHandlerItGotTheMessage() throws Exception {
        start("gw-messages", Map.of());
        link.publishMessage("5b0c8f0e-1111-4c8e-9e3b-0d6f1b0a8e21", Duration.ofSeconds(5));
        central.await("message", LIMIT, all -> all.stream().anyMatch(r -> r.topic().equals("pathpoint/gw-messages/messages")
                && r.payload().equals("5b0c8f0e-1111-4c8e-9e3b-0d6f1b0a8e21")));
        assertEquals(1, link.report().counters().get("messagesPublished"));
    }

    @Test
    void idlessDocumentsAreKeyedByTheirContent() throws Exception {
        start("gw-idless", Map.of());
        central.sendRaw(READ.getBytes(StandardCharsets.UTF_8));
        central.await("one result", LIMIT, all -> central.results().size() == 1);
        assertTrue(central.results().get(0).json().get("id").asText().startsWith("sha256:"));
    }

    @Test
    void aCancelForADocumentNotYetArrivedKeepsItFromRunningWhenItComes() throws Exception {
        start("gw-cancel-first", Map.of());
        central.send("doc-c", "{\"cancel\":\"doc-c\"}");
        JsonNode error = central.awaitResult("doc-c", LIMIT).json().get("error");
        assertEquals("cancelled before it reached the gateway", error.get("problem").asText());
        central.send("doc-c", READ);
        central.send("doc-d", READ);
        central.awaitResult("doc-d", LIMIT);
        assertEquals(1, executor.executed().size(), "only doc-d ran");
        assertEquals(1, central.resultsFor("doc-c").size(), "no second result for the cancelled document");
        assertEquals(1, link.report().counters().get("cancelledBeforeArrival"));
    }

    @Test
    void aCancelStopsTheUnstartedSectionsOfADocumentAndItsResultSaysSo() throws Exception {
        executor.hold();
        start("gw-cancel", Map.of());
        central.send("doc-e", "[" + READ + "," + READ + "]");
        await().atMost(LIMIT).until(() -> executor.held() == 2);
        central.send("doc-e", "{\"cancel\":\"doc-e\"}");
        JsonNode sections = central.awaitResult("doc-e", LIMIT).json().get("sections");
        assertEquals("cancelled", sections.get(0).get("orders").get(0).get("status").asText());
        assertEquals("cancelled", sections.get(1).get("orders").get(0).get("status").asText());
        assertEquals(2, link.report().counters().get("sectionsCancelled"));
        central.send("doc-e", "{\"cancel\":\"doc-e\"}");
        central.send("doc-f", READ);
        executor.release();
        central.awaitResult("doc-f", LIMIT);
        assertEquals(1, central.resultsFor("doc-e").size(), "a repeated cancel changes nothing");
    }
}
