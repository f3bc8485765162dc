package dev.pathpoint.sysctl.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A real Felix framework with the runtime bundles the sysctl bundle needs, launched through the OSGi
 * launch API. The test shares a few API packages with it through the system bundle, so the test and
 * the bundles see the same SysctlHandler, Config Admin and Event Admin types.
 */
final class RunningFramework implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Bundle jars copied by maven-dependency-plugin (see the pom), and this module's own jar. */
    static final Path TEST_BUNDLES = Path.of(requiredProperty("pathpoint.test.bundles"));
    static final Path SYSCTL_JAR = Path.of(requiredProperty("pathpoint.sysctl.jar"));
    static final Path TEST_CLASSES = Path.of(requiredProperty("pathpoint.test.classes"));

    private static final String SHARED_PACKAGES = String.join(",",
            "dev.pathpoint.api.failure;version=1.0.0",
            "dev.pathpoint.api.sysctl;version=1.0.0;uses:=\"dev.pathpoint.api.failure\"",
            "org.osgi.service.cm;version=1.6.1",
            "org.osgi.service.event;version=1.4.1",
            "org.osgi.service.metatype;version=1.4.1");

    final Framework framework;
    private SysctlDispatcher dispatcher;

    private RunningFramework(Framework framework) {
        this.framework = framework;
    }

    static RunningFramework start(Path storage) throws BundleException, IOException {
        return start(storage, Map.of());
    }

    /** A framework with extra framework properties, e.g. those a launcher sets. */
    static RunningFramework start(Path storage, Map<String, String> launcherProperties) throws BundleException, IOException {
        Map<String, String> properties = new HashMap<>(launcherProperties);
        properties.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SHARED_PACKAGES);
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow();
        Framework framework = factory.newFramework(properties);
        framework.start();
        RunningFramework running = new RunningFramework(framework);
        running.closeDispatcherWhenStopping();
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : runtimeBundles()) {
            installed.add(running.context().installBundle(jar.toUri().toString()));
        }
        for (Bundle bundle : installed) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start();
            }
        }
        running.awaitBuiltInHandlers();
        return running;
    }

    /** Every bundle the test installs: the dependency jars and this module's jar. */
    static List<Path> runtimeBundles() throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(TEST_BUNDLES)) {
            jars = new ArrayList<>(files.filter(file -> file.toString().endsWith(".jar")).sorted().toList());
        }
        jars.add(SYSCTL_JAR);
        return jars;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    synchronized SysctlDispatcher dispatcher() {
        if (dispatcher == null) {
            dispatcher = new SysctlDispatcher(context());
        }
        return dispatcher;
    }

    /** Closes the dispatcher: after a framework restart the old bundle context is gone. */
    synchronized void forgetDispatcher() {
        if (dispatcher != null) {
            dispatcher.close();
            dispatcher = null;
        }
    }

    /**
     * Like an engine bundle being stopped, the dispatcher lets go of its handlers when the framework
     * stops (also for the restart of {@code reboot}), while its bundle context is still valid.
     */
    private void closeDispatcherWhenStopping() {
        context().addBundleListener((SynchronousBundleListener) event -> {
            if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
                forgetDispatcher();
            }
        });
    }

    void awaitBuiltInHandlers() {
        await().atMost(TIMEOUT).until(() -> Stream.of("update", "reboot", "baob-created", "baob-updated", "baob-deleted")
                .allMatch(op -> dispatcher().handlerFor(op).isPresent()));
    }

    Bundle bundle(String symbolicName) {
        return Stream.of(context().getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    /**
     * Sets a handler's configuration and waits until the handler's service shows it (DS copies
     * configuration into the component's service properties).
     */
    void configure(String pid, Map<String, Object> values) throws IOException {
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker =
                new ServiceTracker<>(context(), ConfigurationAdmin.class, null);
        tracker.open();
        try {
            ConfigurationAdmin admin = await().atMost(TIMEOUT).until(tracker::getService, a -> a != null);
            Configuration configuration = admin.getConfiguration(pid, "?");
            Dictionary<String, Object> properties = new Hashtable<>(values);
            configuration.update(properties);
        } finally {
            tracker.close();
        }
        await().atMost(TIMEOUT).until(() -> handlerShows(pid, values));
    }

    /** Creates a factory configuration and returns its PID. */
    String configureFactory(String factoryPid, Map<String, Object> values) throws IOException {
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker =
                new ServiceTracker<>(context(), ConfigurationAdmin.class, null);
        tracker.open();
        try {
            ConfigurationAdmin admin = await().atMost(TIMEOUT).until(tracker::getService, a -> a != null);
            Configuration configuration = admin.createFactoryConfiguration(factoryPid, "?");
            configuration.update(new Hashtable<>(values));
            return configuration.getPid();
        } finally {
            tracker.close();
        }
    }

    void deleteConfiguration(String pid) throws IOException {
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker =
                new ServiceTracker<>(context(), ConfigurationAdmin.class, null);
        tracker.open();
        try {
            ConfigurationAdmin admin = await().atMost(TIMEOUT).until(tracker::getService, a -> a != null);
            admin.getConfiguration(pid, "?").delete();
        } finally {
            tracker.close();
        }
    }

    private boolean handlerShows(String pid, Map<String, Object> values) throws Exception {
        ServiceReference<?>[] references = context().getServiceReferences(
                "dev.pathpoint.api.sysctl.SysctlHandler", "(component.name=" + pid + ")");
        if (references == null) {
            return false;
        }
        return values.entrySet().stream().allMatch(entry -> {
            Object shown = references[0].getProperty(entry.getKey());
            Object wanted = entry.getValue();
            return shown instanceof Object[] array && wanted instanceof Object[] wantedArray
                    ? java.util.Arrays.equals(array, wantedArray) : wanted.equals(shown);
        });
    }

    @Override
    public void close() throws BundleException {
        forgetDispatcher();
        framework.stop();
        FrameworkEvent stopped;
        try {
            stopped = framework.waitForStop(TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping the framework", e);
        }
        if (stopped.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
            throw new AssertionError("framework did not stop within " + TIMEOUT);
        }
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run through mvn verify (failsafe)");
        }
        return value;
    }
}
