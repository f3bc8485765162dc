package dev.pathpoint.distribution.hardening;

import static org.junit.Assert.assertTrue;

import dev.pathpoint.distribution.it.TestConfig;
import dev.pathpoint.mqtt.testing.Central;
import dev.pathpoint.mqtt.testing.Mosquitto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * kill -9 of the gateway JVM under load, then a restart on the same journal: every section sent gets
 * exactly one result (a result published again after the restart is the same document), none is
 * lost, every write reaches the device at least once, and a document whose result had come back
 * before the kill is not executed again (the device's own write count). The gateway is the
 * distribution's launcher in a process of its own, with Debian's mosquitto and a pymodbus device
 * that outlive it. With {@code -Dpathpoint.soak.minutes=N} the kill cycle repeats for a third of N.
 */
public class GatewayCrashIT {
    private static final int DOCUMENTS = 1200;
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final String GATEWAY = "gw-crash";

    private Mosquitto broker;
    private CountingDevice device;
    private Central central;
    private GatewayProcess gateway;

    @Before
    public void setUp() throws Exception {
        broker = Mosquitto.start(new Mosquitto.Options().maxInflight(100));
        device = CountingDevice.start();
        Path config = TestConfig.copyOfDefaultConfig();
        Files.writeString(config.resolve("dev.pathpoint.modbus-counting.config"), String.join("\n",
                "name=\"counting\"", "host=\"127.0.0.1\"", "port=I\"" + device.port() + "\"",
                "unitIds=\"" + CountingDevice.UNIT + "\"", ""));
        Path journal = Files.createTempDirectory("pathpoint-crash-journal");
        Files.writeString(config.resolve("dev.pathpoint.mqtt-central.config"), String.join("\n",
                "gatewayId=\"" + GATEWAY + "\"", "host=\"127.0.0.1\"", "port=I\"" + broker.port() + "\"",
                "journalDirectory=\"" + journal + "\"", "reconnectDelayMillis=I\"100\"",
                "maxReconnectDelayMillis=I\"1000\"", ""));
        central = new Central(broker.port(), "pathpoint", GATEWAY);
        gateway = new GatewayProcess(config, Files.createTempDirectory("pathpoint-crash-storage"));
    }

    @After
    public void tearDown() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (central != null) {
            central.close();
        }
        if (device != null) {
            device.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private void awaitOnline(int times) {
        central.until("the gateway online (" + times + ")", LIMIT, () -> central.on(central.topic("status")).stream()
                .filter(status -> status.payload().equals("online")).count() >= times);
    }

    @Test
    public void killedWithSigkillUnderLoadAndRestarted() throws Exception {
        gateway.start();
        awaitOnline(1);
        long soakEnd = Soak.until(1.0 / 3);
        int cycle = 0;
        do {
            MqttLoad load = new MqttLoad(central, "crash" + cycle, DOCUMENTS, (cycle * DOCUMENTS) % 8000);
            load.start();
            central.until("a third answered", LIMIT, () -> load.answered() >= DOCUMENTS / 3);
            gateway.kill();
            // documents answered before the kill must not run again; the others may have been in flight
            Set<String> inFlight = load.unanswered();
            central.until("the will: offline", LIMIT, () -> central.on(central.topic("status")).stream()
                    .anyMatch(status -> status.payload().equals("offline")));
            gateway.start();
            awaitOnline(cycle + 2);
            try {
                load.awaitAllAnswered(LIMIT);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\ngateway output:\n" + tail(gateway.output()), e);
            }
            int republished = load.check(device, inFlight);
            System.out.println("kill -9 cycle " + cycle + ": " + DOCUMENTS + " sections checked, " + inFlight.size()
                    + " unanswered at the kill, " + republished + " result documents arrived twice");
            cycle++;
        } while (System.nanoTime() < soakEnd);
        assertTrue(gateway.alive());
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }
}
