package dev.pathpoint.web.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.web.internal.TestConfigs;
import dev.pathpoint.web.internal.auth.PasswordCheck;
import dev.pathpoint.web.internal.auth.TokenHash;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who may use the API: credentials, roles, login throttling, write rate limits, remote clients. */
class SecurityTest {
    static final String TOKEN = "another-token-0123456789";
    static final String BEARER = "Bearer " + TOKEN;
    static final String READ = "{\"orders\": [{\"type\": \"read\", \"path\": \"W1r0\"}]}";

    private WebServer web;

    private WebServer start(Map<String, Object> overrides) throws Exception {
        Map<String, Object> config = new HashMap<>(overrides);
        config.putIfAbsent("tokenHashes", new String[] {TokenHash.sha256Of(TOKEN)});
        web = new WebServer(TestConfigs.settings(config), System::nanoTime, realm -> users());
        web.gateway.device.put("W1r0", PathpointValue.of(1200));
        return web;
    }

    /** A JAAS stand-in: viewer may read, admin may write. */
    private static PasswordCheck users() {
        return (user, password) -> {
            if (user.equals("viewer") && password.equals("look")) {
                return Optional.of(Set.of("viewer"));
            }
            if (user.equals("admin") && password.equals("s3cret:with:colons")) {
                return Optional.of(Set.of("admin", "viewer"));
            }
            if (user.equals("nobody") && password.equals("x")) {
                return Optional.of(Set.of("ssh"));
            }
            return Optional.empty();
        };
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws Exception {
        if (web != null) {
            web.close();
        }
    }

    @Test
    void withoutValidCredentialsEveryEndpointAnswers401WithNoDetail() throws Exception {
        // throttling aside (tested below): this test makes many failed attempts
        start(Map.of("authFreeFailures", 1000));
        for (String path : List.of("values", "values/stream", "drivers", "connections", "links", "queue", "stats",
                "sections/abc", "nothing")) {
            for (String authorization : new String[] {null, "Bearer wrong", "Bearer ", "Basic " + "x".repeat(10),
                    "Digest abc"}) {
                HttpResponse<String> response = web.get(path, authorization);
                assertEquals(401, response.statusCode(), path + " with " + authorization);
                assertEquals("", response.body(), "no detail");
                assertEquals("Bearer realm=\"pathpoint\"", response.headers().firstValue("WWW-Authenticate").orElseThrow());
                assertTrue(response.headers().allValues("Set-Cookie").isEmpty());
            }
        }
        HttpResponse<String> post = web.post("sections", null, "application/json", READ);
        assertEquals(401, post.statusCode());
        assertEquals(0, web.gateway.executed.size());
        // (a token differing in case is refused: AuthenticatorTest; Jetty's per-connection header cache would
        // hand this connection's earlier spelling back, so it is not tested here)
        assertEquals(200, web.get("queue", "bearer " + TOKEN).statusCode(), "the scheme is case-insensitive");
    }

    @Test
    void withNothingConfiguredNothingIsAccepted() throws Exception {
        start(Map.of("tokenHashes", new String[0]));
        assertEquals(401, web.get("queue", BEARER).statusCode());
        assertEquals(401, web.get("queue", basic("admin", "s3cret:with:colons")).statusCode(), "no JAAS realm configured");
    }

    @Test
    void aPbkdf2HashedTokenIsAcceptedAndRemembered() throws Exception {
        String chosen = "correct horse battery staple";
        start(Map.of("tokenHashes", new String[] {TokenHash.sha256Of(TOKEN),
                TokenHash.pbkdf2Of(chosen, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 20_000)}));
        assertEquals(200, web.get("queue", "Bearer " + chosen).statusCode());
        assertEquals(200, web.get("queue", "Bearer " + chosen).statusCode());
        assertEquals(200, web.get("queue", BEARER).statusCode());
        assertEquals(401, web.get("queue", "Bearer correct horse battery stapl").statusCode());
    }

    @Test
    void basicAuthenticationAgainstTheRealmWithReadAndWriteRoles() throws Exception {
        start(Map.of("jaasRealm", "karaf"));
        assertEquals(200, web.get("values", basic("viewer", "look")).statusCode());
        HttpResponse<String> viewerWrites = web.post("sections", basic("viewer", "look"), "application/json", READ);
        assertEquals(403, viewerWrites.statusCode());
        assertEquals("", viewerWrites.body());
        assertEquals(0, web.gateway.executed.size());
        assertEquals(200, web.post("sections", basic("admin", "s3cret:with:colons"), "application/json", READ).statusCode());
        assertEquals(401, web.get("values", basic("admin", "wrong")).statusCode());
        assertEquals(401, web.get("values", basic("nobody", "x")).statusCode(), "a user without a read role is refused");

        HttpResponse<String> challenge = web.get("values", null);
        assertEquals(List.of("Bearer realm=\"pathpoint\"", "Basic realm=\"pathpoint\", charset=\"UTF-8\""),
                challenge.headers().allValues("WWW-Authenticate"));
        HttpResponse<String> fromScript = web.client.send(web.request("values", null).header("X-Requested-With", "fetch").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(List.of("Bearer realm=\"pathpoint\""), fromScript.headers().allValues("WWW-Authenticate"),
                "the dashboard's requests get no basic challenge, so that the browser shows no dialog");
    }

    @Test
    void writesAreRateLimitedPerIdentity() throws Exception {
        start(Map.of("writesPerSecond", 0.01, "writeBurst", 3, "jaasRealm", "karaf"));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, web.post("sections", BEARER, "application/json", READ).statusCode());
        }
        HttpResponse<String> limited = web.post("sections", BEARER, "application/json", READ);
        assertEquals(429, limited.statusCode());
        assertTrue(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow()) >= 90, "one write per 100 s");
        assertTrue(limited.body().contains("too many write requests"), limited.body());
        assertEquals(429, web.post("sysctl/update", BEARER, "text/plain", "").statusCode());
        assertEquals(3, web.gateway.executed.size(), "a limited write is not run");
        assertEquals(200, web.get("values", BEARER).statusCode(), "reads are not limited");
        assertEquals(200, web.post("sections", basic("admin", "s3cret:with:colons"), "application/json", READ).statusCode(),
                "another identity has its own budget");
    }

    @Test
    void clientsFromElsewhereAreRefusedUnlessAllowed() throws Exception {
        start(Map.of());
        HttpResponse<String> remote = web.client.send(web.request("queue", BEARER).header("X-Test-Remote", "192.0.2.7").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, remote.statusCode());
        assertEquals("", remote.body());
        HttpResponse<String> remoteOpenApi = web.client.send(web.request("openapi.json", null).header("X-Test-Remote", "192.0.2.7").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, remoteOpenApi.statusCode());
        HttpResponse<String> loopback6 = web.client.send(web.request("queue", BEARER).header("X-Test-Remote", "::1").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, loopback6.statusCode());

        web.api.configure(TestConfigs.settings(Map.of("allowRemoteClients", true,
                "tokenHashes", new String[] {TokenHash.sha256Of(TOKEN)})));
        HttpResponse<String> allowed = web.client.send(web.request("queue", BEARER).header("X-Test-Remote", "192.0.2.7").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, allowed.statusCode());
    }

    @Test
    void aBruteForceAttemptIsSlowedAndTheRightTokenWaitsItsTurnToo() throws Exception {
        long delayMillis = 150;
        start(Map.of("authFreeFailures", 2, "authDelayMillis", (int) delayMillis, "authMaxDelaySeconds", 1));
        // the free failures are answered at once
        for (int i = 0; i < 2; i++) {
            assertEquals(401, web.get("queue", "Bearer guess-" + i).statusCode());
        }
        // then each attempt waits for its slot, twice as long after each failure, capped at 1 s
        long[] expected = {delayMillis, 2 * delayMillis, 4 * delayMillis, 1000};
        for (int i = 0; i < expected.length; i++) {
            long started = System.nanoTime();
            assertEquals(401, web.get("queue", "Bearer guess-more-" + i).statusCode());
            long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertTrue(took >= expected[i] - 20, "attempt " + i + " answered after " + took + " ms, expected at least " + expected[i]);
        }
        // parallel guesses gain nothing: each gets its own slot, and those beyond the waiting bound are refused at once
        long started = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> parallel = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            parallel.add(web.client.sendAsync(web.request("queue", "Bearer parallel-" + i).GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        int unauthorized = 0;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> response : parallel) {
            int status = response.join().statusCode();
            if (status == 401) {
                unauthorized++;
            } else if (status == 429) {
                refused++;
                assertTrue(response.join().headers().firstValue("Retry-After").isPresent());
            }
        }
        assertEquals(8, unauthorized + refused);
        assertEquals(dev.pathpoint.web.internal.auth.LoginThrottle.MAX_WAITING_PER_CLIENT, unauthorized,
                "only the waiting bound's worth of parallel attempts is checked");
        long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertTrue(took >= 4 * 1000 - 100, "four parallel attempts took their slots one after another: " + took + " ms");
        // the right token from the same address is no shortcut: it waits its slot, and frees the address
        started = System.nanoTime();
        assertEquals(200, web.get("queue", BEARER).statusCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 1000 - 20);
        started = System.nanoTime();
        assertEquals(401, web.get("queue", "Bearer after-success").statusCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 1000, "after a success the address starts afresh");
        // requests without credentials are not login attempts: answered at once
        assertEquals(401, web.get("queue", null).statusCode());
    }
}
