package dev.pathpoint.sysctl.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.sysctl.testsupport.TestCa;
import dev.pathpoint.sysctl.testsupport.TestJars;
import dev.pathpoint.sysctl.testsupport.TestRepository;
import dev.pathpoint.sysctl.testsupport.TestRepository.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * {@code update} from remote repositories in a running Felix: an HTTPS repository on loopback with
 * a CA made for the run serves a Maven layout and an index. Every refusal leaves the framework
 * exactly as it was, the staging area empty, and names the artifact and the problem.
 */
class RemoteUpdateIT {

    private static final String UPDATE_PID = "dev.pathpoint.sysctl.update";
    private static final String REPOSITORY_FACTORY_PID = "dev.pathpoint.sysctl.update.repository";
    private static final String WIDGET = "dev.pathpoint.test.widget";
    private static final String GROUP = "dev.pathpoint.test";
    private static final String ARTIFACT = "widget";

    @TempDir
    static Path shared;
    private static TestCa ca;

    @TempDir
    Path temp;

    private RunningFramework running;
    private TestRepository repository;
    private Path staging;
    private Bundle widget;

    @BeforeAll
    static void makeCa() throws IOException {
        ca = TestCa.create(shared.resolve("ca"));
    }

    @BeforeEach
    void startFrameworkAndRepository() throws Exception {
        running = RunningFramework.start(temp.resolve("storage"));
        repository = TestRepository.start(ca);
        staging = Files.createDirectory(temp.resolve("staging"));
        Path installed = Files.createDirectory(temp.resolve("installed"));
        widget = running.context().installBundle(widgetJar(installed, "1.0.0").toUri().toString());
        widget.start();
        running.configure(UPDATE_PID, Map.of("source.directory", "", "staging.directory", staging.toString()));
    }

    @AfterEach
    void stop() throws Exception {
        running.close();
        repository.close();
    }

    @Test
    void updatesFromTheMavenRepositoryAndReportsTheDownload() throws Exception {
        Path jar = widgetJar(temp, "2.0.0");
        repository.publish(GROUP, ARTIFACT, "2.0.0", WIDGET, "2.0.0", jar);
        addRepository(Map.of());

        String preview = running.dispatcher().execute("update", "--dry-run");
        assertTrue(preview.startsWith("dry run, nothing changed: would update " + WIDGET + " 1.0.0 -> 2.0.0 from Maven "
                + "repository test (" + repository.maven() + "); downloaded and verified " + GROUP + ":" + ARTIFACT
                + ":2.0.0 (" + Files.size(jar) + " bytes, "), preview);
        assertUntouched();

        String report = running.dispatcher().execute("update", WIDGET);

        assertTrue(report.startsWith("updated " + WIDGET + " 1.0.0 -> 2.0.0; wiring refreshed; downloaded " + GROUP + ":"
                + ARTIFACT + ":2.0.0 (" + Files.size(jar) + " bytes, "), report);
        assertTrue(report.endsWith(" s) from repository test"), report);
        assertEquals(new Version(2, 0, 0), widget.getVersion());
        assertEquals(Bundle.ACTIVE, widget.getState());
        try (InputStream in = widget.getEntry("version.txt").openStream()) {
            assertEquals("2.0.0", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertStagingEmpty();
        assertEquals("nothing to update from Maven repository test (" + repository.maven() + "): every bundle is up to date",
                running.dispatcher().execute("update", ""));
    }

    @Test
    void updatesFromAGzippedIndexCheckingItsChecksum() throws Exception {
        repository.publish(GROUP, ARTIFACT, "1.5.0", WIDGET, "1.5.0", widgetJar(temp, "1.5.0"));
        addRepository(Map.of("layout", "INDEX", "url", repository.index(true).toString()));

        String report = running.dispatcher().execute("update", "");

        assertTrue(report.startsWith("updated " + WIDGET + " 1.0.0 -> 1.5.0; wiring refreshed; downloaded " + WIDGET
                + " 1.5.0 ("), report);
        assertEquals(new Version(1, 5, 0), widget.getVersion());
        assertStagingEmpty();
    }

    @Test
    void refusesATamperedJar() throws Exception {
        repository.publish(GROUP, ARTIFACT, "2.0.0", WIDGET, "2.0.0", widgetJar(temp, "2.0.0"));
        String path = TestRepository.jarPath(GROUP, ARTIFACT, "2.0.0");
        byte[] tampered = repository.file(path).clone();
        tampered[tampered.length / 2] ^= 0x55;
        repository.replace(path, tampered);
        addRepository(Map.of());

        OperationFailedException failure = refused(WIDGET);

        assertEquals(OperationFailedReason.ERROR, failure.reason(), failure.getMessage());
        assertTrue(failure.getMessage().startsWith("nothing updated: " + GROUP + ":" + ARTIFACT + ":2.0.0 from repository "
                + "test: checksum mismatch: the SHA-256 of the download is "), failure.getMessage());
        assertTrue(failure.getMessage().contains("its .sha256 file says"), failure.getMessage());

        // the index's checksum catches it too
        deleteRepository("test");
        addRepository(Map.of("name", "index", "layout", "INDEX", "url", repository.index(false).toString()));
        assertTrue(refused(WIDGET).getMessage().contains("2.0.0 from repository index: checksum mismatch: the SHA-256 of "
                + "the download is "));
    }

    @Test
    void acceptsOnlyJarsSignedByATrustedSignerWhenSignaturesAreRequired() throws Exception {
        Path unsigned = widgetJar(temp, "2.0.0");
        repository.publish(GROUP, ARTIFACT, "2.0.0", WIDGET, "2.0.0", unsigned);
        addRepository(Map.of("signatures.required", true, "signatures.truststore", ca.trustStore().toString(),
                ".signatures.truststore.password", TestCa.PASSWORD));

        OperationFailedException failure = refused(WIDGET);
        assertTrue(failure.getMessage().contains(GROUP + ":" + ARTIFACT + ":2.0.0 from repository test: the jar is not "
                + "signed"), failure.getMessage());

        Path stranger = ca.sign(widgetJar(Files.createDirectories(temp.resolve("s")), "2.1.0"), temp.resolve("stranger.jar"), false);
        repository.publish(GROUP, ARTIFACT, "2.1.0", WIDGET, "2.1.0", stranger);
        failure = refused(WIDGET);
        assertTrue(failure.getMessage().contains("is signed by CN=Untrusted Signer, whom signatures.truststore does not "
                + "trust"), failure.getMessage());

        Path signed = ca.sign(widgetJar(Files.createDirectories(temp.resolve("t")), "2.2.0"), temp.resolve("signed.jar"), true);
        repository.publish(GROUP, ARTIFACT, "2.2.0", WIDGET, "2.2.0", signed);
        String report = running.dispatcher().execute("update", WIDGET);
        assertTrue(report.startsWith("updated " + WIDGET + " 1.0.0 -> 2.2.0"), report);
        assertStagingEmpty();
    }

    @Test
    void refusesWhenTheRepositoryAnswers404Or401Or500() throws Exception {
        repository.publish(GROUP, ARTIFACT, "2.0.0", WIDGET, "2.0.0", widgetJar(temp, "2.0.0"));
        String path = TestRepository.jarPath(GROUP, ARTIFACT, "2.0.0");
        addRepository(Map.of());

        repository.fault(path, new Fault.Status(404));
        assertTrue(refused(WIDGET).getMessage().contains(GROUP + ":" + ARTIFACT + ":2.0.0 from repository test ("
                + repository.base().resolve(path) + "): the repository does not have it (404 Not Found)"));

        repository.fault(path, new Fault.Status(500));
        assertTrue(refused(WIDGET).getMessage().contains("2.0.0 from repository test (" + repository.base().resolve(path)
                + "): the repository answered 500 Internal Server Error"));

        repository.clearFaults();
        repository.requireCredentials("gateway", "secret");
        OperationFailedException unauthorized = refused(WIDGET);
        assertTrue(unauthorized.getMessage().contains("the repository refused access (401 Unauthorized); check the "
                + "username and password configured for repository test"), unauthorized.getMessage());

        addRepository(Map.of("name", "authenticated", "username", "gateway", ".password", "secret"));
        // the unauthenticated one still refuses: all or nothing
        assertTrue(refused(WIDGET).getMessage().contains("from repository test ("));
        deleteRepository("test");
        assertTrue(running.dispatcher().execute("update", WIDGET).startsWith("updated " + WIDGET + " 1.0.0 -> 2.0.0"));
    }

    @Test
    void refusesADownloadCutHalfway() throws Exception {
        repository.publish(GROUP, ARTIFACT, "2.0.0", WIDGET, "2.0.0", widgetJar(temp, "2.0.0"));
        repository.fault(TestRepository.jarPath(GROUP, ARTIFACT, "2.0.0"), new Fault.CutHalfway());
        addRepository(Map.of());

        OperationFailedException failure = refused(WIDGET);

        assertEquals(OperationFailedReason.ERROR, failure.reason());
        assertTrue(failure.getMessage().startsWith("nothing updated: " + GROUP + ":" + ARTIFACT + ":2.0.0 from repository test"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("broke off") || failure.getMessage().contains("cut short"),
                failure.getMessage());
    }

    @Test
    void givesUpOnARepositoryThatStalls() throws Exception {
        repository.publish(GROUP, ARTIFACT, "2.0.0", WIDGET, "2.0.0", widgetJar(temp, "2.0.0"));
        repository.fault(TestRepository.jarPath(GROUP, ARTIFACT, "2.0.0"), new Fault.Stall());
        addRepository(Map.of("read.timeout.seconds", 1));

        OperationFailedException failure = refused(WIDGET);

        assertEquals(OperationFailedReason.TIMEOUT, failure.reason());
        assertTrue(failure.getMessage().contains(GROUP + ":" + ARTIFACT + ":2.0.0 from repository test"), failure.getMessage());
        assertTrue(failure.getMessage().contains("the repository sent nothing for 1 s after 16 bytes (read.timeout.seconds)"),
                failure.getMessage());
    }

    @Test
    void followsNoRedirectToAnotherHost() throws Exception {
        repository.publish(GROUP, ARTIFACT, "2.0.0", WIDGET, "2.0.0", widgetJar(temp, "2.0.0"));
        String path = TestRepository.jarPath(GROUP, ARTIFACT, "2.0.0");
        repository.replace("mirror/" + path, repository.file(path));
        repository.replace("mirror/" + path + ".sha256", repository.file(path + ".sha256"));
        repository.fault(path, new Fault.RedirectTo("https://localhost:" + repository.base().getPort() + "/mirror/" + path));
        addRepository(Map.of());

        OperationFailedException failure = refused(WIDGET);
        assertTrue(failure.getMessage().contains("the repository sends us to localhost:" + repository.base().getPort()
                + ", which is not this repository's host; add it to allowed.hosts"), failure.getMessage());
        assertEquals(List.of(), repository.requests().stream().filter(request -> request.contains("localhost")).toList());

        // allowed: the same jar through the other name
        addRepository(Map.of("name", "allowed", "allowed.hosts", new String[] {"localhost:" + repository.base().getPort()}));
        deleteRepository("test");
        assertTrue(running.dispatcher().execute("update", WIDGET).startsWith("updated " + WIDGET + " 1.0.0 -> 2.0.0"));
    }

    @Test
    void takesSha1WhereThereIsNoSha256AndRefusesWhereThereIsNeither() throws Exception {
        repository.publish(GROUP, ARTIFACT, "2.0.0", WIDGET, "2.0.0", widgetJar(temp, "2.0.0"));
        String path = TestRepository.jarPath(GROUP, ARTIFACT, "2.0.0");
        repository.remove(path + ".sha256");
        repository.remove(path + ".sha1");
        addRepository(Map.of());
        assertTrue(refused(WIDGET).getMessage().contains("the repository offers no checksum (neither widget-2.0.0.jar.sha256 "
                + "nor widget-2.0.0.jar.sha1), so the download cannot be verified"));

        repository.publish(GROUP, ARTIFACT, "2.0.1", WIDGET, "2.0.1", widgetJar(temp, "2.0.1"));
        repository.remove(TestRepository.jarPath(GROUP, ARTIFACT, "2.0.1") + ".sha256");
        assertTrue(running.dispatcher().execute("update", WIDGET).startsWith("updated " + WIDGET + " 1.0.0 -> 2.0.1"));
    }

    @Test
    void refusesAMisconfiguredRepositoryByName() throws Exception {
        addRepository(Map.of("url", "http://127.0.0.1:" + repository.base().getPort() + "/maven/"));
        OperationFailedException failure = refused("");
        assertTrue(failure.getMessage().contains("Maven repository test (http://127.0.0.1:" + repository.base().getPort()
                + "/maven/) is misconfigured (factory configuration " + REPOSITORY_FACTORY_PID + "): url "), failure.getMessage());
        assertTrue(failure.getMessage().contains("is not an https URL"), failure.getMessage());
        assertEquals(List.of(), repository.requests());
    }

    /** Refused, and nothing changed: the widget as installed, no other bundle, an empty staging area. */
    private OperationFailedException refused(String args) throws Exception {
        long bundles = running.context().getBundles().length;
        OperationFailedException failure = assertThrows(OperationFailedException.class,
                () -> running.dispatcher().execute("update", args));
        assertUntouched();
        assertEquals(bundles, running.context().getBundles().length);
        assertStagingEmpty();
        return failure;
    }

    private void assertUntouched() {
        assertEquals(new Version(1, 0, 0), widget.getVersion());
        assertEquals(Bundle.ACTIVE, widget.getState());
    }

    private void assertStagingEmpty() throws IOException {
        try (Stream<Path> left = Files.list(staging)) {
            assertEquals(List.of(), left.toList(), "the staging area is cleaned");
        }
    }

    private final Map<String, String> repositoryPids = new HashMap<>();

    /** A Maven repository named test at the test repository, trusting the test CA, plus {@code overrides}. */
    private void addRepository(Map<String, Object> overrides) throws Exception {
        Map<String, Object> values = new HashMap<>(Map.of(
                "name", "test",
                "url", repository.maven().toString(),
                "tls.truststore", ca.trustStore().toString(),
                ".tls.truststore.password", TestCa.PASSWORD,
                "artifacts", new String[] {WIDGET + "=" + GROUP + ":" + ARTIFACT}));
        values.putAll(overrides);
        String name = (String) values.get("name");
        repositoryPids.put(name, running.configureFactory(REPOSITORY_FACTORY_PID, values));
        await().atMost(RunningFramework.TIMEOUT).until(() -> handlerSources().contains(" " + name + " ("));
    }

    private void deleteRepository(String name) throws Exception {
        running.deleteConfiguration(repositoryPids.remove(name));
        await().atMost(RunningFramework.TIMEOUT).until(() -> !handlerSources().contains(" " + name + " ("));
    }

    /** The sources the update handler has, as it names them when asked for a bundle that is not installed. */
    private String handlerSources() {
        try {
            running.dispatcher().execute("update", "no.such.bundle");
            throw new AssertionError("update of a bundle that is not installed succeeded");
        } catch (OperationFailedException e) {
            return e.getMessage();
        }
    }

    private static Path widgetJar(Path directory, String version) throws IOException {
        Map<String, String> headers = TestJars.bundle(WIDGET, version);
        headers.put("Export-Package", WIDGET + ".api;version=\"" + version + "\"");
        return TestJars.write(directory.resolve("widget-" + version + ".jar"), headers);
    }
}
