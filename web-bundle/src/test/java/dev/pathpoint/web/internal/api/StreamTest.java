package dev.pathpoint.web.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.web.internal.TestConfigs;
import dev.pathpoint.web.internal.auth.TokenHash;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET values/stream over real HTTP: events as readings change, filters, bounds, slow clients. */
class StreamTest {
    static final String TOKEN = "stream-token-0123456789";
    static final String BEARER = "Bearer " + TOKEN;
    static final int MAX_PENDING = 50;

    private WebServer web;

    @BeforeEach
    void start() throws Exception {
        web = new WebServer(TestConfigs.settings(Map.of("tokenHashes", new String[] {TokenHash.sha256Of(TOKEN)},
                "streamMaxClients", 2, "streamMaxPending", MAX_PENDING, "streamHeartbeatSeconds", 1)));
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    /** The stream's events (event name + data line), read by a thread of the test. */
    private BlockingQueue<String> open(String query) throws Exception {
        HttpResponse<InputStream> response = web.client.send(web.request("values/stream" + query, BEARER).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String event = null;
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        events.add(event + " " + line.substring(6));
                    } else if (line.startsWith(":")) {
                        events.add("comment" + line.substring(1));
                    }
                }
            } catch (java.io.IOException e) {
                events.add("closed");
            }
        }, "stream-reader");
        reader.setDaemon(true);
        reader.start();
        assertEquals("ready {}", next(events));
        return events;
    }

    private static String next(BlockingQueue<String> events) throws InterruptedException {
        for (;;) {
            String event = events.poll(30, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no event within 30 s");
            }
            if (!event.startsWith("comment")) {
                return event;
            }
        }
    }

    @Test
    void changesArriveAsEventsAndUnchangedReadingsDoNot() throws Exception {
        BlockingQueue<String> events = open("");
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        web.gateway.record(new Reading.Success("W1r0", now, PathpointValue.of(1200)));
        assertEquals("reading {\"pathpoint\":\"W1r0\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"value\":1200}", next(events));
        web.gateway.record(new Reading.Success("W1r0", now.plusSeconds(1), PathpointValue.of(1200)));
        web.gateway.record(new Reading.Success("W1r0", now.plusSeconds(2), PathpointValue.of(1201)));
        assertEquals("reading {\"pathpoint\":\"W1r0\",\"timestamp\":\"2026-03-01T10:00:02Z\",\"value\":1201}", next(events));
        web.api.stream().readingRemoved(new Reading.Success("W1r0", now, PathpointValue.of(1201)));
        assertEquals("removed {\"pathpoint\":\"W1r0\"}", next(events));
        // a read through the API shows up too
        web.gateway.device.put("W1r5", PathpointValue.of(55));
        web.post("sections", BEARER, "application/json", "{\"orders\": [{\"type\": \"read\", \"path\": \"W1r5\"}]}");
        assertTrue(next(events).startsWith("reading {\"pathpoint\":\"W1r5\""));
    }

    @Test
    void aPatternSelectsThePathpoints() throws Exception {
        BlockingQueue<String> events = open("?pattern=W1r.*");
        Instant now = Instant.now();
        web.gateway.record(new Reading.Success("W2r0", now, PathpointValue.of(1)));
        web.gateway.record(new Reading.Success("xW1r0", now, PathpointValue.of(1)));
        web.gateway.record(new Reading.Success("W1r3", now, PathpointValue.of(3)));
        assertTrue(next(events).startsWith("reading {\"pathpoint\":\"W1r3\""));
        HttpResponse<String> bad = web.get("values/stream?pattern=[", BEARER);
        assertEquals(400, bad.statusCode());
    }

    @Test
    void keepAlivesFlowWhileNothingChanges() throws Exception {
        BlockingQueue<String> events = open("");
        web.api.stream().heartbeat();
        String event = events.poll(30, TimeUnit.SECONDS);
        assertEquals("comment keep-alive", event);
    }

    @Test
    void theNumberOfClientsIsBounded() throws Exception {
        open("");
        open("");
        HttpResponse<String> third = web.get("values/stream", BEARER);
        assertEquals(503, third.statusCode());
        assertTrue(third.body().contains("2 clients are on the value stream already"), third.body());
    }

    @Test
    void aClientThatStopsReadingCostsABoundedBufferAndIsToldWhatItMissed() throws Exception {
        try (Socket socket = new Socket()) {
            // a small receive window, so that the server's writes back up soon
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", web.port()));
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET /pathpoint/api/v1/values/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: " + BEARER + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 64);
            for (String line; !(line = in.readLine()).equals("event: ready"); ) {
                // headers and the retry line
            }
            // the client reads nothing more while a flood of distinct pathpoints changes
            Instant now = Instant.now();
            int changes = 200_000;
            for (int i = 0; i < changes; i++) {
                web.gateway.record(new Reading.Success("W1r" + i, now, PathpointValue.of(i)));
                assertTrue(web.api.stream().pendingChanges() <= MAX_PENDING, "pending stays within the bound");
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> web.api.stream().droppedChanges() > 0);
            long dropped = web.api.stream().droppedChanges();
            assertTrue(dropped < changes, "what the connection took was sent");
            // reading again, it learns that it missed changes
            boolean told = false;
            for (String line; !told && (line = in.readLine()) != null; ) {
                told = line.equals("event: overflow");
            }
            assertTrue(told, "an overflow event");
            String data = in.readLine();
            assertTrue(data.matches("data: \\{\"dropped\":\\d+\\}"), data);
        }
    }
}
