package dev.pathpoint.distribution.karaf;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;

import dev.pathpoint.mqtt.testing.Central;
import dev.pathpoint.mqtt.testing.Mosquitto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.regex.Pattern;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * The attached Karaf feature in a real Apache Karaf 4.4: {@code feature:repo-add} of the
 * {@code mvn:dev.pathpoint/dev.pathpoint.distribution/VERSION/xml/features} URL, then
 * {@code feature:install pathpoint-simulator}, then Pathpoint's shell commands over Karaf's SSH console.
 *
 * <p>The Karaf is a fresh copy of the distribution unpacked by the build (target/karaf-dist), started as
 * a separate process and resolving Maven URLs offline: first from this build's bundles
 * (target/karaf-repo, with the generated features XML), then from the local Maven repository, into
 * which {@code karaf:verify} fetched the Karaf features' own bundles.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING) // the MQTT test installs the simulator feature the first one expects absent
public class KarafFeatureIT {
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration COMMAND = Duration.ofSeconds(60);

    private static KarafInstance karaf;

    @BeforeClass
    public static void startKaraf() throws IOException {
        Path target = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target");
        Path localRepository = Paths.get(System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository"));
        String version = BuildLayout.projectVersion(target);
        Path buildRepository = BuildLayout.repositoryWithFeatures(target, version);
        karaf = KarafInstance.freshCopy(BuildLayout.karafDistribution(target), target.resolve("karaf-it"),
                version, buildRepository, localRepository);
        karaf.start(STARTUP);
    }

    @AfterClass
    public static void stopKaraf() {
        if (karaf != null) {
            karaf.stop();
        }
    }

    @Test
    public void featuresInstallAndTheSimulatorAnswersThroughTheShell() {
        String version = karaf.projectVersion();
        // the production feature: the runtime, no device configured
        String installed = karaf.execute(COMMAND,
                "feature:repo-add mvn:dev.pathpoint/dev.pathpoint.distribution/" + version + "/xml/features",
                "feature:install pathpoint",
                "feature:list -i -o");
        assertThat(installed, matchesInstalled("pathpoint"));
        // a command's result is printed by the interactive console only; in batch mode echo prints it
        karaf.awaitOutput(COMMAND, "no drivers registered", "echo (pathpoint:drivers)");
        String unserved = karaf.execute(COMMAND, "echo (pathpoint:read W1r0 advise)");
        assertThat(unserved, containsString("read W1r0 (ADVISE): failed NO_DRIVER"));

        // the simulator feature adds the configuration: the simulator on 5020 and a connection to it
        installed = karaf.execute(COMMAND, "feature:install pathpoint-simulator", "feature:list -i -o");
        assertThat(installed, matchesInstalled("pathpoint-simulator"));
        String firstRead = karaf.awaitOutput(COMMAND, "done = 1200", "echo (pathpoint:read W1r0)");
        assertThat(firstRead, containsString("read W1r0 (FORCE): done = 1200"));

        String roundTrip = karaf.execute(COMMAND,
                "echo (pathpoint:write W1r5 77)",
                "echo (pathpoint:read W1r5)",
                "echo (pathpoint:drivers)");
        assertThat(roundTrip, containsString("write W1r5 = 77 (FORCE): done = 77"));
        assertThat(roundTrip, containsString("read W1r5 (FORCE): done = 77"));
        assertThat(roundTrip, containsString("simulator"));

        // the bundles log through SLF4J into Karaf's pax-logging
        assertThat(karaf.log(), containsString("Modbus simulator listening on 127.0.0.1:5020"));
    }

    @Test
    public void aFailingCommandFailsTheBatch() {
        KarafInstance.Result result = karaf.run(COMMAND, "pathpoint:no-such-command", "echo not-reached");
        assertEquals("exit code of " + result, 1, result.exitCode());
        assertThat(result.output(), containsString("Command not found"));
        assertThat(result.output(), not(containsString("not-reached")));
    }

    @Test
    public void theMqttLinkRunsInKarafAgainstMosquitto() throws Exception {
        try (Mosquitto broker = Mosquitto.start()) {
            String version = karaf.projectVersion();
            String installed = karaf.execute(COMMAND,
                    "feature:repo-add mvn:dev.pathpoint/dev.pathpoint.distribution/" + version + "/xml/features",
                    "feature:install pathpoint-simulator pathpoint-mqtt",
                    "feature:list -i -o");
            assertThat(installed, matchesInstalled("pathpoint-mqtt"));
            // the production way: one file per link in etc/
            Files.writeString(karaf.home().resolve("etc/dev.pathpoint.mqtt-central.cfg"), String.join("\n",
                    "gatewayId = gw-karaf", "host = 127.0.0.1", "port = " + broker.port(), ""));
            String links = karaf.awaitOutput(COMMAND, "CONNECTED", "echo (pathpoint:links)");
            assertThat(links, containsString("link gw-karaf -> mqtt://127.0.0.1:" + broker.port()));
            Central central = new Central(broker.port(), "pathpoint", "gw-karaf");
            try {
                central.request("karaf-1", "{\"orders\":[{\"type\":\"read\",\"path\":\"W1r0\",\"advise\":1}]}");
                String result = central.awaitResult("karaf-1", COMMAND).payload();
                assertThat(result, containsString("\"value\":1200"));
            } finally {
                central.close();
            }
            assertThat(karaf.execute(COMMAND, "echo (pathpoint:links)"), containsString("resultsAcknowledged=1"));
            assertThat(karaf.log(), containsString("Link gw-karaf connected"));
        }
    }

    /** A row of {@code feature:list -i -o}: the feature of this build, started. */
    private static Matcher<String> matchesInstalled(String feature) {
        Pattern row = Pattern.compile("(?m)^" + Pattern.quote(feature) + "\\s*\\|\\s*"
                + Pattern.quote(karaf.projectVersion().replace('-', '.')) + "\\s*\\|[^|]*\\|\\s*Started\\s*\\|");
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(String output) {
                return row.matcher(output).find();
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a feature list row matching ").appendValue(row.pattern());
            }
        };
    }

    /** Where the build put what this test needs. */
    static final class BuildLayout {
        private static final Pattern REPOSITORY_NAME = Pattern.compile("<features[^>]*\\sname=\"pathpoint-([^\"]+)\"");

        private BuildLayout() {
        }

        static Path karafDistribution(Path target) throws IOException {
            Path dist = target.resolve("karaf-dist");
            try (var dirs = Files.list(dist)) {
                return dirs.filter(dir -> dir.getFileName().toString().startsWith("apache-karaf-")).findFirst()
                        .orElseThrow(() -> new IOException("no apache-karaf-* in " + dist
                                + ": the dependency plugin's karaf-dist execution unpacks it in the package phase"));
            }
        }

        /** The version of this build, as the generated features XML names its repository: pathpoint-VERSION. */
        static String projectVersion(Path target) throws IOException {
            Path features = target.resolve("feature/feature.xml");
            if (!Files.isRegularFile(features)) {
                throw new IOException(features + " is missing: karaf-maven-plugin generates it");
            }
            java.util.regex.Matcher name = REPOSITORY_NAME.matcher(Files.readString(features));
            if (!name.find()) {
                throw new IOException("no <features name=\"pathpoint-VERSION\"> in " + features);
            }
            return name.group(1);
        }

        /**
         * The build's bundles in repository layout, plus the generated features XML where
         * {@code mvn:dev.pathpoint/dev.pathpoint.distribution/VERSION/xml/features} points.
         */
        static Path repositoryWithFeatures(Path target, String version) throws IOException {
            Path features = target.resolve("feature/feature.xml");
            Path repo = target.resolve("karaf-repo");
            Path dir = repo.resolve("dev/pathpoint/dev.pathpoint.distribution/" + version);
            Files.createDirectories(dir);
            Files.copy(features, dir.resolve("dev.pathpoint.distribution-" + version + "-features.xml"),
                    StandardCopyOption.REPLACE_EXISTING);
            return repo;
        }
    }
}
