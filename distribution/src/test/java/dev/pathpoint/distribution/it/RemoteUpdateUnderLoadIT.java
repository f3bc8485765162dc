package dev.pathpoint.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.order.SysctlOrder;
import dev.pathpoint.api.section.OrderOutcome;
import java.nio.file.Path;
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
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The {@code update} sysctl downloads a newer Modbus bundle from an HTTPS Maven repository and
 * updates it while producers keep writing and reading through it: the order reports the move and
 * the download, and not one write or read is lost or out of order.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RemoteUpdateUnderLoadIT {
    private static final String NEWER_PROPERTY = "pathpoint.it.modbus.newer";
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
        Path config = TestConfig.copyOfDefaultConfig();
        String newer = RemoteRepositoryFixture.serveNewerModbus(config);
        return new Option[] {RuntimeOptions.runtime(config), systemProperty(NEWER_PROPERTY).value(newer)};
    }

    @Before
    public void connectAndAwaitTheRepository() throws Exception {
        Sections.awaitDefaultDevice(executor);
        // FileInstall hands over the repository configuration after the framework has started
        Await.until("the update handler to know repository remote", Duration.ofSeconds(30), () -> {
            OrderOutcome probe = probe(new SysctlOrder("update", "no.such.bundle"));
            return probe instanceof OrderOutcome.Failed failed && failed.message().contains("Maven repository remote (");
        });
        device = new OutsideDevice(configurationAdmin, executor, "remote-update", UNIT);
        load = new ProducerLoad(executor, UNIT, PRODUCERS);
    }

    private OrderOutcome probe(SysctlOrder order) {
        try {
            return Sections.runOne(executor, order);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
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
    public void updateFromTheRemoteRepositoryUnderLoadLosesNothing() throws Exception {
        Version newer = Version.parseVersion(System.getProperty(NEWER_PROPERTY));
        Bundle modbus = Bundles.named(context, RemoteRepositoryFixture.MODBUS);
        long id = modbus.getBundleId();
        Version before = modbus.getVersion();

        load.start();
        load.awaitCompleted(SECTIONS_BEFORE_SWAP);
        load.swapping();
        OrderOutcome update = Sections.runOne(executor, new SysctlOrder("update", RemoteRepositoryFixture.MODBUS));
        assertEquals(update.toString(), OrderOutcome.Status.DONE, update.status());
        String report = ((OrderOutcome.Done) update).value().orElseThrow().asText();
        assertTrue(report, report.startsWith("updated " + RemoteRepositoryFixture.MODBUS + " " + before + " -> " + newer
                + "; wiring refreshed; downloaded " + RemoteRepositoryFixture.GROUP + ":" + RemoteRepositoryFixture.MODBUS
                + ":" + newer + " ("));
        assertTrue(report, report.endsWith(" s) from repository remote"));
        System.out.printf("remote update under load: %s; first order served again %.1f ms after the update began%n",
                report, load.awaitServedAfterSwap());

        load.awaitCompleted(load.completed() + SECTIONS_AFTER_SWAP);
        load.stop();
        load.assertEverythingSucceededInOrder(device::register);
        Bundle updated = context.getBundle(id);
        assertEquals("updated in place", newer, updated.getVersion());
        assertEquals(Bundle.ACTIVE, updated.getState());
    }
}
