package dev.pathpoint.distribution.hardening;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.distribution.it.TestConfig;
import dev.pathpoint.testing.PymodbusServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Stopping the whole OSGi framework with {@value QueuedWork#SECTIONS} sections queued and in flight
 * behind a frozen pymodbus device completes every section future with SHUTDOWN, and the framework
 * reaches STOPPED within {@link #STOP_BOUND}.
 *
 * <p>pax-exam cannot stop the framework its probe runs in, so this test starts its own Felix with the
 * distribution's bundles and configuration (FileInstall), in a JVM of its own (a Felix started and
 * stopped in the test JVM takes the JVM-wide URL handlers that pax-exam's later containers need). The
 * API packages come from the class path through the system bundle, so that the scenario and the
 * bundles share the {@code Section} class.
 */
public class FrameworkStopIT {
    static final Duration PROCESS_LIMIT = Duration.ofMinutes(2);

    @Test
    public void stoppingTheFrameworkCompletesQueuedWorkWithShutdown() throws Exception {
        Path output = Files.createTempFile("pathpoint-framework-stop", ".log");
        Process scenario = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dpathpoint.runtime.dir=" + TestConfig.runtimeDir(),
                "-Dorg.slf4j.simpleLogger.log.com.ghgande.j2mod=warn",
                FrameworkStopIT.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = scenario.waitFor(PROCESS_LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        if (!ended) {
            scenario.destroyForcibly();
        }
        String log = Files.readString(output);
        System.out.println(log);
        assertEquals("the scenario JVM ended within " + PROCESS_LIMIT + " and passed:\n" + log, 0, ended ? scenario.exitValue() : -1);
    }

    /** The scenario, run in its own JVM: exits 0 when every assertion held. */
    public static void main(String[] args) {
        try {
            runScenario();
            System.out.println("framework stop scenario passed");
            System.exit(0);
        } catch (Throwable failure) {
            failure.printStackTrace(System.out);
            System.exit(1);
        }
    }
    static final Duration STOP_BOUND = Duration.ofSeconds(30);
    static final int UNIT = 7;

    static void runScenario() throws Exception {
        Path bundles = TestConfig.runtimeDir().resolve("bundles");
        Path conf = TestConfig.copyOfDefaultConfig();
        try (PymodbusServer device = ModbusDevice.start(UNIT)) {
            // nothing times out by itself during the test: only the stop can end the work
            Files.writeString(conf.resolve("dev.pathpoint.engine.cfg"),
                    "operationTimeoutMillis=600000\nnoDriverWaitForceMillis=600000\n");
            Files.writeString(conf.resolve("dev.pathpoint.modbus-stalled.cfg"), "name=stalled\nhost=127.0.0.1\nport="
                    + device.port() + "\nunitIds=" + UNIT + "\nresponseTimeoutMillis=600000\n");

            Map<String, String> properties = new HashMap<>();
            properties.put(Constants.FRAMEWORK_STORAGE, Files.createTempDirectory("pathpoint-framework-stop").toString());
            properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, apiExports(bundles));
            properties.put("pathpoint.home", TestConfig.runtimeDir().toString());
            properties.put("felix.fileinstall.dir", conf.toString());
            properties.put("felix.fileinstall.noInitialDelay", "true");
            properties.put("felix.fileinstall.poll", "200");
            Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(properties);
            framework.start();
            try {
                BundleContext context = framework.getBundleContext();
                for (Path jar : runtimeBundles(bundles)) {
                    context.installBundle(jar.toUri().toString());
                }
                for (Bundle bundle : context.getBundles()) {
                    if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null && bundle.getBundleId() != 0) {
                        bundle.start();
                    }
                }
                Await.until("the engine with the settings from FileInstall", Rig.SETUP_LIMIT,
                        () -> engine(context) != null && "600000".equals(String.valueOf(engine(context).getProperty("operationTimeoutMillis"))));
                Await.until("the stalled device's driver", Rig.SETUP_LIMIT, () -> driverCount(context, "stalled") > 0);
                OrderExecutor executor = (OrderExecutor) context.getService(engine(context));
                device.freeze();
                List<Section> sections = QueuedWork.queue(executor, UNIT);
                Await.until("work running and queued behind the frozen device", Rig.SETUP_LIMIT,
                        () -> executor.statistics().runningSections() > 0 && executor.statistics().queuedSections() > 0);

                long started = System.nanoTime();
                framework.stop();
                FrameworkEvent stopped = framework.waitForStop(STOP_BOUND.toMillis());
                if (stopped.getType() != FrameworkEvent.STOPPED) {
                    printThreads(); // what the stop waits for
                }
                assertEquals("framework stopped within " + STOP_BOUND, FrameworkEvent.STOPPED, stopped.getType());
                System.out.printf("framework stopped in %.1f ms with %d sections pending%n",
                        (System.nanoTime() - started) / 1e6, sections.size());
                Await.until("every section future to complete", STOP_BOUND, () -> sections.stream().allMatch(s -> s.future().isDone()));
                QueuedWork.assertAllShutDown(sections);
            } finally {
                if (framework.getState() != Bundle.RESOLVED) {
                    framework.stop();
                    framework.waitForStop(STOP_BOUND.toMillis());
                }
            }
        }
    }

    private static void printThreads() {
        for (java.lang.management.ThreadInfo thread : java.lang.management.ManagementFactory.getThreadMXBean()
                .dumpAllThreads(true, true)) {
            System.out.print(thread.toString().replace("\n\t...\n", "\n"));
            for (StackTraceElement frame : thread.getStackTrace()) {
                System.out.println("\t\tat " + frame);
            }
        }
    }

    /**
     * The engine's executor service. Looked up without Felix's class-space check: the system bundle's
     * view of the API packages is the class path, the same classes the engine wired to.
     */
    private static ServiceReference<?> engine(BundleContext context) {
        try {
            ServiceReference<?>[] references = context.getAllServiceReferences(OrderExecutor.class.getName(), null);
            return references == null ? null : references[0];
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static int driverCount(BundleContext context, String name) {
        try {
            ServiceReference<?>[] references = context.getAllServiceReferences(dev.pathpoint.api.driver.PathpointDriver.class.getName(),
                    "(" + dev.pathpoint.api.driver.PathpointDriver.DRIVER_NAME + "=" + name + ")");
            return references == null ? 0 : references.length;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The API bundle's Export-Package, served by the system bundle from the class path instead. */
    private static String apiExports(Path bundles) throws Exception {
        try (Stream<Path> jars = Files.list(bundles)) {
            Path api = jars.filter(jar -> jar.getFileName().toString().startsWith("dev.pathpoint.api-")).findFirst().orElseThrow();
            try (JarFile jar = new JarFile(api.toFile())) {
                String exports = jar.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
                assertNotNull("api bundle exports", exports);
                // uses constraints name bundle packages (Jackson) the system bundle does not wire to
                return exports.replaceAll(";uses:=\"[^\"]*\"", "");
            }
        }
    }

    private static List<Path> runtimeBundles(Path bundles) throws Exception {
        try (Stream<Path> jars = Files.list(bundles)) {
            return jars.filter(jar -> jar.toString().endsWith(".jar"))
                    .filter(jar -> !jar.getFileName().toString().startsWith("dev.pathpoint.api-"))
                    .filter(jar -> !jar.getFileName().toString().startsWith("org.apache.felix.gogo.shell"))
                    .sorted().toList();
        }
    }
}
