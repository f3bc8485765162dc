package dev.pathpoint.distribution.hardening;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.testing.PymodbusServer;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

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
 * {@link #UPDATE_TOLERANCE}. And names from outside leave nothing behind: after a million reads of
 * distinct bogus or unserved pathpoint names, the engine's pathpoint lanes and the value store are
 * back at their baseline, and the heap after a GC within {@link #NAMES_HEAP_TOLERANCE}.
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
    static final int DISTINCT_NAMES = 1_000_000;
    /** A lane and a stored reading cost a few hundred bytes: a million kept would be hundreds of MiB. */
    static final long NAMES_HEAP_TOLERANCE = 16L << 20;
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
        try (PymodbusServer device = ModbusDevice.start(UNIT); TcpRelay relay = new TcpRelay(device.port())) {
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

    @Test
    public void aMillionDistinctBogusOrUnservedNamesLeaveNoStateBehind() throws Exception {
        // an unserved name fails NO_DRIVER at once: this is about what names leave behind, not about waiting
        rig.configureEngine(Map.of("operationTimeoutMillis", 2000L, "retryBackoffMillis", 100L, "noDriverWaitAdviseMillis", 0L));
        OrderExecutor executor = rig.executor();
        readAll(executor, 0, 20_000); // warm-up: the code paths, not the names
        ResourceLevels start = ResourceLevels.now();
        int lanesBefore = engineState("lanes");
        int storedBefore = rig.store().readings().size();

        int refused = readAll(executor, 20_000, DISTINCT_NAMES);

        assertEquals("every read of a bogus or unserved name failed", DISTINCT_NAMES, refused);
        Await.until("lanes and readings back at their baseline", SETTLE_LIMIT,
                () -> engineState("lanes") == lanesBefore && rig.store().readings().size() == storedBefore,
                () -> engineState("lanes") + " lanes (" + lanesBefore + " before), " + rig.store().readings().size()
                        + " readings (" + storedBefore + " before)");
        assertReturnsTo(start, new ResourceLevels.Tolerance(4, 6, NAMES_HEAP_TOLERANCE, 100), DISTINCT_NAMES + " distinct names");
    }

    /**
     * Reads {@code count} distinct names from {@code first} on, in sections of one read queued 10,000
     * at a time: half of them bogus (no type letter), half valid Modbus names of units no connection
     * serves. Returns how many failed INVALID or NO_DRIVER.
     */
    private static int readAll(OrderExecutor executor, int first, int count) throws Exception {
        int refused = 0;
        for (int start = first; start < first + count; start += 10_000) {
            Section[] sections = new Section[Math.min(10_000, first + count - start)];
            for (int i = 0; i < sections.length; i++) {
                int n = start + i;
                String name = n % 2 == 0 ? "Q" + n : "W" + (200 + (n / 65_536) % 56) + "r" + (n % 65_536);
                sections[i] = Section.of(new ReadOrder(name, AdviseLevel.ADVISE));
            }
            executor.execute(sections);
            for (Section section : sections) {
                OrderOutcome outcome = section.future().get(STEP_LIMIT.toSeconds(), TimeUnit.SECONDS).outcome(0);
                if (outcome instanceof OrderOutcome.Failed failed && (failed.reason() == OperationFailedReason.INVALID
                        || failed.reason() == OperationFailedReason.NO_DRIVER)) {
                    refused++;
                }
            }
        }
        return refused;
    }

    /** A count of the engine's internal state (its EngineView service, not exported: read reflectively). */
    private int engineState(String count) {
        try {
            ServiceReference<?>[] references = context.getServiceReferences("dev.pathpoint.engine.internal.EngineView", null);
            Object view = context.getService(references[0]);
            try {
                Object state = view.getClass().getMethod("state").invoke(view);
                return (Integer) state.getClass().getMethod(count).invoke(state);
            } finally {
                context.ungetService(references[0]);
            }
        } catch (ReflectiveOperationException | InvalidSyntaxException e) {
            throw new AssertionError("cannot read the engine's state", e);
        }
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
