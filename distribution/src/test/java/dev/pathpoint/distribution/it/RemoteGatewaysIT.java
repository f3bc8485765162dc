package dev.pathpoint.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.remote.GatewayPresence;
import dev.pathpoint.api.remote.RemoteExecutor;
import dev.pathpoint.api.remote.RemoteGateways;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.distribution.hardening.CountingDevice;
import dev.pathpoint.distribution.hardening.GatewayProcess;
import dev.pathpoint.mqtt.testing.Mosquitto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The central side in a Felix framework (this one, with its own engine), two gateways each in a Felix
 * of their own (the distribution's launcher in its own JVM, with the embedded simulator and an MQTT
 * link), and Debian's mosquitto between them: each gateway's executor service reaches its gateway,
 * the local engine stays the default executor, and a gateway killed with SIGKILL in the middle of a
 * load and started again answers every section, each future completing once with the gateway's real
 * result, checked section by section.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RemoteGatewaysIT {
    private static final Duration LIMIT = Duration.ofSeconds(90);

    @Inject
    BundleContext context;
    @Inject
    ConfigurationAdmin configurationAdmin;
    @Inject
    OrderExecutor localEngine;

    private Mosquitto broker;
    private final List<GatewayProcess> gateways = new ArrayList<>();
    private final List<org.osgi.service.cm.Configuration> configurations = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return new Option[] {RuntimeOptions.runtime(TestConfig.copyOfDefaultConfig()),
            bundle(TestBundles.mqttTesting().toUri().toString())};
    }

    @Before
    public void setUp() throws Exception {
        Sections.awaitDefaultDevice(localEngine);
        broker = Mosquitto.start(new Mosquitto.Options().maxInflight(200));
    }

    @After
    public void tearDown() throws Exception {
        for (org.osgi.service.cm.Configuration configuration : configurations) {
            configuration.delete();
        }
        for (GatewayProcess gateway : gateways) {
            gateway.close();
        }
        broker.close();
    }

    private GatewayProcess gateway(String id) throws Exception {
        return gateway(id, null);
    }

    private GatewayProcess gateway(String id, CountingDevice device) throws Exception {
        Path config = TestConfig.copyOfDefaultConfig();
        if (device != null) {
            Files.writeString(config.resolve("dev.pathpoint.modbus-counting.config"), String.join("\n",
                    "name=\"counting\"", "host=\"127.0.0.1\"", "port=I\"" + device.port() + "\"",
                    "unitIds=\"" + CountingDevice.UNIT + "\"", ""));
        }
        Files.writeString(config.resolve("dev.pathpoint.mqtt-central.config"), String.join("\n",
                "gatewayId=\"" + id + "\"", "host=\"127.0.0.1\"", "port=I\"" + broker.port() + "\"",
                "journalDirectory=\"" + Files.createTempDirectory("pathpoint-remote-journal") + "\"",
                "reconnectDelayMillis=I\"100\"", "maxReconnectDelayMillis=I\"1000\"", ""));
        GatewayProcess gateway = new GatewayProcess(config, Files.createTempDirectory("pathpoint-remote-storage"));
        gateway.start();
        gateways.add(gateway);
        return gateway;
    }

    private void central(String clientId, int offlineWaitSeconds, String... gatewayIds) throws Exception {
        org.osgi.service.cm.Configuration central = configurationAdmin.getFactoryConfiguration(
                "dev.pathpoint.mqtt.central", clientId, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("clientId", clientId);
        properties.put("host", "127.0.0.1");
        properties.put("port", broker.port());
        properties.put("gateways", gatewayIds);
        properties.put("offlineWaitSeconds", offlineWaitSeconds);
        properties.put("reconnectDelayMillis", 100);
        central.update(properties);
        configurations.add(central);
    }

    private <T> T service(Class<T> type, String filter) throws Exception {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, context.createFilter(
                "(&(objectClass=" + type.getName() + ")" + filter + ")"), null);
        tracker.open();
        try {
            T service = tracker.waitForService(LIMIT.toMillis());
            if (service == null) {
                throw new AssertionError("no " + type.getSimpleName() + " service " + filter + " within " + LIMIT);
            }
            return service;
        } finally {
            tracker.close();
        }
    }

    private static SectionResult run(OrderExecutor executor, Section section) throws Exception {
        executor.execute(section);
        return section.future().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static PathpointValue value(SectionResult result, int order) {
        OrderOutcome outcome = result.outcome(order);
        if (!(outcome instanceof OrderOutcome.Done done)) {
            throw new AssertionError("order " + order + " did not succeed: " + outcome);
        }
        return done.value().orElseThrow();
    }

    private static void awaitOnline(RemoteExecutor gateway) {
        Await.until(gateway.gatewayId() + " online", LIMIT, () -> gateway.presence() == GatewayPresence.ONLINE,
                () -> "presence " + gateway.presence());
    }

    @Test
    public void eachGatewaysExecutorReachesItsGatewayAndTheLocalEngineStaysTheDefault() throws Exception {
        gateway("gw-a");
        gateway("gw-b");
        central("central-it", 60, "gw-a", "gw-b");
        OrderExecutor a = service(OrderExecutor.class, "(" + RemoteGateways.GATEWAY_ID + "=gw-a)");
        RemoteExecutor b = service(RemoteExecutor.class, "(" + RemoteGateways.GATEWAY_ID + "=gw-b)");
        awaitOnline((RemoteExecutor) a);
        awaitOnline(b);

        SectionResult written = run(a, Section.of(new WriteOrder("W1r5", PathpointValue.of(4242), AdviseLevel.FORCE),
                new ReadOrder("W1r0", AdviseLevel.FORCE)));
        assertTrue(written.toString(), written.succeeded());
        assertEquals(PathpointValue.of(1200), value(written, 1));
        assertEquals(PathpointValue.of(4242), value(run(a, Section.of(new ReadOrder("W1r5", AdviseLevel.FORCE))), 0));
        assertEquals("gw-b's own simulator", PathpointValue.of(5),
                value(run(b, Section.of(new ReadOrder("W1r5", AdviseLevel.FORCE))), 0));
        assertEquals("the local engine's simulator is untouched", PathpointValue.of(5),
                value(run(localEngine, Section.of(new ReadOrder("W1r5", AdviseLevel.FORCE))), 0));

        ServiceReference<OrderExecutor> best = context.getServiceReference(OrderExecutor.class);
        assertNull("an unfiltered OrderExecutor is the local engine", best.getProperty(RemoteGateways.GATEWAY_ID));
        RemoteGateways gateways = service(RemoteGateways.class, "");
        assertTrue(gateways.forGateway("gw-a") == a);

        // a gateway that never comes: its section waits the offline wait, then fails with the reason
        central("central-short", 1);
        RemoteGateways shortWait = service(RemoteGateways.class, "(mqtt.central.client.id=central-short)");
        SectionResult absent = run(shortWait.forGateway("gw-nowhere"), Section.of(new ReadOrder("W1r0", AdviseLevel.FORCE)));
        OrderOutcome.Failed failed = (OrderOutcome.Failed) absent.outcome(0);
        assertEquals(OperationFailedReason.TIMEOUT, failed.reason());
        assertTrue(failed.message(), failed.message().startsWith("gateway gw-nowhere has not been online for"));
    }

    @Test
    public void aGatewayKilledWithSigkillInTheMiddleAnswersEverySectionOnceWithItsRealResult() throws Exception {
        try (CountingDevice device = CountingDevice.start()) {
            killAndRestart(device);
        }
    }

    /**
     * Section i writes {@code W7r<2000+i> = 30000+i} on the device outside the gateway and reads it back.
     * A section answered before the kill must not run again; one unanswered at the kill may have run
     * once before it and once after (its result was not journaled yet): at least once, at most twice.
     */
    private void killAndRestart(CountingDevice device) throws Exception {
        GatewayProcess process = gateway("gw-kill", device);
        central("central-kill", 120, "gw-kill");
        RemoteExecutor gateway = service(RemoteExecutor.class, "(" + RemoteGateways.GATEWAY_ID + "=gw-kill)");
        awaitOnline(gateway);
        int count = 600;
        List<Section> sections = new ArrayList<>();
        AtomicInteger completions = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            String path = "W" + CountingDevice.UNIT + "r" + (2000 + i);
            Section section = Section.of(new WriteOrder(path, PathpointValue.of(30000 + i), AdviseLevel.FORCE),
                    new ReadOrder(path, AdviseLevel.FORCE));
            section.future().whenComplete((result, failure) -> completions.incrementAndGet());
            sections.add(section);
        }
        gateway.execute(sections);
        Await.until("a third answered", LIMIT, () -> completions.get() >= count / 3, () -> completions + " answered");
        process.kill();
        boolean[] answeredBeforeKill = new boolean[count];
        for (int i = 0; i < count; i++) {
            answeredBeforeKill[i] = sections.get(i).future().isDone();
        }
        Await.until("the will: offline", LIMIT, () -> gateway.presence() == GatewayPresence.OFFLINE,
                () -> "presence " + gateway.presence());
        process.start();
        Map<String, Integer> writes = null;
        List<String> problems = new ArrayList<>();
        int rerun = 0;
        for (int i = 0; i < count; i++) {
            SectionResult result;
            try {
                result = sections.get(i).future().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("section " + i + " has no result; gateway output:\n" + process.output(), e);
            }
            if (!result.succeeded() || !value(result, 1).equals(PathpointValue.of(30000 + i))) {
                problems.add("section " + i + ": " + result);
                continue;
            }
            if (writes == null) {
                writes = device.writes();
            }
        }
        writes = device.writes();
        for (int i = 0; i < count; i++) {
            int written = writes.getOrDefault((2000 + i) + " " + (30000 + i), 0);
            int allowed = answeredBeforeKill[i] ? 1 : 2;
            rerun += written > 1 ? 1 : 0;
            if (written < 1 || written > allowed) {
                problems.add("section " + i + ": written " + written + " times at the device, expected "
                        + (allowed == 1 ? "exactly once (answered before the kill)" : "once or twice"));
            }
        }
        assertTrue(problems.size() + " sections failed the checks, first: "
                + problems.subList(0, Math.min(10, problems.size())), problems.isEmpty());
        assertEquals("every future completed once", count, completions.get());
        long before = 0;
        for (boolean answered : answeredBeforeKill) {
            before += answered ? 1 : 0;
        }
        System.out.println("RemoteGatewaysIT: " + count + " sections checked, " + before + " answered before the kill,"
                + " every one answered once after the restart, " + rerun + " written twice (in flight at the kill); "
                + gateway.statistics());
    }
}
