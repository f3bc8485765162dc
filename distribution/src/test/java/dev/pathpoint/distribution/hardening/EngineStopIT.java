package dev.pathpoint.distribution.hardening;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.distribution.it.Bundles;
import dev.pathpoint.distribution.it.RuntimeOptions;
import dev.pathpoint.distribution.it.TestConfig;
import dev.pathpoint.testing.PymodbusServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
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
 * Stopping the engine bundle while {@value QueuedWork#SECTIONS} sections are queued and in flight
 * behind a frozen pymodbus device (SIGSTOP; response and operation timeouts far longer than the test)
 * completes every section future with SHUTDOWN, and the stop itself returns within
 * {@link #STOP_BOUND}. The engine then starts again and serves. (Stopping the whole framework:
 * {@link FrameworkStopIT}.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EngineStopIT {
    static final Duration STOP_BOUND = Duration.ofSeconds(20);
    static final int UNIT = 7;

    @Inject
    BundleContext context;
    @Inject
    ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] config() {
        return new Option[] {RuntimeOptions.runtime(TestConfig.copyOfDefaultConfig())};
    }

    @Test
    public void stoppingTheEngineBundleCompletesQueuedWorkWithShutdown() throws Exception {
        Rig rig = new Rig(context, configurationAdmin);
        // nothing times out by itself during the test: only the stop can end the work
        rig.configureEngine(Map.of("operationTimeoutMillis", 600_000L, "noDriverWaitForceMillis", 600_000L));
        try (PymodbusServer device = ModbusDevice.start(UNIT)) {
            org.osgi.service.cm.Configuration connection = rig.addConnection("stalled", device.port(), String.valueOf(UNIT),
                    Map.of("responseTimeoutMillis", 600_000));
            OrderExecutor executor = rig.executor();
            device.freeze();
            List<Section> sections = QueuedWork.queue(executor, UNIT);
            Await.until("work running and queued behind the frozen device", Rig.SETUP_LIMIT,
                    () -> executor.statistics().runningSections() > 0 && executor.statistics().queuedSections() > 0);
            assertTrue("nothing completed before the stop", sections.stream().noneMatch(s -> s.future().isDone()));

            Bundle engine = Bundles.named(context, "dev.pathpoint.engine");
            long started = System.nanoTime();
            CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
                try {
                    engine.stop();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            stop.get(STOP_BOUND.toSeconds(), TimeUnit.SECONDS);
            System.out.printf("engine bundle stopped in %.1f ms with %d sections pending%n",
                    (System.nanoTime() - started) / 1e6, sections.size());
            Await.until("every section future to complete", STOP_BOUND, () -> sections.stream().allMatch(s -> s.future().isDone()));
            QueuedWork.assertAllShutDown(sections);

            device.thaw();
            engine.start();
            Await.until("the engine back", Rig.SETUP_LIMIT, () -> context.getServiceReference(OrderExecutor.class) != null);
            Section after = new Section(List.of(new dev.pathpoint.api.order.ReadOrder("W" + UNIT + "r5",
                    dev.pathpoint.api.order.AdviseLevel.FORCE)));
            rig.executor().execute(after);
            assertEquals(dev.pathpoint.api.value.PathpointValue.of(ModbusDevice.valueAt(UNIT, 5)),
                    ((dev.pathpoint.api.section.OrderOutcome.Done) after.future().get(60, TimeUnit.SECONDS).outcome(0))
                            .value().orElseThrow());
            rig.removeConnection(connection, "stalled");
        }
    }
}
