package dev.pathpoint.distribution.it;


import dev.pathpoint.api.executor.OrderExecutor;
import java.time.Duration;
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
    private static final int SECTIONS_BEFORE_SWAP = 60;
    private static final int SECTIONS_AFTER_SWAP = 60;

    @Inject
    BundleContext context;
    @Inject
    OrderExecutor executor;
    @Inject
    ConfigurationAdmin configurationAdmin;

    private OutsideDevice device;
    private ProducerLoad load;

    @Configuration
    public Option[] config() {
        return new Option[] {RuntimeOptions.runtime(TestConfig.copyOfDefaultConfig())};
    }

    @Before
    public void connectToAnOutsideDevice() throws Exception {
        device = new OutsideDevice(configurationAdmin, executor, "hotswap", UNIT);
        load = new ProducerLoad(executor, UNIT, PRODUCERS);
    }

    @After
    public void stop() throws Exception {
        if (load != null) {
            load.close();
        }
        if (device != null) {
            device.close();
        }
    }

    @Test
    public void updateOfTheDriverBundleUnderLoadLosesNothing() throws Exception {
        load.start();
        load.awaitCompleted(SECTIONS_BEFORE_SWAP);
        Bundle modbus = Bundles.named(context, "dev.pathpoint.modbus");
        load.swapping();
        modbus.update();
        Bundles.refresh(context, modbus);
        System.out.printf("driver bundle update: first order served again %.1f ms after the update began%n",
                load.awaitServedAfterSwap());
        load.awaitCompleted(load.completed() + SECTIONS_AFTER_SWAP);
        load.stop();
        load.assertEverythingSucceededInOrder(device::register);
    }

    @Test
    public void driverBundleStoppedThenStartedLosesNothing() throws Exception {
        load.start();
        load.awaitCompleted(SECTIONS_BEFORE_SWAP);
        Bundle modbus = Bundles.named(context, "dev.pathpoint.modbus");
        modbus.stop();
        // let work pile up behind the missing driver: every producer has its limit outstanding
        long completedWhileStopped = load.completed();
        awaitQueuedBehindMissingDriver();
        load.swapping();
        modbus.start();
        double servedAfter = load.awaitServedAfterSwap();
        System.out.printf("driver bundle restart: first order served again %.1f ms after start; %d sections completed while stopped%n",
                servedAfter, load.completed() - completedWhileStopped);
        load.awaitCompleted(load.completed() + SECTIONS_AFTER_SWAP);
        load.stop();
        load.assertEverythingSucceededInOrder(device::register);
    }

    private void awaitQueuedBehindMissingDriver() {
        Await.until("sections to queue behind the stopped driver", Duration.ofSeconds(60), () ->
                executor.statistics().runningSections() + executor.statistics().queuedSections()
                        >= PRODUCERS * ProducerLoad.OUTSTANDING_PER_PRODUCER);
    }
}
