package dev.pathpoint.distribution.hardening;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import dev.pathpoint.distribution.it.RuntimeOptions;
import dev.pathpoint.distribution.it.TestConfig;
import dev.pathpoint.mqtt.testing.Central;
import dev.pathpoint.mqtt.testing.Mosquitto;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT link in Felix with the real engine and Modbus driver, against Debian's mosquitto and a
 * pymodbus device that counts writes, under load: the broker restarted, the connection cut by a
 * relay, every document delivered twice. Each test checks section by section (see {@link MqttLoad}):
 * exactly one result per section sent, none lost, writes applied at least once and executed once per
 * document id. With {@code -Dpathpoint.soak.minutes=N} each repeats its cycle for a third of N.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MqttFaultsIT {
    private static final Logger LOG = LoggerFactory.getLogger(MqttFaultsIT.class);
    private static final int DOCUMENTS = 900;
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @Inject
    BundleContext context;
    @Inject
    ConfigurationAdmin configurationAdmin;

    private Rig rig;
    private MqttRig mqtt;
    private Mosquitto broker;
    private CountingDevice device;
    private TcpRelay relay;
    private org.osgi.service.cm.Configuration connection;
    private org.osgi.service.cm.Configuration link;
    private String gateway;
    private Central central;

    @Configuration
    public Option[] config() {
        return new Option[] {RuntimeOptions.runtime(TestConfig.copyOfDefaultConfig()),
            bundle(dev.pathpoint.distribution.it.TestBundles.mqttTesting().toUri().toString())};
    }

    @Before
    public void setUp() throws Exception {
        rig = new Rig(context, configurationAdmin);
        mqtt = new MqttRig(context, configurationAdmin);
        broker = Mosquitto.start(new Mosquitto.Options().maxInflight(100));
        device = CountingDevice.start();
        connection = rig.addConnection("counting", device.port(), String.valueOf(CountingDevice.UNIT),
                Map.of("responseTimeoutMillis", 1000, "reconnectDelayMillis", 50, "maxReconnectDelayMillis", 200));
    }

    private void linkThrough(String name, int port) throws Exception {
        gateway = name;
        link = mqtt.addLink(name, port, Map.of());
        central = new Central(broker.port(), "pathpoint", name);
    }

    @After
    public void tearDown() throws Exception {
        if (central != null) {
            central.close();
        }
        if (link != null) {
            mqtt.removeLink(link, gateway);
        }
        if (relay != null) {
            relay.close();
        }
        if (connection != null) {
            rig.removeConnection(connection, "counting");
        }
        if (device != null) {
            device.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private void awaitWithReport(String what, java.util.function.BooleanSupplier condition) {
        dev.pathpoint.distribution.it.Await.until(what, LIMIT, condition, () -> "link: " + mqtt.report(gateway));
    }

    @Test
    public void brokerRestartedUnderLoad() throws Exception {
        linkThrough("gw-broker-restart", broker.port());
        long soakEnd = Soak.until(1.0 / 3);
        int cycle = 0;
        do {
            MqttLoad load = new MqttLoad(central, "restart" + cycle, DOCUMENTS, (cycle * DOCUMENTS) % 9000);
            load.start();
            central.until("a third answered", LIMIT, () -> load.answered() >= DOCUMENTS / 3);
            broker.restart();
            load.awaitAllAnswered(LIMIT);
            int republished = load.check(device, Set.of());
            LOG.info("broker restart cycle {}: {} sections checked, {} result documents arrived twice", cycle,
                    DOCUMENTS, republished);
            cycle++;
        } while (System.nanoTime() < soakEnd);
        assertTrue("the link noticed the restart", mqtt.counter(gateway, "connectionLosses") >= cycle);
    }

    @Test
    public void connectionCutByARelayUnderLoad() throws Exception {
        relay = new TcpRelay(broker.port());
        linkThrough("gw-relay-cut", relay.port());
        long soakEnd = Soak.until(1.0 / 3);
        int cycle = 0;
        do {
            MqttLoad load = new MqttLoad(central, "cut" + cycle, DOCUMENTS, (cycle * DOCUMENTS) % 9000);
            load.start();
            awaitWithReport("a third answered", () -> load.answered() >= DOCUMENTS / 3);
            // the cable is pulled: nothing passes, then the connection is gone; documents keep coming meanwhile
            relay.blackhole(true);
            int sentAtCut = load.sent();
            awaitWithReport("documents sent during the cut", () -> load.sent() >= Math.min(DOCUMENTS, sentAtCut + 100));
            relay.dropConnections();
            relay.blackhole(false);
            awaitWithReport("every document answered", () -> load.answered() == DOCUMENTS);
            int republished = load.check(device, Set.of());
            LOG.info("relay cut cycle {}: {} sections checked, {} result documents arrived twice; link {}", cycle, DOCUMENTS,
                    republished, mqtt.report(gateway));
            cycle++;
        } while (System.nanoTime() < soakEnd);
        assertTrue("the link noticed the cut", mqtt.counter(gateway, "connectionLosses") >= cycle);
    }

    @Test
    public void everyDocumentDeliveredTwiceRunsOnce() throws Exception {
        linkThrough("gw-duplicates", broker.port());
        long soakEnd = Soak.until(1.0 / 3);
        int cycle = 0;
        long duplicates = 0;
        do {
            MqttLoad load = new MqttLoad(central, "dup" + cycle, DOCUMENTS, (cycle * DOCUMENTS) % 9000);
            load.start(2);
            load.awaitAllAnswered(LIMIT);
            // redeliveries of finished documents: still in the dedupe window
            for (int i = 0; i < 100; i++) {
                load.resend(i);
            }
            duplicates += DOCUMENTS + 100;
            long expected = duplicates;
            central.until("every duplicate dropped", LIMIT, () -> mqtt.counter(gateway, "duplicatesDropped") == expected);
            int republished = load.check(device, Set.of());
            assertEquals("no second result for a duplicate", 0, republished);
            cycle++;
        } while (System.nanoTime() < soakEnd);
    }
}
