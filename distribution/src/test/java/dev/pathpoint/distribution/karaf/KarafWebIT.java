package dev.pathpoint.distribution.karaf;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The {@code pathpoint-web} feature in a real Apache Karaf 4.4.10: the web bundle on Karaf's {@code http}
 * feature (Pax Web 8, Jetty 9.4, javax.servlet 4.0) and Pax Web's HTTP Whiteboard, users of the
 * {@code karaf} JAAS realm logging in with basic authentication, Pax Web configured by the operator
 * (port, loopback) and left so by the feature.
 */
public class KarafWebIT {
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration COMMAND = Duration.ofSeconds(60);

    private static KarafInstance karaf;
    private static int httpPort;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeClass
    public static void startKaraf() throws IOException {
        Path target = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target");
        Path localRepository = Paths.get(System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository"));
        String version = KarafFeatureIT.BuildLayout.projectVersion(target);
        Path buildRepository = KarafFeatureIT.BuildLayout.repositoryWithFeatures(target, version);
        karaf = KarafInstance.freshCopy(KarafFeatureIT.BuildLayout.karafDistribution(target), target.resolve("karaf-web-it"),
                version, buildRepository, localRepository);
        httpPort = FreePorts.pick();
        Path etc = karaf.home().resolve("etc");
        // an operator's Pax Web configuration, as the README advises: a free port instead of 8181, loopback only
        Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), String.join("\n",
                "org.osgi.service.http.port = " + httpPort, "org.ops4j.pax.web.listening.addresses = 127.0.0.1", ""));
        // a user who may look but not write
        Files.writeString(etc.resolve("users.properties"), "\nreader = readerpw,viewer\n", StandardOpenOption.APPEND);
        karaf.start(STARTUP);
        String installed = karaf.execute(COMMAND,
                "feature:repo-add mvn:dev.pathpoint/dev.pathpoint.distribution/" + version + "/xml/features",
                "feature:install pathpoint-simulator pathpoint-web",
                "feature:list -i -o");
        assertThat(installed, containsString("pathpoint-web"));
    }

    @AfterClass
    public static void stopKaraf() {
        if (karaf != null) {
            karaf.stop();
        }
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + "/pathpoint/" + path);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.timeout(COMMAND).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("no answer from " + request.build().uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> get(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    private static HttpResponse<String> postSection(String authorization, String document) {
        return send(HttpRequest.newBuilder(uri("api/v1/sections")).header("Authorization", authorization)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(document)));
    }

    private static void awaitApi() {
        await("the web API on port " + httpPort).atMost(STARTUP).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> get("api/v1/queue", basic("karaf", "karaf")).statusCode() == 200);
    }

    @Test
    public void karafUsersReadAndWriteThroughTheApi() {
        awaitApi();
        HttpResponse<String> read = postSection(basic("karaf", "karaf"),
                "{\"orders\": [{\"type\": \"read\", \"path\": \"W1r0\", \"advise\": 1}]}");
        assertEquals(read.body(), 200, read.statusCode());
        assertThat(read.body(), containsString("\"status\":\"done\",\"value\":1200"));
        HttpResponse<String> write = postSection(basic("karaf", "karaf"),
                "{\"orders\": [{\"type\": \"write\", \"path\": \"W1r6\", \"value\": 66, \"advise\": 1}, {\"type\": \"read\", \"path\": \"W1r6\", \"advise\": 1}]}");
        assertThat(write.body(), containsString("{\"succeeded\":true"));
        assertThat(get("api/v1/values?pattern=W1r6", basic("reader", "readerpw")).body(), containsString("\"value\":66"));
        assertThat(get("api/v1/drivers", basic("reader", "readerpw")).body(), containsString("\"name\":\"simulator\""));

        HttpResponse<String> readerWrites = postSection(basic("reader", "readerpw"),
                "{\"orders\": [{\"type\": \"read\", \"path\": \"W1r0\"}]}");
        assertEquals("a viewer may not write", 403, readerWrites.statusCode());
        HttpResponse<String> wrong = get("api/v1/values", basic("karaf", "wrong"));
        assertEquals(401, wrong.statusCode());
        assertEquals("", wrong.body());
        HttpResponse<String> anonymous = get("api/v1/values", null);
        assertEquals(401, anonymous.statusCode());
        assertEquals(List.of("Bearer realm=\"pathpoint\"", "Basic realm=\"pathpoint\", charset=\"UTF-8\""),
                anonymous.headers().allValues("WWW-Authenticate"));
        HttpResponse<String> page = get("", null);
        assertEquals(200, page.statusCode());
        assertThat(page.body(), containsString("<title>Pathpoint</title>"));
    }

    @Test
    public void theBundleRunsOnPaxWebWithJavaxServletOnLoopback() {
        awaitApi();
        String wiring = karaf.execute(COMMAND, "bundle:requirements dev.pathpoint.web");
        assertThat(wiring, containsString("osgi.wiring.package; javax.servlet 4.0.0 from jakarta.servlet-api"));
        assertThat(wiring, containsString("osgi.implementation; osgi.http 1.1.0 from org.ops4j.pax.web.pax-web-runtime"));
        // the feature leaves the operator's Pax Web configuration as it was
        String paxWeb = karaf.execute(COMMAND, "config:property-get --pid org.ops4j.pax.web org.osgi.service.http.port");
        assertThat(paxWeb, containsString(Integer.toString(httpPort)));
        String log = karaf.log();
        assertThat(log, containsString("127.0.0.1:" + httpPort));
        assertThat("Pax Web never listened on every address", log, not(containsString("0.0.0.0:" + httpPort)));
        // the API itself answers loopback clients only unless allowRemoteClients is set
        String web = karaf.execute(COMMAND, "config:property-get --pid dev.pathpoint.web jaasRealm");
        assertThat(web, containsString("karaf"));
        String token = karaf.execute(COMMAND, "echo (pathpoint:webtoken)");
        assertTrue(token, token.contains("tokenHashes=[\"sha256:"));
    }
}
