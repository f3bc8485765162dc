package dev.pathpoint.distribution.hardening;

import static org.junit.Assert.assertTrue;

import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.distribution.it.Bundles;
import dev.pathpoint.distribution.it.RuntimeOptions;
import dev.pathpoint.distribution.it.TestConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Reconnects and driver bundle updates do not leak: after 200 forced reconnects (a relay drops the
 * connection under a trickle of reads) and after 50 updates and refreshes of the Modbus driver bundle
 * (under a trickle of reads), live threads, open file descriptors, heap in use after a GC and loaded
 * classes return to the level measured after a warm-up, within {@link #RECONNECT_TOLERANCE} and
 * {@link #UPDATE_TOLERANCE}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ResourceFlatnessIT {
    static final int RECONNECTS = 200;
    static final int UPDATES = 50;
    static final int WARM_UP = 10;
    static final int UNIT = 7;
    /** A thread or fd may be mid-exit when sampled; heap after GC jitters by a few MiB; a leaked connection costs 1 thread and 1-2 fds each, i.e. 200 over the run. */
    static final ResourceLevels.Tolerance RECONNECT_TOLERANCE = new ResourceLevels.Tolerance(4, 6, 16L << 20, 100);
    /** A leaked bundle revision keeps its ~100 classes, threads and sockets: 50 updates would exceed these many times over. */
    static final ResourceLevels.Tolerance UPDATE_TOLERANCE = new ResourceLevels.Tolerance(4, 6, 16L << 20, 300);
    static final Duration SETTLE_LIMIT = Duration.ofSeconds(30);
    static final Duration STEP_LIMIT = Duration.ofSeconds(30);

    @Inject
    BundleContext context;
    @Inject
    ConfigurationAdmin configurationAdmin;

    private Rig rig;
    private Load trickle;

    @Configuration
    public Option[] config() {
        return new Option[] {RuntimeOptions.runtime(TestConfig.copyOfDefaultConfig())};
    }

    @Before
    public void configure() throws Exception {
        rig = new Rig(context, configurationAdmin);
        // FORCE: 20 tries 100 ms apart outlast the new connection's first reconnect backoff after a bundle update (see the report)
        rig.configureEngine(Map.of("operationTimeoutMillis", 2000L, "retryBackoffMillis", 100L));
    }

    @After
    public void stopTrickle() {
        if (trickle != null) {
            trickle.stop();
        }
    }

    @Test
    public void forcedReconnectsLeaveNoThreadsFileDescriptorsOrHeapBehind() throws Exception {
        try (ModbusDevice device = ModbusDevice.start(UNIT); TcpRelay relay = new TcpRelay(device.port())) {
            org.osgi.service.cm.Configuration connection = rig.addConnection("reconnecting", relay.port(), String.valueOf(UNIT),
                    Map.of("responseTimeoutMillis", 1000, "reconnectDelayMillis", 1, "maxReconnectDelayMillis", 20));
            trickle = new Load(rig.executor(), AdviseLevel.FORCE, n -> "W" + UNIT + "r" + (n % 10)).start(2);
            for (int i = 0; i < WARM_UP; i++) {
                forceReconnect(relay);
            }
            ResourceLevels start = ResourceLevels.now();
            int reconnects = Soak.enabled() ? Integer.MAX_VALUE : RECONNECTS;
            long soakEnd = Soak.until(0.25);
            int done = 0;
            while (done < RECONNECTS || (done < reconnects && System.nanoTime() < soakEnd)) {
                forceReconnect(relay);
                done++;
            }
            assertReturnsTo(start, RECONNECT_TOLERANCE, done + " forced reconnects");
            trickle.stop();
            Await.until("trickle to drain", STEP_LIMIT, () -> trickle.outstanding() == 0);
            assertTrue("reads kept succeeding across the reconnects", trickle.succeeded() > done);
            rig.removeConnection(connection, "reconnecting");
        }
    }

    @Test
    public void driverBundleUpdatesLeaveNoThreadsFileDescriptorsHeapOrClassesBehind() throws Exception {
        // reads of the embedded simulator, served by the bundle being updated; FORCE waits for its return
        trickle = new Load(rig.executor(), AdviseLevel.FORCE, n -> "W1r" + (n % 10)).start(2);
        Bundle modbus = Bundles.named(context, "dev.pathpoint.modbus");
        for (int i = 0; i < WARM_UP / 2; i++) {
            updateAndServe(modbus);
        }
        ResourceLevels start = ResourceLevels.now();
        long soakEnd = Soak.until(0.25);
        int done = 0;
        while (done < UPDATES || System.nanoTime() < soakEnd) {
            updateAndServe(modbus);
            done++;
        }
        assertReturnsTo(start, UPDATE_TOLERANCE, done + " driver bundle updates");
        trickle.stop();
        Await.until("trickle to drain", STEP_LIMIT, () -> trickle.outstanding() == 0);
        assertTrue("no read failed across the updates: " + trickle.succeeded() + " of " + trickle.completed() + " succeeded; failures "
                + trickle.failures(),
                trickle.succeeded() == trickle.completed());
    }

    /** Drops the relayed connection and waits until the driver has connected again and served reads on the new connection. */
    private void forceReconnect(TcpRelay relay) {
        int accepted = relay.connectionsAccepted();
        relay.dropConnections();
        Await.until("the driver to reconnect", STEP_LIMIT, () -> relay.connectionsAccepted() > accepted,
                () -> "relay accepted " + accepted + " then " + relay.connectionsAccepted() + ", outstanding " + trickle.outstanding()
                        + ", failures " + trickle.failures());
        // reads completing from now on went over the new connection (the old one is closed at both ends)
        long served = trickle.succeeded();
        Await.until("reads over the new connection", STEP_LIMIT, () -> trickle.succeeded() > served + 1,
                () -> "reads served " + served + " then " + trickle.succeeded() + ", outstanding " + trickle.outstanding()
                        + ", failures " + trickle.failures());
    }

    private void updateAndServe(Bundle modbus) throws Exception {
        modbus.update();
        Bundles.refresh(context, modbus);
        long served = trickle.succeeded();
        Await.until("a read served by the updated driver", STEP_LIMIT, () -> trickle.succeeded() > served);
    }

    private void assertReturnsTo(ResourceLevels start, ResourceLevels.Tolerance tolerance, String what) {
        AtomicReference<ResourceLevels> last = new AtomicReference<>();
        Await.until("resources back to their level", SETTLE_LIMIT, () -> {
            last.set(ResourceLevels.now());
            return last.get().within(start, tolerance);
        }, () -> "after " + what + ": " + last.get() + "; at the start " + start + "; tolerance " + tolerance);
        System.out.printf("after %s: %s; at the start %s; tolerance %s%n", what, last.get(), start, tolerance);
    }
}
