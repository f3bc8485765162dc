package dev.pathpoint.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.SysctlOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The deploy directory: a bundle or a configuration file dropped there is picked up live, and removed with its file. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotDeployIT {
    private static final String DEPLOY_DIR_PROPERTY = "pathpoint.it.deploy.dir";
    private static final Duration PICKED_UP = Duration.ofSeconds(30);

    @Inject
    OrderExecutor executor;

    @Configuration
    public Option[] config() {
        Path config = TestConfig.copyOfDefaultConfig();
        try {
            Path deploy = Files.createTempDirectory("pathpoint-it-deploy");
            // the default watcher points at HOME/deploy; this test watches a directory of its own
            Files.writeString(config.resolve("org.apache.felix.fileinstall-deploy.cfg"),
                    "felix.fileinstall.dir = " + deploy + "\nfelix.fileinstall.poll = 100\nfelix.fileinstall.enableConfigSave = false\n");
            return new Option[] {RuntimeOptions.runtime(config), systemProperty(DEPLOY_DIR_PROPERTY).value(deploy.toString())};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Before
    public void defaultConfigurationApplied() throws Exception {
        Sections.awaitDefaultDevice(executor);
    }

    @Test
    public void sysctlBundleDroppedIntoDeployIsUsedAndLeavesWithItsFile() throws Exception {
        Path deploy = Paths.get(System.getProperty(DEPLOY_DIR_PROPERTY));
        Path jar = BundleJars.echoHandlerBundle(Files.createTempFile("echo", ".jar"));
        Path dropped = deploy.resolve("echo.jar");
        Files.move(jar, dropped);
        Await.until("the echo handler from the deploy directory", PICKED_UP,
                () -> status(new SysctlOrder("echo", "hi")) == OrderOutcome.Status.DONE);
        Files.delete(dropped);
        Await.until("the echo handler to leave with its file", PICKED_UP,
                () -> status(new SysctlOrder("echo", "hi")) == OrderOutcome.Status.UNHANDLED);
    }

    @Test
    public void connectionConfigurationDroppedIntoDeployServesItsDevice() throws Exception {
        Path deploy = Paths.get(System.getProperty(DEPLOY_DIR_PROPERTY));
        int port = FreePorts.pick();
        Files.writeString(deploy.resolve("dev.pathpoint.modbus.simulator-unit3.config"),
                "port=I\"" + port + "\"\nunitIds=\"3\"\nholdingRegisterValues=[\"0=333\"]\n");
        Files.writeString(deploy.resolve("dev.pathpoint.modbus-unit3.config"),
                "name=\"unit3\"\nport=I\"" + port + "\"\nunitIds=\"3\"\n");
        Await.until("a reading of unit 3 through the dropped configuration", PICKED_UP, () -> {
            OrderOutcome outcome = outcome(new ReadOrder("W3r0", AdviseLevel.ADVISE));
            return outcome instanceof OrderOutcome.Done done && done.value().orElseThrow().equals(PathpointValue.of(333));
        });
        Files.delete(deploy.resolve("dev.pathpoint.modbus-unit3.config"));
        Await.until("unit 3 to lose its driver with its file", PICKED_UP, () -> {
            OrderOutcome outcome = outcome(new ReadOrder("W3r0", AdviseLevel.ADVISE));
            return outcome instanceof OrderOutcome.Failed failed
                    && failed.reason() == dev.pathpoint.api.failure.OperationFailedReason.NO_DRIVER;
        });
        assertEquals(OrderOutcome.Status.DONE, status(new ReadOrder("W1r0", AdviseLevel.ADVISE)));
    }

    private OrderOutcome.Status status(dev.pathpoint.api.order.Order order) {
        return outcome(order).status();
    }

    private OrderOutcome outcome(dev.pathpoint.api.order.Order order) {
        try {
            return Sections.runOne(executor, order);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
