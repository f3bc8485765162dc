package dev.pathpoint.distribution.it;

import static org.junit.Assert.assertEquals;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.testing.FreePorts;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/** The Modbus connection's port changed through Config Admin while the runtime runs. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigChangeIT {
    @Inject
    OrderExecutor executor;
    @Inject
    ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] config() {
        return new Option[] {RuntimeOptions.runtime(TestConfig.copyOfDefaultConfig())};
    }

    @Before
    public void defaultConfigurationApplied() throws Exception {
        Sections.awaitDefaultDevice(executor);
    }

    @Test
    public void connectionFollowsAPortChangeLive() throws Exception {
        assertEquals(PathpointValue.of(1200), readW1r0());

        int otherPort = FreePorts.pick();
        org.osgi.service.cm.Configuration otherSimulator =
                configurationAdmin.getFactoryConfiguration("dev.pathpoint.modbus.simulator", "other", "?");
        Dictionary<String, Object> simulator = new Hashtable<>();
        simulator.put("port", otherPort);
        simulator.put("holdingRegisterValues", new String[] {"0=555"});
        otherSimulator.update(simulator);

        org.osgi.service.cm.Configuration connection =
                configurationAdmin.getFactoryConfiguration("dev.pathpoint.modbus", "simulator", "?");
        Dictionary<String, Object> properties = connection.getProperties();
        Object defaultPort = properties.get("port");
        properties.put("port", otherPort);
        connection.update(properties);

        Await.until("reads served from port " + otherPort, Duration.ofSeconds(30), () -> PathpointValue.of(555).equals(readW1r0()));

        properties.put("port", defaultPort);
        connection.update(properties);
        Await.until("reads served from the simulator's port again", Duration.ofSeconds(30), () -> PathpointValue.of(1200).equals(readW1r0()));
        otherSimulator.delete();
    }

    private PathpointValue readW1r0() {
        try {
            OrderOutcome outcome = Sections.runOne(executor, new ReadOrder("W1r0", AdviseLevel.ADVISE));
            return outcome instanceof OrderOutcome.Done done ? done.value().orElseThrow() : null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
