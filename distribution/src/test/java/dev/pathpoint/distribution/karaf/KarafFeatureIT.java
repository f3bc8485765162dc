package dev.pathpoint.distribution.karaf;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

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
@FixMethodOrder(MethodSorters.NAME_ASCENDING) // one Karaf for all: the fresh-install test first (by its name)
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
    public void aFreshKarafInstallsTheFeaturesAndTheSimulatorAnswersThroughTheShell() {
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

    /** Installs the simulator feature (again: the tests run in any order) and waits until it answers. */
    private static void simulatorAnswers() {
        karaf.execute(COMMAND,
                "feature:repo-add mvn:dev.pathpoint/dev.pathpoint.distribution/" + karaf.projectVersion() + "/xml/features",
                "feature:install pathpoint-simulator");
        karaf.awaitOutput(COMMAND, "done = 1200", "echo (pathpoint:read W1r0)");
    }

    @Test
    public void commandsAnswerDashDashHelpAndMissingArgumentsWithTheirUsage() {
        simulatorAnswers();
        // Karaf hands --help to the command: it must not be read as a pathpoint name
        String help = karaf.execute(COMMAND, "echo (pathpoint:read --help)");
        assertThat(help, containsString("pathpoint:read - reads a pathpoint and prints its value, or why the read failed"));
        assertThat(help, containsString("usage: pathpoint:read <pathpoint> [<advise>]"));
        assertThat(help, not(containsString("NO_DRIVER")));
        assertThat(karaf.execute(COMMAND, "echo (pathpoint:write W1r0)"),
                containsString("usage: pathpoint:write <pathpoint> <value> [<advise>]"));
    }

    /** The README's recipe for a new connection in Karaf's console, and for editing it again. */
    @Test
    public void configEditFactoryAliasMakesAConnectionThatCanBeEditedAgain() {
        simulatorAnswers();
        karaf.execute(COMMAND,
                "config:edit --factory --alias plc2 dev.pathpoint.modbus",
                "config:property-set name plc2",
                "config:property-set host 127.0.0.1",
                "config:property-set port 5020",
                "config:property-set unitIds 2",
                "config:update");
        karaf.awaitOutput(COMMAND, "[BWwfdu](?:2)[ricd].*", "echo (pathpoint:drivers)");

        // editing it again: Karaf gave it a generated PID, found by its file
        String listed = karaf.execute(COMMAND, "config:list '(felix.fileinstall.filename=*/dev.pathpoint.modbus-plc2.cfg)'");
        java.util.regex.Matcher pid = Pattern.compile("(?m)^Pid:\\s+(dev\\.pathpoint\\.modbus\\.\\S+)").matcher(listed);
        assertTrue("a generated PID in: " + listed, pid.find());
        karaf.execute(COMMAND,
                "config:edit " + pid.group(1),
                "config:property-set unitIds 3",
                "config:update");
        karaf.awaitOutput(COMMAND, "[BWwfdu](?:3)[ricd].*", "echo (pathpoint:drivers)");
        String drivers = karaf.execute(COMMAND, "echo (pathpoint:drivers)");
        assertThat("the same connection changed, no second one", drivers, not(containsString("(?:2)")));
        karaf.execute(COMMAND, "config:delete " + pid.group(1));
        karaf.awaitOutput(COMMAND, "simulator", "echo (pathpoint:drivers)");
    }

    /**
     * {@code reboot} restarts Karaf the way Karaf restarts itself (a system bundle update hung it: its
     * launcher set the start level before Felix could take it). Only Karaf's own relaunch registers
     * its ServerInfo service again, so its presence tells which way the restart went.
     */
    @Test
    public void rebootRestartsKarafAndTheRuntimeAnswersAgain() {
        simulatorAnswers();
        int started = occurrences(karaf.log(), "Pathpoint engine started");
        assertThat(karaf.execute(COMMAND, "echo (pathpoint:sysctl reboot)"), containsString("framework restart scheduled"));
        await("Karaf restarted").atMost(STARTUP).pollInterval(Duration.ofMillis(500))
                .until(() -> occurrences(karaf.log(), "Pathpoint engine started") > started);
        String read = karaf.awaitOutput(STARTUP, "done = 1200", "echo (pathpoint:read W1r0)");
        assertThat(read, containsString("read W1r0 (FORCE): done = 1200"));
        assertThat(karaf.execute(COMMAND, "service:list org.apache.karaf.info.ServerInfo"),
                containsString("org.apache.karaf.info.ServerInfo"));
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
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
