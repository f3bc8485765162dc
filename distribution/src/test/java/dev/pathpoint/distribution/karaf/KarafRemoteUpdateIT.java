package dev.pathpoint.distribution.karaf;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;

import dev.pathpoint.distribution.it.BundleJars;
import dev.pathpoint.sysctl.testsupport.TestCa;
import dev.pathpoint.sysctl.testsupport.TestRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.osgi.framework.Version;

/**
 * In a real Karaf with the {@code pathpoint-simulator} feature, the {@code update} sysctl downloads a
 * newer Modbus bundle from an HTTPS Maven repository (on loopback, with a CA made for the run) while
 * reads are queued before and after it in the same document: the bundle moves, and every read
 * answers.
 */
public class KarafRemoteUpdateIT {
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration COMMAND = Duration.ofSeconds(120);
    private static final String MODBUS = "dev.pathpoint.modbus";
    private static final int READS_BEFORE = 400;
    private static final int READS_AFTER = 400;

    private static KarafInstance karaf;
    private static TestRepository repository;
    private static String newer;

    @BeforeClass
    public static void startRepositoryAndKaraf() throws IOException {
        Path target = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target");
        Path localRepository = Paths.get(System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository"));
        String version = KarafFeatureIT.BuildLayout.projectVersion(target);
        Path buildRepository = KarafFeatureIT.BuildLayout.repositoryWithFeatures(target, version);

        Path work = Files.createDirectories(target.resolve("karaf-remote-update"));
        TestCa ca = TestCa.create(Files.createTempDirectory(work, "ca"));
        repository = TestRepository.start(ca);
        Path installed = buildRepository.resolve("dev/pathpoint/" + MODBUS + "/" + version + "/" + MODBUS + "-" + version + ".jar");
        newer = publishNewer(installed, work);

        karaf = KarafInstance.freshCopy(KarafFeatureIT.BuildLayout.karafDistribution(target), target.resolve("karaf-it-update"),
                version, buildRepository, localRepository);
        Files.writeString(karaf.home().resolve("etc/dev.pathpoint.sysctl.update.repository-remote.cfg"), String.join("\n",
                "name = remote",
                "url = " + repository.maven(),
                "tls.truststore = " + ca.trustStore(),
                ".tls.truststore.password = " + TestCa.PASSWORD,
                ""));
        karaf.start(STARTUP);
    }

    @AfterClass
    public static void stop() {
        if (karaf != null) {
            karaf.stop();
        }
        if (repository != null) {
            repository.close();
        }
    }

    @Test
    public void updatesTheModbusBundleFromTheRemoteRepositoryWhileReadsGoOn() throws IOException {
        String version = karaf.projectVersion();
        karaf.execute(COMMAND,
                "feature:repo-add mvn:dev.pathpoint/dev.pathpoint.distribution/" + version + "/xml/features",
                "feature:install pathpoint-simulator");
        karaf.awaitOutput(COMMAND, "done = 1200", "echo (pathpoint:read W1r0)");
        karaf.awaitOutput(COMMAND, "Maven repository remote (", "echo (pathpoint:sysctl update no.such.bundle)");

        // reads queued before and after the update in one document: they run while the driver is swapped
        Path document = karaf.home().resolve("remote-update-under-load.json");
        List<String> sections = new ArrayList<>();
        for (int i = 0; i < READS_BEFORE; i++) {
            sections.add(read(i));
        }
        sections.add("{\"orders\": [{\"type\": \"sysctl\", \"op_type\": \"update\", \"op_args\": \"" + MODBUS + "\"}],"
                + " \"disposition\": 0}");
        for (int i = 0; i < READS_AFTER; i++) {
            sections.add(read(i));
        }
        Files.writeString(document, "[" + String.join(",\n", sections) + "]");

        String output = karaf.execute(COMMAND, "echo (pathpoint:exec " + document + ")");

        List<String> results = output.lines().filter(line -> line.startsWith("{\"succeeded\"")).toList();
        assertEquals("one result per section: " + output, READS_BEFORE + 1 + READS_AFTER, results.size());
        String update = results.get(READS_BEFORE);
        assertThat(update, containsString("\"succeeded\":true"));
        assertThat(update, containsString(MODBUS + " "));
        assertThat(update, containsString(" -> " + newer + "; wiring refreshed; downloaded dev.pathpoint:" + MODBUS + ":"
                + newer + " ("));
        List<String> lost = results.stream().filter(result -> !result.contains("\"status\":\"done\"")).toList();
        assertEquals("reads that did not answer: " + lost, List.of(), lost);
        for (int i = 0; i < results.size(); i++) {
            if (i != READS_BEFORE) {
                int register = (i < READS_BEFORE ? i : i - READS_BEFORE - 1) % 3;
                assertThat("section " + i, results.get(i), containsString("\"value\":" + (register == 0 ? 1200 : register)));
            }
        }
        assertThat(karaf.execute(COMMAND, "bundle:list -s " + MODBUS), containsString(newer));
    }

    /** A FORCE read of one of the simulator's first registers (1200, 1, 2). */
    private static String read(int i) {
        return "{\"orders\": [{\"type\": \"read\", \"path\": \"W1r" + (i % 3) + "\", \"advise\": 1}], \"disposition\": 0}";
    }

    /** The Modbus bundle of this build one micro version higher, in the test repository. */
    private static String publishNewer(Path installed, Path work) throws IOException {
        Version current;
        try (JarFile jar = new JarFile(installed.toFile())) {
            current = Version.parseVersion(jar.getManifest().getMainAttributes().getValue("Bundle-Version"));
        }
        String version = new Version(current.getMajor(), current.getMinor(), current.getMicro() + 1).toString();
        Path copy = BundleJars.withVersion(installed.toUri().toURL(), version, work.resolve(MODBUS + "-" + version + ".jar"));
        repository.publish("dev.pathpoint", MODBUS, version, MODBUS, version, copy);
        return version;
    }
}
