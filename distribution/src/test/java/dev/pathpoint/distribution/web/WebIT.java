package dev.pathpoint.distribution.web;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.api.connection.ConnectionMonitor;
import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.distribution.it.Await;
import dev.pathpoint.distribution.it.RuntimeOptions;
import dev.pathpoint.distribution.it.TestConfig;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Dictionary;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The web bundle in the Felix distribution, on Felix HTTP Jetty 4 (javax.servlet, Jetty 9.4) and its
 * HTTP Whiteboard, with the default configuration plus a bearer token: the API reads and writes the
 * embedded simulator, streams changes, lists the whiteboard's drivers and connection monitors, and
 * follows a configuration change live.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebIT {
    static final String TOKEN = "web-it-token-0123456789abcdef";
    static final String BEARER = "Bearer " + TOKEN;

    @Inject
    BundleContext context;
    @Inject
    ConfigurationAdmin configurationAdmin;
    @Inject
    MetaTypeService metaTypes;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Configuration
    public Option[] config() throws Exception {
        Path conf = TestConfig.copyOfDefaultConfig();
        Files.writeString(conf.resolve("dev.pathpoint.web.config"), Files.readString(conf.resolve("dev.pathpoint.web.config"))
                + "tokenHashes=[\"sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(TOKEN.getBytes(StandardCharsets.UTF_8))) + "\"]\n");
        return new Option[] {RuntimeOptions.runtime(conf)};
    }

    /** The HTTP service's endpoint, e.g. {@code http://127.0.0.1:PORT/}, once the configuration gave it a port. */
    private String endpoint() {
        String[] found = new String[1];
        Await.until("the HTTP service runtime with an endpoint", Duration.ofSeconds(60), () -> {
            ServiceReference<HttpServiceRuntime> reference = context.getServiceReference(HttpServiceRuntime.class);
            Object endpoint = reference == null ? null : reference.getProperty("osgi.http.endpoint");
            String first = endpoint instanceof String[] list && list.length > 0 ? list[0]
                    : endpoint instanceof java.util.Collection<?> list && !list.isEmpty() ? String.valueOf(list.iterator().next())
                    : endpoint instanceof String text ? text : null;
            if (first != null && !first.contains(":-1")) {
                found[0] = first.endsWith("/") ? first : first + "/";
                return true;
            }
            return false;
        });
        return found[0];
    }

    private URI api(String path) {
        return URI.create(endpoint() + "pathpoint/api/v1/" + path);
    }

    private HttpResponse<String> get(URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(api(path)).timeout(Duration.ofSeconds(60)).header("Authorization", BEARER)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Before
    public void served() throws Exception {
        Await.until("the API answers", Duration.ofSeconds(60), () -> {
            try {
                return get(api("queue"), BEARER).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    public void theBundleRunsOnFelixHttpJettyWithJavaxServlet() throws Exception {
        Bundle web = bundle("dev.pathpoint.web");
        assertEquals(Bundle.ACTIVE, web.getState());
        BundleWire servlet = web.adapt(BundleWiring.class).getRequiredWires("osgi.wiring.package").stream()
                .filter(wire -> "javax.servlet".equals(wire.getCapability().getAttributes().get("osgi.wiring.package")))
                .findFirst().orElseThrow(() -> new AssertionError("dev.pathpoint.web has no javax.servlet wire"));
        String provider = servlet.getProvider().getBundle().getSymbolicName();
        Object version = servlet.getCapability().getAttributes().get("version");
        assertEquals("org.apache.felix.http.servlet-api", provider);
        assertTrue("javax.servlet " + version, version.toString().startsWith("3.1") || version.toString().startsWith("4.0"));
        assertTrue(bundle("org.apache.felix.http.jetty").getVersion().toString().startsWith("4."));

        // every setting is described by metatype, so that consoles show a form
        ObjectClassDefinition form = metaTypes.getMetaTypeInformation(web).getObjectClassDefinition("dev.pathpoint.web", null);
        List<String> attributes = java.util.Arrays.stream(form.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .map(AttributeDefinition::getID).toList();
        for (String property : List.of("contextPath", "allowRemoteClients", "tokenHashes", "jaasRealm", "maxBodyBytes",
                "waitSeconds", "resultRetentionSeconds", "writesPerSecond", "authFreeFailures", "streamMaxPending")) {
            assertTrue(property + " in " + attributes, attributes.contains(property));
        }

        HttpResponse<String> page = get(URI.create(endpoint() + "pathpoint/"), null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>Pathpoint</title>"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").isPresent());
        HttpResponse<String> openApi = get(api("openapi.json"), null);
        assertEquals(200, openApi.statusCode());
        assertTrue(openApi.body().contains("\"url\": \"/pathpoint/api/v1\""));
        assertTrue("bound to loopback: " + endpoint(), endpoint().startsWith("http://127.0.0.1:"));
    }

    @Test
    public void readsAndWritesTheSimulatorAndStreamsTheChange() throws Exception {
        HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(api("values/stream?pattern=W1r5"))
                .header("Authorization", BEARER).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("data: ") || line.startsWith("event: ")) {
                        events.add(line);
                    }
                }
            } catch (java.io.IOException e) {
                events.add("closed " + e);
            }
        }, "web-it-stream");
        reader.setDaemon(true);
        reader.start();
        assertEquals("event: ready", events.poll(30, TimeUnit.SECONDS));
        events.poll(30, TimeUnit.SECONDS);

        HttpResponse<String> read = post("sections", "application/json", "{\"orders\": [{\"type\": \"read\", \"path\": \"W1r0\", \"advise\": 1}]}");
        assertEquals(200, read.statusCode());
        assertTrue(read.body(), read.body().contains("\"status\":\"done\",\"value\":1200"));

        HttpResponse<String> write = post("sections", "application/json",
                "{\"orders\": [{\"type\": \"write\", \"path\": \"W1r5\", \"value\": 4321, \"advise\": 1}, {\"type\": \"read\", \"path\": \"W1r5\", \"advise\": 1}]}");
        assertEquals(200, write.statusCode());
        assertTrue(write.body(), write.body().startsWith("{\"succeeded\":true"));
        String event = events.poll(30, TimeUnit.SECONDS);
        assertEquals("event: reading", event);
        String data = events.poll(30, TimeUnit.SECONDS);
        assertTrue(data, data.startsWith("data: {\"pathpoint\":\"W1r5\"") && data.endsWith("\"value\":4321}"));

        HttpResponse<String> values = get(api("values?pattern=W1r5"), BEARER);
        assertTrue(values.body(), values.body().contains("\"value\":4321"));
    }

    @Test
    public void refusesWithoutCredentialsAndNamesBadInput() throws Exception {
        HttpResponse<String> anonymous = get(api("values"), null);
        assertEquals(401, anonymous.statusCode());
        assertEquals("", anonymous.body());
        assertEquals(401, get(api("values"), "Bearer not-the-token").statusCode());

        HttpResponse<String> bad = post("sections", "application/json", "{\"orders\": [{\"type\": \"raed\", \"path\": \"W1r0\"}]}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body(), bad.body().contains("\"location\":\"$.orders[0].type\""));
        assertTrue(bad.body(), bad.body().contains("unknown order type 'raed'"));

        HttpResponse<String> large = post("sections", "application/json", "[" + " ".repeat(1_048_576) + "]");
        assertEquals(413, large.statusCode());
    }

    @Test
    public void listsDriversAndEveryConnectionMonitor() throws Exception {
        Instant since = Instant.parse("2026-01-01T00:00:00Z");
        ServiceRegistration<ConnectionMonitor> devices = context.registerService(ConnectionMonitor.class,
                () -> List.of(new ConnectionReport("plc", "modbus", "tcp://192.0.2.10:502", "dev.pathpoint.modbus~plc",
                        ConnectionState.BACKING_OFF, since, Optional.of(since.plusSeconds(5)), Optional.of("connection refused"), Map.of("reconnects", 3L))),
                properties(ConnectionMonitor.KIND, "modbus"));
        ServiceRegistration<ConnectionMonitor> links = context.registerService(ConnectionMonitor.class,
                () -> List.of(new ConnectionReport("central", "mqtt", "mqtts://broker:8883", "dev.pathpoint.mqtt~central",
                        ConnectionState.CONNECTED, since, Optional.empty(), Optional.empty(), Map.of())),
                properties(ConnectionMonitor.KIND, "mqtt"));
        try {
            HttpResponse<String> drivers = get(api("drivers"), BEARER);
            assertTrue(drivers.body(), drivers.body().contains("\"name\":\"simulator\"") && drivers.body().contains("\"bundle\":\"dev.pathpoint.modbus\""));
            HttpResponse<String> connections = get(api("connections"), BEARER);
            assertTrue(connections.body(), connections.body().contains("\"name\":\"plc\"") && connections.body().contains("\"state\":\"BACKING_OFF\""));
            assertTrue(connections.body(), !connections.body().contains("\"central\""));
            HttpResponse<String> linkList = get(api("links"), BEARER);
            assertTrue(linkList.body(), linkList.body().contains("\"name\":\"central\"") && !linkList.body().contains("\"plc\""));
            assertTrue(get(api("queue"), BEARER).body().contains("\"queuedSections\""));
            assertTrue(get(api("stats"), BEARER).body().contains("\"history\""));
            HttpResponse<String> sysctl = post("sysctl/baob-created", "text/plain", "web-it-key");
            assertEquals(200, sysctl.statusCode());
            assertTrue(sysctl.body(), sysctl.body().contains("\"status\":\"done\""));
        } finally {
            devices.unregister();
            links.unregister();
        }
    }

    @Test
    public void aNewContextPathAppliesLive() throws Exception {
        org.osgi.service.cm.Configuration configuration = configurationAdmin.getConfiguration("dev.pathpoint.web", "?");
        Dictionary<String, Object> properties = configuration.getProperties();
        Object previous = properties.get("contextPath");
        properties.put("contextPath", "/gateway");
        configuration.update(properties);
        try {
            Await.until("the API under /gateway", Duration.ofSeconds(30), () -> status(URI.create(endpoint() + "gateway/api/v1/queue")) == 200);
            Await.until("nothing left under /pathpoint", Duration.ofSeconds(30), () -> status(api("queue")) == 404);
        } finally {
            properties.put("contextPath", previous);
            configuration.update(properties);
            Await.until("the API back under /pathpoint", Duration.ofSeconds(30), () -> status(api("queue")) == 200);
        }
    }

    private int status(URI uri) {
        try {
            return get(uri, BEARER).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private static Dictionary<String, Object> properties(String key, Object value) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(key, value);
        return properties;
    }
}
