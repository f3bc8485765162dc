package dev.pathpoint.mqtt.internal.link;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.mqtt.internal.LinkConfigs;
import dev.pathpoint.mqtt.testing.Mosquitto;
import dev.pathpoint.mqtt.testing.Pki;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials and TLS against a real mosquitto, with a certificate authority made by the test. */
class LinkSecurityTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static Path pkiDir;
    private static Pki pki;
    private static Pki strangers;
    private static Mosquitto broker;

    @TempDir
    Path journal;
    private final ScriptedExecutor executor = new ScriptedExecutor();
    private Link link;

    @BeforeAll
    static void startBroker() throws Exception {
        pkiDir = java.nio.file.Files.createTempDirectory("pathpoint-pki");
        pki = Pki.create(pkiDir.resolve("ours"));
        strangers = Pki.create(pkiDir.resolve("theirs"));
        broker = Mosquitto.start(new Mosquitto.Options().credentials("gateway", "s3cret").tls(pki, true));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @AfterEach
    void stop() {
        if (link != null) {
            link.close();
        }
        executor.shutdown();
    }

    private Link start(Map<String, Object> values) throws Exception {
        Map<String, Object> all = new HashMap<>(Map.of("gatewayId", "gw-secure", "host", "127.0.0.1",
                "journalDirectory", journal.toString(), "reconnectDelayMillis", 100, "maxReconnectDelayMillis", 500));
        all.putAll(values);
        link = new Link(LinkSettings.from(LinkConfigs.of(all), journal), "test", executor, Clock.systemUTC());
        link.start();
        return link;
    }

    @Test
    void rightCredentialsConnect() throws Exception {
        start(Map.of("port", broker.port(), "username", "gateway", "password", "s3cret"));
        await().atMost(LIMIT).until(link::isConnected);
    }

    @Test
    void wrongCredentialsAreRefusedWithAClearStateAndRetried() throws Exception {
        start(Map.of("port", broker.port(), "username", "gateway", "password", "wrong"));
        await("refused: " + link.report()).atMost(LIMIT).until(() -> link.report().state() == ConnectionState.BACKING_OFF
                && link.report().problem().orElse("").contains("refused"));
        String problem = link.report().problem().orElseThrow();
        assertTrue(problem.contains("credentials") || problem.contains("not authorized"), problem);
        assertTrue(link.report().nextAttempt().isPresent());
        // it keeps trying with backoff: a second attempt fails the same way
        long before = link.report().since().toEpochMilli();
        await().atMost(LIMIT).until(() -> link.report().state() == ConnectionState.BACKING_OFF);
        assertTrue(link.report().since().toEpochMilli() >= before);
    }

    @Test
    void mutualTlsWithTheTestCaConnects() throws Exception {
        start(Map.of("port", broker.tlsPort(), "tls", true, "username", "gateway", "password", "s3cret",
                "tlsTrustStore", pki.caCertificate().toString(),
                "tlsKeyStore", pki.clientKeyStore().toString(), "tlsKeyStorePassword", Pki.PASSWORD));
        await("TLS: " + link.report()).atMost(LIMIT).until(link::isConnected);
        assertEquals("mqtts://127.0.0.1:" + broker.tlsPort(), link.report().endpoint());
    }

    @Test
    void withoutAClientCertificateTheBrokerRefusesTheHandshake() throws Exception {
        start(Map.of("port", broker.tlsPort(), "tls", true, "username", "gateway", "password", "s3cret",
                "tlsTrustStore", pki.caCertificate().toString()));
        await("refused: " + link.report()).atMost(LIMIT).until(() -> link.report().state() == ConnectionState.BACKING_OFF);
    }

    @Test
    void aBrokerCertificateFromAnUnknownCaIsNotTrusted() throws Exception {
        start(Map.of("port", broker.tlsPort(), "tls", true, "username", "gateway", "password", "s3cret",
                "tlsTrustStore", strangers.caCertificate().toString(),
                "tlsKeyStore", pki.clientKeyStore().toString(), "tlsKeyStorePassword", Pki.PASSWORD));
        await("untrusted: " + link.report()).atMost(LIMIT).until(() -> link.report().state() == ConnectionState.BACKING_OFF
                && link.report().problem().orElse("").contains("TLS"));
    }

    @Test
    void aMissingOrWrongStoreIsNamed() {
        Map<String, Object> values = new HashMap<>(Map.of("gatewayId", "gw-secure", "host", "127.0.0.1", "port", 1,
                "journalDirectory", journal.toString(), "tls", true, "tlsTrustStore", "/nonexistent/ca.pem"));
        Link missing = new Link(LinkSettings.from(LinkConfigs.of(values), journal), "test", executor, Clock.systemUTC());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, missing::start);
        assertTrue(e.getMessage().contains("tlsTrustStore /nonexistent/ca.pem"), e.getMessage());
        values.put("tlsTrustStore", pki.caCertificate().toString());
        values.put("tlsKeyStore", pki.clientKeyStore().toString());
        values.put("tlsKeyStorePassword", "not the password");
        Link wrong = new Link(LinkSettings.from(LinkConfigs.of(values), journal), "test", executor, Clock.systemUTC());
        e = assertThrows(IllegalArgumentException.class, wrong::start);
        assertTrue(e.getMessage().contains("tlsKeyStore"), e.getMessage());
    }
}
