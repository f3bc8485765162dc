package dev.pathpoint.distribution.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.distribution.hardening.GatewayProcess;
import dev.pathpoint.distribution.it.TestConfig;
import dev.pathpoint.mqtt.testing.Mosquitto;
import dev.pathpoint.mqtt.testing.Pki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@code distribution/pathpoint-remote}, the real script, against Debian's mosquitto (credentials, a TLS
 * listener that demands a client certificate of a CA made in the test) and a gateway (the
 * distribution's launcher in a process of its own, with its embedded simulator): the same result
 * lines and exit statuses as {@code pathpoint --exec} runs locally on the same file.
 */
public class RemoteToolIT {
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final String GATEWAY = "gw-tool";
    private static final String USER = "operator";
    private static final String PASSWORD = "s3cret";
    private static Mosquitto broker;
    private static Pki pki;
    private static GatewayProcess gateway;
    private static Path config;

    @BeforeClass
    public static void start() throws Exception {
        pki = Pki.create(Files.createTempDirectory("pathpoint-tool-pki"));
        broker = Mosquitto.start(new Mosquitto.Options().credentials(USER, PASSWORD).tls(pki, true));
        config = TestConfig.copyOfDefaultConfig();
        Path gatewayConfig = Files.createTempDirectory("pathpoint-tool-gateway");
        for (Path file : Files.list(config).toList()) {
            Files.copy(file, gatewayConfig.resolve(file.getFileName()));
        }
        Files.writeString(gatewayConfig.resolve("dev.pathpoint.mqtt-central.config"), String.join("\n",
                "gatewayId=\"" + GATEWAY + "\"", "host=\"127.0.0.1\"", "port=I\"" + broker.port() + "\"",
                "username=\"" + USER + "\"", "password=\"" + PASSWORD + "\"",
                "journalDirectory=\"" + Files.createTempDirectory("pathpoint-tool-journal") + "\"", ""));
        gateway = new GatewayProcess(gatewayConfig, Files.createTempDirectory("pathpoint-tool-storage"));
        gateway.start();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static Path file(String json) throws Exception {
        Path file = Files.createTempFile("pathpoint-tool", ".json");
        Files.writeString(file, json);
        return file;
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run remote(String... arguments) throws Exception {
        try (RuntimeProcess process = RuntimeProcess.startRuntimeScript("pathpoint-remote", List.of(arguments))) {
            int exit = process.awaitExit(LIMIT);
            return new Run(exit, process.stdout(), process.stderr());
        }
    }

    private static Run remoteTls(Path sections, String password) throws Exception {
        return remoteTls(sections, password, 60);
    }

    private static Run remoteTls(Path sections, String password, int offlineWait) throws Exception {
        return remote("--broker", "mqtts://localhost:" + broker.tlsPort(), "--gateway", GATEWAY, "--exec", sections.toString(),
                "--trust-store", pki.caCertificate().toString(), "--key-store", pki.clientKeyStore().toString(),
                "--key-store-password", Pki.PASSWORD, "--username", USER, "--password", password, "--offline-wait", Integer.toString(offlineWait));
    }

    private static Run local(Path sections) throws Exception {
        try (RuntimeProcess process = RuntimeProcess.start("--config", config.toString(), "--exec", sections.toString())) {
            int exit = process.awaitExit(LIMIT);
            return new Run(exit, process.stdout(), process.stderr());
        }
    }

    @Test
    public void printsTheSameResultLinesAndExitStatusesAsALocalExec() throws Exception {
        Path good = file("[{\"orders\":[{\"type\":\"read\",\"path\":\"W1r0\",\"advise\":1},"
                + "{\"type\":\"read\",\"path\":\"f1r100\",\"advise\":1}]},"
                + "{\"orders\":[{\"type\":\"write\",\"path\":\"W1r7\",\"value\":77,\"advise\":1},"
                + "{\"type\":\"read\",\"path\":\"W1r7\",\"advise\":1}],\"disposition\":1},"
                + "{\"orders\":[{\"type\":\"wait\",\"time\":0.05}]}]");
        Run remote = remoteTls(good, PASSWORD);
        Run local = local(good);
        assertEquals(remote.stderr(), 0, remote.exit());
        assertEquals(local.exit(), remote.exit());
        assertEquals(local.stdout(), remote.stdout());
        assertEquals(3, remote.stdout().lines().count());
        assertTrue(remote.stdout(), remote.stdout().contains("\"value\":1200"));

        Path someFail = file("[{\"orders\":[{\"type\":\"read\",\"path\":\"W1r0\",\"advise\":0}]},"
                + "{\"orders\":[{\"type\":\"read\",\"path\":\"W1r60000\",\"advise\":0}]}]");
        Run failing = remoteTls(someFail, PASSWORD);
        Run failingLocally = local(someFail);
        assertEquals(failing.stderr(), 1, failing.exit());
        assertEquals(failingLocally.exit(), failing.exit());
        assertEquals(failingLocally.stdout(), failing.stdout());
    }

    @Test
    public void whatCannotBeRunExitsTwoWithTheReason() throws Exception {
        Run bad = remoteTls(file("{\"orders\":[{\"type\":\"read\",\"path\":\"W1r0\",\"advise\":5}]}"), PASSWORD);
        assertEquals(2, bad.exit());
        assertTrue(bad.stderr(), bad.stderr().contains("$.orders[0].advise: expected 0 (ADVISE) or 1 (FORCE)"));
        assertEquals("", bad.stdout());

        Path one = file("{\"orders\":[{\"type\":\"read\",\"path\":\"W1r0\",\"advise\":1}]}");
        Run refused = remoteTls(one, "wrong", 2);
        assertEquals(2, refused.exit());
        assertTrue(refused.stderr(), refused.stderr().contains("cannot connect to the broker mqtts://localhost:"
                + broker.tlsPort()));
        assertTrue(refused.stderr(), refused.stderr().contains("nothing was sent"));

        Run absent = remote("--broker", "mqtts://localhost:" + broker.tlsPort(), "--gateway", "gw-absent", "--exec",
                one.toString(), "--trust-store", pki.caCertificate().toString(), "--key-store",
                pki.clientKeyStore().toString(), "--key-store-password", Pki.PASSWORD, "--username", USER, "--password",
                PASSWORD, "--offline-wait", "2");
        assertEquals(2, absent.exit());
        assertTrue(absent.stderr(), absent.stderr().contains("gateway gw-absent is not online (no status on "
                + "pathpoint/gw-absent/status"));
    }

    @Test
    public void aBadCommandLineExits64AndHelpExitsZero() throws Exception {
        Run missing = remote("--broker", "mqtt://127.0.0.1:1", "--exec", "/nonexistent.json");
        assertEquals(64, missing.exit());
        assertTrue(missing.stderr(), missing.stderr().contains("--exec /nonexistent.json: not a readable file"));
        List<String> wrongBroker = new ArrayList<>(List.of("--broker", "http://x", "--gateway", "g", "--exec",
                file("[]").toString()));
        Run scheme = remote(wrongBroker.toArray(String[]::new));
        assertEquals(64, scheme.exit());
        assertTrue(scheme.stderr(), scheme.stderr().contains("--broker http://x: expected mqtt://HOST[:PORT]"));
        Run help = remote("--help");
        assertEquals(0, help.exit());
        assertTrue(help.stdout(), help.stdout().startsWith("usage: pathpoint-remote --broker URL --gateway ID --exec"));
    }
}
