package dev.pathpoint.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pathpoint.api.connection.ConnectionMonitor;
import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.mqtt.testing.Central;
import dev.pathpoint.mqtt.testing.Mosquitto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The MQTT link in the distribution's Felix: the HiveMQ client and what it imports resolve, a link
 * configured through Config Admin talks to Debian's mosquitto, sections reach the embedded Modbus
 * simulator through the real engine, and messages, BAOB events, values, the shell command, live
 * configuration changes and misconfiguration behave as the README says.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MqttLinkIT {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Inject
    BundleContext context;
    @Inject
    ConfigurationAdmin configurationAdmin;
    @Inject
    OrderExecutor executor;
    @Inject
    CommandProcessor commands;

    private Mosquitto broker;
    private Central central;
    private final List<org.osgi.service.cm.Configuration> links = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return new Option[] {RuntimeOptions.runtime(TestConfig.copyOfDefaultConfig()),
            bundle(TestBundles.mqttTesting().toUri().toString())};
    }

    @Before
    public void setUp() throws Exception {
        Sections.awaitDefaultDevice(executor);
        broker = Mosquitto.start();
    }

    @After
    public void tearDown() throws Exception {
        for (org.osgi.service.cm.Configuration link : links) {
            try {
                link.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // the test deleted it
            }
        }
        Await.until("every link gone", LIMIT, () -> reports().isEmpty(), () -> "links: " + reports());
        if (central != null) {
            central.close();
        }
        broker.close();
    }

    private org.osgi.service.cm.Configuration link(String gateway, Map<String, Object> extra) throws IOException {
        org.osgi.service.cm.Configuration link = configurationAdmin.getFactoryConfiguration("dev.pathpoint.mqtt", gateway, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("gatewayId", gateway);
        properties.put("host", "127.0.0.1");
        properties.put("port", broker.port());
        properties.put("journalDirectory", Files.createTempDirectory("pathpoint-link-it").toString());
        extra.forEach(properties::put);
        link.update(properties);
        links.add(link);
        return link;
    }

    private List<ConnectionReport> reports() {
        List<ConnectionReport> all = new ArrayList<>();
        try {
            Collection<ServiceReference<ConnectionMonitor>> monitors = context.getServiceReferences(ConnectionMonitor.class,
                    "(" + ConnectionMonitor.KIND + "=mqtt)");
            for (ServiceReference<ConnectionMonitor> reference : monitors) {
                ConnectionMonitor monitor = context.getService(reference);
                if (monitor != null) {
                    all.addAll(monitor.connections());
                    context.ungetService(reference);
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        return all;
    }

    private Optional<ConnectionReport> report(String gateway) {
        return reports().stream().filter(r -> r.name().equals(gateway)).findFirst();
    }

    private void awaitState(String gateway, ConnectionState state) {
        Await.until(gateway + " " + state, LIMIT, () -> report(gateway).map(r -> r.state() == state).orElse(false),
                () -> "report: " + report(gateway));
    }

    private String shell(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true);
        CommandSession session = commands.createSession(System.in, print, print);
        try {
            Object result = session.execute(command);
            return result == null ? out.toString() : result.toString();
        } finally {
            session.close();
        }
    }

    @Test
    public void theClientAndItsImportsResolveAndEveryBundleIsActive() {
        List<String> needed = new ArrayList<>(List.of("dev.pathpoint.mqtt", "com.hivemq.client.mqtt",
                "dev.pathpoint.wrap.dagger", "io.netty.handler", "io.reactivex.rxjava2.rxjava"));
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getHeaders().get("Fragment-Host") == null) {
                assertEquals(bundle.getSymbolicName(), Bundle.ACTIVE, bundle.getState());
            }
            needed.remove(bundle.getSymbolicName());
        }
        assertTrue("missing bundles: " + needed, needed.isEmpty());
    }

    @Test
    public void aRequestThroughTheBrokerReadsTheSimulator() throws Exception {
        link("gw-felix", Map.of());
        awaitState("gw-felix", ConnectionState.CONNECTED);
        central = new Central(broker.port(), "pathpoint", "gw-felix");
        central.request("r1", "[{\"orders\":[{\"type\":\"write\",\"path\":\"W1r5\",\"value\":77,\"advise\":1}]},"
                + "{\"orders\":[{\"type\":\"read\",\"path\":\"W1r5\",\"advise\":1},{\"type\":\"read\",\"path\":\"W1r0\",\"advise\":1}]}]");
        Central.Received result = central.awaitResult("r1", LIMIT);
        assertEquals("r1", result.correlationData());
        JsonNode sections = result.json().get("sections");
        assertEquals(77, sections.get(1).get("orders").get(0).get("value").asInt());
        assertEquals(1200, sections.get(1).get("orders").get(1).get("value").asInt());
        String links = shell("pathpoint:links");
        assertTrue(links, links.contains("link gw-felix -> mqtt://127.0.0.1:" + broker.port() + ": CONNECTED"));
        assertTrue(links, links.contains("documentsAccepted=1"));
    }

    @Test
    public void messageOrdersAndBaobEventsArePublished() throws Exception {
        link("gw-notices", Map.of());
        awaitState("gw-notices", ConnectionState.CONNECTED);
        central = new Central(broker.port(), "pathpoint", "gw-notices");
        central.send("n1", "{\"orders\":[{\"type\":\"message\",\"uuid\":\"5b0c8f0e-1111-4c8e-9e3b-0d6f1b0a8e21\"},"
                + "{\"type\":\"sysctl\",\"op_type\":\"baob-updated\",\"op_args\":\"recipe-7\"}]}");
        JsonNode orders = central.awaitResult("n1", LIMIT).json().get("sections").get(0).get("orders");
        assertEquals("done", orders.get(0).get("status").asText());
        central.until("the message", LIMIT, () -> central.on(central.topic("messages")).stream()
                .anyMatch(m -> m.payload().equals("5b0c8f0e-1111-4c8e-9e3b-0d6f1b0a8e21")));
        central.until("the BAOB event", LIMIT, () -> central.on(central.topic("baob")).stream()
                .anyMatch(m -> m.json().path("key").asText().equals("recipe-7")
                        && m.json().path("change").asText().equals("UPDATED")));
    }

    @Test
    public void valuesArePublishedOnChangeAtMostOncePerInterval() throws Exception {
        link("gw-values", Map.of("valuesEnabled", true, "valuesPattern", "W1r6", "valuesMinIntervalMillis", 2000));
        awaitState("gw-values", ConnectionState.CONNECTED);
        central = new Central(broker.port(), "pathpoint", "gw-values");
        StringBuilder document = new StringBuilder("{\"orders\":[");
        for (int value = 1; value <= 5; value++) {
            document.append(value == 1 ? "" : ",").append("{\"type\":\"write\",\"path\":\"W1r6\",\"value\":").append(value)
                    .append(",\"advise\":1},{\"type\":\"read\",\"path\":\"W1r6\",\"advise\":1}");
        }
        central.send("v1", document.append("]}").toString());
        central.awaitResult("v1", LIMIT);
        String topic = central.topic("values/W1r6");
        central.until("the newest value, 5", LIMIT, () -> {
            List<Central.Received> values = central.on(topic);
            return !values.isEmpty() && values.get(values.size() - 1).json().path("value").asInt() == 5;
        });
        assertTrue("five changes within the interval are folded: " + central.on(topic), central.on(topic).size() <= 2);
    }

    @Test
    public void aChangedConfigurationAppliesLiveAndDeletingItDisconnectsCleanly() throws Exception {
        org.osgi.service.cm.Configuration link = link("gw-live", Map.of());
        awaitState("gw-live", ConnectionState.CONNECTED);
        Central before = new Central(broker.port(), "pathpoint", "gw-live");
        Central after = new Central(broker.port(), "site2", "gw-live");
        try {
            Dictionary<String, Object> properties = link.getProperties();
            properties.put("topicPrefix", "site2");
            link.update(properties);
            after.until("online under the new prefix", LIMIT, () -> after.on(after.topic("status")).stream()
                    .anyMatch(m -> m.payload().equals("online")));
            after.send("live-1", "{\"orders\":[{\"type\":\"read\",\"path\":\"W1r0\",\"advise\":1}]}");
            assertEquals(1200, after.awaitResult("live-1", LIMIT).json().get("sections").get(0).get("orders").get(0)
                    .get("value").asInt());
            link.delete();
            after.until("offline after the delete", LIMIT, () -> {
                List<Central.Received> status = after.on(after.topic("status"));
                return !status.isEmpty() && status.get(status.size() - 1).payload().equals("offline");
            });
            Await.until("no link", LIMIT, () -> report("gw-live").isEmpty());
        } finally {
            before.close();
            after.close();
        }
    }

    @Test
    public void aBadConfigurationIsReportedAndABrokerRefusalShows() throws Exception {
        link("bad id!", Map.of());
        Await.until("misconfigured", LIMIT, () -> reports().stream().anyMatch(r -> r.state() == ConnectionState.MISCONFIGURED),
                () -> "links: " + reports());
        ConnectionReport bad = reports().stream().filter(r -> r.state() == ConnectionState.MISCONFIGURED).findFirst().orElseThrow();
        assertTrue(bad.problem().orElse(""), bad.problem().orElse("").contains("gatewayId 'bad id!'"));
        String links = shell("pathpoint:links");
        assertTrue(links, links.contains("MISCONFIGURED") && links.contains("gatewayId"));
    }
}
