package dev.pathpoint.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.SysctlOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.value.PathpointValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
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
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;

/** Sysctl commands in the running runtime: a handler bundle added and removed live, and a live driver update. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class SysctlRuntimeIT {
    private static final String UPDATE_DIR_PROPERTY = "pathpoint.it.update.dir";

    @Inject
    BundleContext context;
    @Inject
    OrderExecutor executor;

    @Configuration
    public Option[] config() {
        Path config = TestConfig.copyOfDefaultConfig();
        try {
            Path updates = Files.createTempDirectory("pathpoint-it-update");
            Files.writeString(config.resolve("dev.pathpoint.sysctl.update.cfg"), "source.directory = " + updates + "\n");
            return new Option[] {RuntimeOptions.runtime(config), systemProperty(UPDATE_DIR_PROPERTY).value(updates.toString())};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Before
    public void defaultConfigurationApplied() throws Exception {
        Sections.awaitDefaultDevice(executor);
        // FileInstall hands the update handler its source directory after the framework has started
        Await.until("the update handler to have its source directory", Duration.ofSeconds(30), () -> {
            OrderOutcome probe = run(new SysctlOrder("update", "no.such.bundle"));
            return !(probe instanceof OrderOutcome.Failed failed && failed.message().contains("no source"));
        });
    }

    private OrderOutcome run(SysctlOrder order) {
        try {
            return Sections.runOne(executor, order);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void handlerBundleInstalledAtRuntimeServesTheNextOrderAndLeavesWithItsBundle() throws Exception {
        assertEquals(OrderOutcome.Status.UNHANDLED, Sections.runOne(executor, new SysctlOrder("echo", "hello")).status());

        Path jar = BundleJars.echoHandlerBundle(Files.createTempFile("echo", ".jar"));
        Bundle echo = context.installBundle(jar.toUri().toString());
        echo.start();
        OrderOutcome answered = Sections.runOne(executor, new SysctlOrder("echo", "hello"));
        assertEquals(answered.toString(), OrderOutcome.Status.DONE, answered.status());
        assertEquals(PathpointValue.of("hello"), ((OrderOutcome.Done) answered).value().orElseThrow());
        OrderOutcome refused = Sections.runOne(executor, new SysctlOrder("echo", ""));
        assertEquals(OrderOutcome.Status.FAILED, refused.status());

        echo.uninstall();
        assertEquals(OrderOutcome.Status.UNHANDLED, Sections.runOne(executor, new SysctlOrder("echo", "hello")).status());
    }

    @Test
    public void updateMovesTheModbusBundleToTheNewerVersionWithoutRestart() throws Exception {
        Bundle modbus = Bundles.named(context, "dev.pathpoint.modbus");
        long id = modbus.getBundleId();
        Version before = modbus.getVersion();
        Version newer = new Version(before.getMajor(), before.getMinor(), before.getMicro() + 1);
        Path updates = Paths.get(System.getProperty(UPDATE_DIR_PROPERTY));
        BundleJars.withVersion(new URL(modbus.getLocation()), newer.toString(), updates.resolve("modbus-newer.jar"));

        OrderOutcome update = Sections.runOne(executor, new SysctlOrder("update", "dev.pathpoint.modbus"));
        assertEquals(update.toString(), OrderOutcome.Status.DONE, update.status());
        String report = ((OrderOutcome.Done) update).value().orElseThrow().asText();
        assertTrue(report, report.contains("dev.pathpoint.modbus") && report.contains(newer.toString()));

        Bundle updated = context.getBundle(id);
        assertEquals("updated in place", newer, updated.getVersion());
        assertEquals(Bundle.ACTIVE, updated.getState());
        OrderOutcome read = Sections.runOne(executor, new ReadOrder("W1r0", AdviseLevel.FORCE));
        assertEquals(read.toString(), OrderOutcome.Status.DONE, read.status());
        assertEquals(PathpointValue.of(1200), ((OrderOutcome.Done) read).value().orElseThrow());
    }

    @Test
    public void updateRefusesABrokenJarAndChangesNothing() throws Exception {
        Bundle modbus = Bundles.named(context, "dev.pathpoint.modbus");
        Version before = modbus.getVersion();
        Path updates = Paths.get(System.getProperty(UPDATE_DIR_PROPERTY));
        Files.writeString(updates.resolve("broken.jar"), "not a zip");
        OrderOutcome update = Sections.runOne(executor, new SysctlOrder("update", ""));
        assertEquals(update.toString(), OrderOutcome.Status.FAILED, update.status());
        assertTrue(update.toString(), ((OrderOutcome.Failed) update).message().contains("broken.jar"));
        assertEquals(before, Bundles.named(context, "dev.pathpoint.modbus").getVersion());
        Files.delete(updates.resolve("broken.jar"));
    }
}
