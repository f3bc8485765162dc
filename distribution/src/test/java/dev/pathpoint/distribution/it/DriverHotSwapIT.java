package dev.pathpoint.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Producers keep queuing FORCE writes and reads while the Modbus driver bundle is updated, or
 * stopped and started again: every future completes, every order succeeds, each read sees the write
 * queued just before it, and the device ends up holding every producer's last write.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class DriverHotSwapIT {
    private static final int PRODUCERS = 3;
    private static final int UNIT = 2;
    private static final int OUTSTANDING_PER_PRODUCER = 16;
    private static final int SECTIONS_BEFORE_SWAP = 60;
    private static final int SECTIONS_AFTER_SWAP = 60;

    @Inject
    BundleContext context;
    @Inject
    OrderExecutor executor;
    @Inject
    ConfigurationAdmin configurationAdmin;

    private DeviceServer device;
    private org.osgi.service.cm.Configuration connection;
    private ExecutorService producers;
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicLong completed = new AtomicLong();
    private final List<List<Section>> sectionsByProducer = new ArrayList<>();
    private final long[] lastValueByProducer = new long[PRODUCERS];
    private volatile long swappedAt;
    private final CountDownLatch servedAfterSwap = new CountDownLatch(1);
    private volatile long firstServedAfterSwap;

    @Configuration
    public Option[] config() {
        return new Option[] {RuntimeOptions.runtime(TestConfig.copyOfDefaultConfig())};
    }

    @Before
    public void connectToAnOutsideDevice() throws Exception {
        device = new DeviceServer(UNIT, 16);
        connection = configurationAdmin.getFactoryConfiguration("dev.pathpoint.modbus", "hotswap", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("name", "hotswap");
        properties.put("host", "127.0.0.1");
        properties.put("port", device.port());
        properties.put("unitIds", String.valueOf(UNIT));
        connection.update(properties);
        // FORCE: waits for the driver to come up
        SectionResult first = Sections.run(executor, new ReadOrder("W2r0", AdviseLevel.FORCE));
        assertTrue(first.toString(), first.succeeded());
        producers = Executors.newFixedThreadPool(PRODUCERS);
        for (int p = 0; p < PRODUCERS; p++) {
            sectionsByProducer.add(java.util.Collections.synchronizedList(new ArrayList<>()));
        }
    }

    @After
    public void stop() throws Exception {
        producing.set(false);
        if (connection != null) {
            connection.delete();
        }
        if (producers != null) {
            producers.shutdownNow();
        }
        if (device != null) {
            device.close();
        }
    }

    @Test
    public void updateOfTheDriverBundleUnderLoadLosesNothing() throws Exception {
        List<Future<?>> running = startProducers();
        awaitCompleted(SECTIONS_BEFORE_SWAP);
        Bundle modbus = Bundles.named(context, "dev.pathpoint.modbus");
        swappedAt = System.nanoTime();
        modbus.update();
        Bundles.refresh(context, modbus);
        assertTrue("an order was served after the update", servedAfterSwap.await(60, TimeUnit.SECONDS));
        System.out.printf("driver bundle update: first order served again %.1f ms after the update began%n",
                (firstServedAfterSwap - swappedAt) / 1e6);
        awaitCompleted(completed.get() + SECTIONS_AFTER_SWAP);
        stopProducers(running);
        assertEverythingSucceededInOrder();
    }

    @Test
    public void driverBundleStoppedThenStartedLosesNothing() throws Exception {
        List<Future<?>> running = startProducers();
        awaitCompleted(SECTIONS_BEFORE_SWAP);
        Bundle modbus = Bundles.named(context, "dev.pathpoint.modbus");
        modbus.stop();
        // let work pile up behind the missing driver: every producer has its limit outstanding
        long completedWhileStopped = completed.get();
        awaitQueuedBehindMissingDriver();
        swappedAt = System.nanoTime();
        modbus.start();
        assertTrue("an order was served after the restart", servedAfterSwap.await(60, TimeUnit.SECONDS));
        System.out.printf("driver bundle restart: first order served again %.1f ms after start; %d sections completed while stopped%n",
                (firstServedAfterSwap - swappedAt) / 1e6, completed.get() - completedWhileStopped);
        awaitCompleted(completed.get() + SECTIONS_AFTER_SWAP);
        stopProducers(running);
        assertEverythingSucceededInOrder();
    }

    /** Each producer writes an increasing sequence to its own register and reads it back in the same section. */
    private List<Future<?>> startProducers() {
        List<Future<?>> running = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            running.add(producers.submit(() -> {
                Semaphore outstanding = new Semaphore(OUTSTANDING_PER_PRODUCER);
                String pathpoint = "W" + UNIT + "r" + producer;
                for (long sequence = 1; producing.get(); sequence++) {
                    outstanding.acquire();
                    Section section = new Section(List.of(
                            new WriteOrder(pathpoint, PathpointValue.of(sequence), AdviseLevel.FORCE),
                            new ReadOrder(pathpoint, AdviseLevel.FORCE)));
                    sectionsByProducer.get(producer).add(section);
                    lastValueByProducer[producer] = sequence;
                    section.future().whenComplete((result, failure) -> {
                        outstanding.release();
                        completed.incrementAndGet();
                        if (swappedAt != 0 && firstServedAfterSwap == 0 && result != null && result.succeeded()) {
                            firstServedAfterSwap = System.nanoTime();
                            servedAfterSwap.countDown();
                        }
                    });
                    executor.execute(section);
                }
                return null;
            }));
        }
        return running;
    }

    private void stopProducers(List<Future<?>> running) throws Exception {
        producing.set(false);
        for (Future<?> producer : running) {
            producer.get(60, TimeUnit.SECONDS);
        }
    }

    private void assertEverythingSucceededInOrder() throws Exception {
        for (int p = 0; p < PRODUCERS; p++) {
            List<Section> sections = sectionsByProducer.get(p);
            long sequence = 0;
            for (Section section : sections) {
                SectionResult result = section.future().get(Sections.RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                sequence++;
                assertTrue("producer " + p + " section " + sequence + ": " + result, result.succeeded());
                PathpointValue read = ((OrderOutcome.Done) result.outcome(1)).value().orElseThrow();
                assertEquals("producer " + p + " read after write " + sequence, PathpointValue.of(sequence), read);
            }
            assertEquals("producer " + p + " issued every section", lastValueByProducer[p], sequence);
            assertEquals("the device holds producer " + p + "'s last write", lastValueByProducer[p], device.register(p));
        }
        System.out.printf("%d sections, all succeeded%n", completed.get());
    }

    private void awaitCompleted(long count) {
        Await.until(count + " completed sections", Duration.ofSeconds(60), () -> completed.get() >= count);
    }

    private void awaitQueuedBehindMissingDriver() {
        Await.until("sections to queue behind the stopped driver", Duration.ofSeconds(60), () ->
                executor.statistics().runningSections() + executor.statistics().queuedSections()
                        >= PRODUCERS * OUTSTANDING_PER_PRODUCER);
    }
}
