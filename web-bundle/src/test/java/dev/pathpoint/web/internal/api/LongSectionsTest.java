package dev.pathpoint.web.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.web.internal.TestConfigs;
import dev.pathpoint.web.internal.auth.TokenHash;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sections that take longer than the wait: 202, a location to poll, bounded retention of their results. */
class LongSectionsTest {
    static final String TOKEN = "long-sections-token-0123";
    static final String BEARER = "Bearer " + TOKEN;
    static final String HELD_READ = "{\"orders\": [{\"type\": \"read\", \"path\": \"W1r9\"}]}";

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private WebServer web;

    @BeforeEach
    void start() throws Exception {
        web = new WebServer(TestConfigs.settings(Map.of("tokenHashes", new String[] {TokenHash.sha256Of(TOKEN)},
                "waitSeconds", 0, "resultRetentionSeconds", 60, "maxRetainedResults", 2, "maxRunningRuns", 3)),
                now::get, realm -> null);
        web.gateway.device.put("W1r9", PathpointValue.of(9));
        web.gateway.held.add("W1r9");
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    private String location(HttpResponse<String> accepted) {
        assertEquals(202, accepted.statusCode(), accepted.body());
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("/pathpoint/api/v1/sections/"), location);
        return location.substring("/pathpoint/api/v1/".length());
    }

    @Test
    void aLongSectionIsAnswered202AndItsResultsArePolled() throws Exception {
        HttpResponse<String> accepted = web.post("sections", BEARER, "application/json", HELD_READ);
        String location = location(accepted);
        JsonNode state = ApiTest.json(accepted);
        assertEquals("running", state.get("state").asText());
        assertEquals(1, state.get("sections").asInt());
        assertEquals("1", accepted.headers().firstValue("Retry-After").orElseThrow());

        HttpResponse<String> polled = web.get(location, BEARER);
        assertEquals(202, polled.statusCode());
        assertEquals(0, ApiTest.json(polled).get("finishedSections").asInt());

        web.gateway.release();
        HttpResponse<String> done = web.get(location + "?wait=30", BEARER);
        assertEquals(200, done.statusCode(), done.body());
        assertEquals(9, ApiTest.json(done).at("/orders/0/value").asInt());
        assertEquals(200, web.get(location, BEARER).statusCode(), "results stay for polling");
        web.api.configure(TestConfigs.settings(Map.of("tokenHashes", new String[] {TokenHash.sha256Of(TOKEN),
                TokenHash.sha256Of("second-client-token")}, "waitSeconds", 0)));
        assertEquals(200, web.get(location, BEARER).statusCode());
        assertEquals(404, web.get(location, "Bearer second-client-token").statusCode(), "only its submitter sees a run");
    }

    @Test
    void aShortWaitIsAnsweredWithResultsWhenTheyComeInTime() throws Exception {
        CompletableFuture<HttpResponse<String>> waiting = web.client.sendAsync(web.request("sections?wait=30", BEARER)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(HELD_READ)).build(),
                HttpResponse.BodyHandlers.ofString());
        awaitRunning(1);
        web.gateway.release();
        HttpResponse<String> answered = waiting.get();
        assertEquals(200, answered.statusCode());
        assertEquals(9, ApiTest.json(answered).at("/orders/0/value").asInt());
        assertEquals(0, web.api.runs().retainedCount(), "a run answered with its results is not retained");
    }

    @Test
    void preferRespondAsyncAnswersAtOnce() throws Exception {
        HttpResponse<String> accepted = web.client.send(web.request("sections?wait=30", BEARER)
                .header("Content-Type", "application/json").header("Prefer", "respond-async")
                .POST(HttpRequest.BodyPublishers.ofString("{\"orders\": [{\"type\": \"wait\", \"time\": 0}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        // ?wait wins over Prefer; without it Prefer decides
        assertTrue(accepted.statusCode() == 200 || accepted.statusCode() == 202);
        HttpResponse<String> preferred = web.client.send(web.request("sections", BEARER)
                .header("Content-Type", "application/json").header("Prefer", "respond-async, wait=0")
                .POST(HttpRequest.BodyPublishers.ofString(HELD_READ)).build(), HttpResponse.BodyHandlers.ofString());
        location(preferred);
    }

    @Test
    void unfinishedRunsAreBounded() throws Exception {
        for (int i = 0; i < 3; i++) {
            location(web.post("sections", BEARER, "application/json", HELD_READ));
        }
        HttpResponse<String> tooMany = web.post("sections", BEARER, "application/json", HELD_READ);
        assertEquals(503, tooMany.statusCode(), "at most maxRunningRuns unfinished runs");
        assertTrue(ApiTest.json(tooMany).get("error").asText().contains("3 section runs"), tooMany.body());
        assertEquals("1", tooMany.headers().firstValue("Retry-After").orElseThrow());
        web.gateway.release();
        awaitRunning(0);
        location(web.post("sections", BEARER, "application/json", HELD_READ));
    }

    @Test
    void finishedResultsAreKeptForTheirRetentionAndUpToTheirCount() throws Exception {
        // one run after another, so that they finish in this order
        String[] locations = new String[3];
        for (int i = 0; i < locations.length; i++) {
            locations[i] = location(web.post("sections", BEARER, "application/json", HELD_READ));
            web.gateway.release();
            awaitRunning(0);
        }
        for (String location : new String[] {locations[1], locations[2]}) {
            assertEquals(200, web.get(location, BEARER).statusCode());
        }
        assertEquals(404, web.get(locations[0], BEARER).statusCode(), "beyond maxRetainedResults the oldest is forgotten");
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        HttpResponse<String> expired = web.get(locations[2], BEARER);
        assertEquals(404, expired.statusCode());
        assertTrue(ApiTest.json(expired).get("error").asText().contains("finished more than 60 s ago"), expired.body());
        assertEquals(0, web.api.runs().retainedCount());
    }

    @Test
    void deleteCancelsSectionsThatHaveNotStarted() throws Exception {
        String location = location(web.post("sections", BEARER, "application/json", HELD_READ));
        HttpResponse<String> cancelled = web.client.send(web.request(location, BEARER).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        assertEquals(1, ApiTest.json(cancelled).get("cancelled").asInt());
        HttpResponse<String> result = web.get(location + "?wait=30", BEARER);
        assertEquals(200, result.statusCode());
        assertEquals("cancelled", ApiTest.json(result).at("/orders/0/status").asText());
        assertEquals(404, web.client.send(web.request("sections/0123", BEARER).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    private void awaitRunning(int count) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> web.api.runs().runningCount() == count && (count > 0 || web.gateway.running.get() == 0));
    }
}
