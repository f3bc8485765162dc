package dev.pathpoint.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.api.connection.ConnectionMonitor;
import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.value.PathpointValue;
import java.time.Duration;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;
import javax.inject.Inject;
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

/**
 * The Modbus bundle's {@link ConnectionMonitor} in the running distribution: it reports the default
 * connection; a live edit to a bad value is refused, the connection keeps serving with its previous
 * settings, and the report says both; a new configuration that cannot be applied is reported
 * MISCONFIGURED with why.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConnectionReportIT {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final String DEFAULT_CONNECTION = "dev.pathpoint.modbus~simulator";

    @Inject
    OrderExecutor executor;
    @Inject
    ConfigurationAdmin configurationAdmin;
    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return new Option[] {RuntimeOptions.runtime(TestConfig.copyOfDefaultConfig())};
    }

    @Before
    public void defaultConfigurationApplied() throws Exception {
        Sections.awaitDefaultDevice(executor);
    }

    private ConnectionMonitor monitor() throws Exception {
        Collection<ServiceReference<ConnectionMonitor>> references = context.getServiceReferences(ConnectionMonitor.class,
                "(" + ConnectionMonitor.KIND + "=modbus)");
        assertEquals("one Modbus connection monitor", 1, references.size());
        return context.getService(references.iterator().next());
    }

    private Optional<ConnectionReport> report(String pid) throws Exception {
        return monitor().connections().stream().filter(report -> report.configuration().equals(pid)).findFirst();
    }

    private String reports() {
        try {
            return monitor().connections().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private boolean reportMatches(String pid, java.util.function.Predicate<ConnectionReport> condition) {
        try {
            return report(pid).filter(condition).isPresent();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private PathpointValue readW1r0() throws Exception {
        OrderOutcome outcome = Sections.runOne(executor, new ReadOrder("W1r0", AdviseLevel.ADVISE));
        assertTrue(outcome.toString(), outcome instanceof OrderOutcome.Done);
        return ((OrderOutcome.Done) outcome).value().orElseThrow();
    }

    @Test
    public void liveEditsThatCannotBeAppliedAreRefusedAndReported() throws Exception {
        ConnectionReport live = report(DEFAULT_CONNECTION).orElseThrow(() -> new AssertionError("no report: " + reports()));
        assertEquals("simulator", live.name());
        assertEquals("modbus", live.kind());
        assertTrue(live.endpoint(), live.endpoint().startsWith("tcp://127.0.0.1:"));
        assertEquals(ConnectionState.CONNECTED, live.state());
        assertTrue(live.toString(), live.counters().get("requests") >= 1);

        org.osgi.service.cm.Configuration connection =
                configurationAdmin.getFactoryConfiguration("dev.pathpoint.modbus", "simulator", "?");
        Dictionary<String, Object> good = connection.getProperties();
        Dictionary<String, Object> bad = copy(good);
        bad.put("transport", "TCPX");
        bad.put("unitIds", "1,2");
        connection.update(bad);
        Await.until("the refused change in the report", LIMIT, () -> reportMatches(DEFAULT_CONNECTION,
                report -> report.problem().orElse("").contains("transport 'TCPX' is not one of TCP, RTU, RTU_OVER_TCP, UDP")),
                this::reports);
        ConnectionReport refused = report(DEFAULT_CONNECTION).orElseThrow();
        String problem = refused.problem().orElseThrow();
        assertTrue(problem, problem.contains("still running with the previous settings"));
        assertFalse(problem, problem.contains("No enum constant"));
        assertEquals(live.endpoint(), refused.endpoint());
        assertEquals(PathpointValue.of(1200), readW1r0());
        OrderOutcome unit2 = Sections.runOne(executor, new ReadOrder("W2r0", AdviseLevel.ADVISE));
        assertEquals("nothing of the refused change applied", "NO_DRIVER",
                ((OrderOutcome.Failed) unit2).reason().name());

        connection.update(good);
        Await.until("the refusal cleared by a good change", LIMIT, () -> reportMatches(DEFAULT_CONNECTION,
                report -> !report.problem().orElse("").contains("refused")), this::reports);
        assertEquals(PathpointValue.of(1200), readW1r0());
    }

    @Test
    public void aNewConfigurationThatCannotBeAppliedIsReportedMisconfigured() throws Exception {
        org.osgi.service.cm.Configuration broken = configurationAdmin.getFactoryConfiguration("dev.pathpoint.modbus", "broken", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("name", "broken");
        properties.put("host", "192.0.2.10");
        properties.put("unitIds", "3,x");
        broken.update(properties);
        String pid = broken.getPid();
        try {
            Await.until("the misconfigured connection in the report", LIMIT,
                    () -> reportMatches(broken.getPid(), report -> report.state() == ConnectionState.MISCONFIGURED), this::reports);
            ConnectionReport report = report(broken.getPid()).orElseThrow();
            assertEquals("broken", report.name());
            assertEquals("tcp://192.0.2.10:502", report.endpoint());
            assertEquals("unitIds '3,x': 'x' is not a unit id (expected whole numbers 0..255 separated by commas, e.g. 1,2,3)",
                    report.problem().orElseThrow());
            assertTrue("the other connections are unaffected", reportMatches(DEFAULT_CONNECTION,
                    other -> other.state() == ConnectionState.CONNECTED));
        } finally {
            broken.delete();
        }
        Await.until("the deleted configuration gone from the report", LIMIT, () -> !reports().contains(pid), this::reports);
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> properties) {
        Dictionary<String, Object> copy = new Hashtable<>();
        for (java.util.Enumeration<String> keys = properties.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            copy.put(key, properties.get(key));
        }
        return copy;
    }
}
