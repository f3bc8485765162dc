package dev.pathpoint.sysctl.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * An HTTPS repository on 127.0.0.1 for tests (the JDK's HttpsServer with a {@link TestCa}
 * certificate): a Maven release layout under {@code /maven/} (jar, {@code .sha256}, {@code .sha1},
 * {@code maven-metadata.xml}) and an OSGi repository index at {@code /index.xml} and
 * {@code /index.xml.gz}, with faults a test can set per path: an HTTP status, a body cut off
 * halfway, a body that stalls until the repository is closed, a redirect to another host.
 */
public final class TestRepository implements AutoCloseable {

    /** What the repository does instead of answering a path normally. */
    public sealed interface Fault {
        record Status(int code) implements Fault {
        }

        record CutHalfway() implements Fault {
        }

        record Stall() implements Fault {
        }

        record RedirectTo(String url) implements Fault {
        }
    }

    private final HttpsServer server;
    private final ExecutorService executor;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, List<String>> mavenVersions = new ConcurrentHashMap<>();
    private final Map<String, IndexEntry> indexed = new LinkedHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile String credentials;

    private record IndexEntry(String symbolicName, String version, String path, String sha256, long size) {
    }

    private TestRepository(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static TestRepository start(TestCa ca) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(ca.serverContext()));
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "test-repository");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        TestRepository repository = new TestRepository(server, executor);
        server.createContext("/", repository::handle);
        server.start();
        return repository;
    }

    public URI base() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** The Maven repository's root. */
    public URI maven() {
        return base().resolve("maven/");
    }

    public URI index(boolean gzipped) {
        return base().resolve(gzipped ? "index.xml.gz" : "index.xml");
    }

    /**
     * Publishes {@code jar} as {@code groupId:artifactId:version} in the Maven layout (with both
     * checksum files and the metadata naming it the release) and in the index under the symbolic
     * name and bundle version given.
     */
    public synchronized void publish(String groupId, String artifactId, String version, String symbolicName,
            String bundleVersion, Path jar) throws IOException {
        byte[] bytes = Files.readAllBytes(jar);
        String directory = "maven/" + groupId.replace('.', '/') + "/" + artifactId + "/";
        String jarPath = directory + version + "/" + artifactId + "-" + version + ".jar";
        files.put(jarPath, bytes);
        files.put(jarPath + ".sha256", (hex("SHA-256", bytes) + "  " + artifactId + "-" + version + ".jar\n")
                .getBytes(StandardCharsets.US_ASCII));
        files.put(jarPath + ".sha1", hex("SHA-1", bytes).getBytes(StandardCharsets.US_ASCII));
        List<String> versions = mavenVersions.computeIfAbsent(directory, d -> new ArrayList<>());
        versions.add(version);
        StringBuilder metadata = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata>\n")
                .append("  <groupId>").append(groupId).append("</groupId>\n  <artifactId>").append(artifactId)
                .append("</artifactId>\n  <versioning>\n    <release>").append(version).append("</release>\n    <versions>\n");
        versions.forEach(v -> metadata.append("      <version>").append(v).append("</version>\n"));
        metadata.append("    </versions>\n  </versioning>\n</metadata>\n");
        files.put(directory + "maven-metadata.xml", metadata.toString().getBytes(StandardCharsets.UTF_8));
        indexed.put(symbolicName + "/" + bundleVersion, new IndexEntry(symbolicName, bundleVersion, jarPath,
                hex("SHA-256", bytes), bytes.length));
        writeIndex();
    }

    /** The path of a published jar, e.g. to {@link #fault} or {@link #replace} it. */
    public static String jarPath(String groupId, String artifactId, String version) {
        return "maven/" + groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + artifactId + "-" + version + ".jar";
    }

    /** Serves other bytes at a path, its checksum files and index entry unchanged: a tampered jar. */
    public void replace(String path, byte[] bytes) {
        files.put(path, bytes);
    }

    public void remove(String path) {
        files.remove(path);
    }

    public byte[] file(String path) {
        return files.get(path);
    }

    public void fault(String path, Fault fault) {
        faults.put(path, fault);
    }

    public void clearFaults() {
        faults.clear();
    }

    /** From now on every request needs HTTP basic authentication with these. */
    public void requireCredentials(String user, String password) {
        credentials = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Every path asked for, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void writeIndex() throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<repository xmlns=\"http://www.osgi.org/xmlns/repository/v1.0.0\" name=\"test\" increment=\"1\">\n");
        for (IndexEntry entry : indexed.values()) {
            xml.append("  <resource>\n    <capability namespace=\"osgi.identity\">\n")
                    .append("      <attribute name=\"osgi.identity\" value=\"").append(entry.symbolicName()).append("\"/>\n")
                    .append("      <attribute name=\"type\" value=\"osgi.bundle\"/>\n")
                    .append("      <attribute name=\"version\" type=\"Version\" value=\"").append(entry.version()).append("\"/>\n")
                    .append("    </capability>\n    <capability namespace=\"osgi.content\">\n")
                    .append("      <attribute name=\"osgi.content\" value=\"").append(entry.sha256()).append("\"/>\n")
                    .append("      <attribute name=\"url\" value=\"").append(entry.path()).append("\"/>\n")
                    .append("      <attribute name=\"size\" type=\"Long\" value=\"").append(entry.size()).append("\"/>\n")
                    .append("      <attribute name=\"mime\" value=\"application/vnd.osgi.bundle\"/>\n")
                    .append("    </capability>\n  </resource>\n");
        }
        xml.append("</repository>\n");
        byte[] bytes = xml.toString().getBytes(StandardCharsets.UTF_8);
        files.put("index.xml", bytes);
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
            out.write(bytes);
        }
        files.put("index.xml.gz", gzipped.toByteArray());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(1);
        requests.add(path);
        try (exchange) {
            String required = credentials;
            if (required != null && !required.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            Fault fault = faults.get(path);
            byte[] body = files.get(path);
            if (fault instanceof Fault.Status status) {
                exchange.sendResponseHeaders(status.code(), -1);
            } else if (fault instanceof Fault.RedirectTo redirect) {
                exchange.getResponseHeaders().add("Location", redirect.url());
                exchange.sendResponseHeaders(302, -1);
            } else if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else if (fault instanceof Fault.CutHalfway) {
                exchange.sendResponseHeaders(200, body.length);
                OutputStream out = exchange.getResponseBody();
                out.write(body, 0, body.length / 2);
                out.flush();
                // ends the connection without the rest: the client sees the body end early
                throw new IOException("cut halfway on purpose");
            } else if (fault instanceof Fault.Stall) {
                exchange.sendResponseHeaders(200, body.length);
                OutputStream out = exchange.getResponseBody();
                out.write(body, 0, Math.min(16, body.length));
                out.flush();
                closing.await(5, TimeUnit.MINUTES); // silence until the test closes the repository
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
