package dev.pathpoint.distribution.hardening;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.distribution.it.RuntimeOptions;
import dev.pathpoint.distribution.it.TestConfig;
import dev.pathpoint.testing.PymodbusServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

/**
 * With the shipped engine and connection settings, a pymodbus device is killed (SIGKILL) and started
 * again once the orders issued meanwhile have failed a few tries: FORCE orders ride out the outage
 * and succeed with the device's value, an ADVISE read gives up with TIMEOUT.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ForceRideOutIT {
    static final int UNIT = 8;
    static final Duration LIMIT = Duration.ofSeconds(90);

    @Inject
    BundleContext context;
    @Inject
    ConfigurationAdmin configurationAdmin;

    private Rig rig;
    private PymodbusServer device;
    private org.osgi.service.cm.Configuration connection;

    @Configuration
    public Option[] config() {
        return new Option[] {RuntimeOptions.runtime(TestConfig.copyOfDefaultConfig())};
    }

    @Before
    public void connect() throws Exception {
        rig = new Rig(context, configurationAdmin);
        device = ModbusDevice.start(UNIT);
        connection = rig.addConnection("restarting", device.port(), String.valueOf(UNIT), Map.of());
    }

    @After
    public void tearDown() throws Exception {
        if (device != null) {
            device.close();
        }
        if (connection != null) {
            rig.removeConnection(connection, "restarting");
        }
    }

    @Test
    public void forceOrdersRideOutADeviceRestartWithTheShippedSettings() throws Exception {
        OrderExecutor executor = rig.executor();
        Section before = Section.of(new ReadOrder("W" + UNIT + "r3", AdviseLevel.FORCE));
        executor.execute(before);
        assertTrue(before.future().get(LIMIT.toSeconds(), TimeUnit.SECONDS).succeeded());

        device.kill();
        long retriesBefore = executor.statistics().retries();
        Section forceRead = Section.of(new ReadOrder("W" + UNIT + "r5", AdviseLevel.FORCE));
        Section forceWrite = Section.of(new WriteOrder("W" + UNIT + "r6", PathpointValue.of(4242), AdviseLevel.FORCE));
        Section adviseRead = Section.of(new ReadOrder("W" + UNIT + "r7", AdviseLevel.ADVISE));
        executor.execute(forceRead, forceWrite, adviseRead);
        // the device stays down until the orders have been refused and retried a few times
        Await.until("tries against the dead device", LIMIT, () -> executor.statistics().retries() >= retriesBefore + 6,
                () -> "retries " + (executor.statistics().retries() - retriesBefore));
        SectionResult advise = adviseRead.future().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        device.restart();

        SectionResult read = forceRead.future().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        SectionResult write = forceWrite.future().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue("the FORCE read rode out the restart: " + read, read.succeeded());
        assertEquals(PathpointValue.of(ModbusDevice.valueAt(UNIT, 5)),
                ((OrderOutcome.Done) read.outcome(0)).value().orElseThrow());
        assertTrue("the FORCE write rode out the restart: " + write, write.succeeded());
        assertEquals("the ADVISE read gave up: " + advise, OperationFailedReason.TIMEOUT,
                ((OrderOutcome.Failed) advise.outcome(0)).reason());
    }
}
