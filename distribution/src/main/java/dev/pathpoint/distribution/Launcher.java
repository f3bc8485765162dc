package dev.pathpoint.distribution;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Starts the Pathpoint runtime: a Felix framework with every bundle of {@code bundles/}, Config Admin
 * fed from a configuration directory (Felix FileInstall) and a watched {@code deploy/} directory.
 *
 * <p>Interactive by default (the Gogo shell on the console). With {@code --exec FILE} it executes the
 * sections of a JSON file, prints one JSON result per section on stdout and exits 0 if every order
 * succeeded, 1 if not, 2 if it could not run them. A framework restart (the {@code reboot} sysctl
 * updates the system bundle) ends the process with {@value #RESTART_EXIT_STATUS}, on which the start
 * script starts it again; with {@code --exec} the framework restarts in the same process.
 */
public final class Launcher {
    /** Framework property naming the sections file of a non-interactive run (read by the engine bundle). */
    static final String EXEC_PROPERTY = "pathpoint.exec";
    /** System property in which a non-interactive run leaves its exit status before stopping the framework. */
    static final String EXIT_STATUS_PROPERTY = "pathpoint.exit.status";
    /** Service property of the stdout handed to the sections runner in a non-interactive run. */
    static final String EXEC_OUTPUT_PROPERTY = "pathpoint.exec.output";
    static final int USAGE_ERROR = 64;
    /** Exit status asking the start script (or a service manager) to start the runtime again. */
    static final int RESTART_EXIT_STATUS = 75;

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args, home());
        } catch (IllegalArgumentException e) {
            System.err.println("pathpoint: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(USAGE_ERROR);
            return;
        }
        System.exit(run(options, System.err));
    }

    /** Runs the framework until it stops for good; returns the process exit status. */
    static int run(Options options, PrintStream log) throws BundleException, IOException, InterruptedException {
        // watched by FileInstall and read by the update sysctl: they must exist
        Files.createDirectories(options.home().resolve("deploy"));
        Files.createDirectories(options.home().resolve("update"));
        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next()
                .newFramework(frameworkProperties(options));
        framework.init();
        if (options.exec() != null) {
            handOverStdout(framework);
        }
        installBundles(framework, options);
        framework.start();
        try {
            return waitForEnd(framework, options, log);
        } finally {
            if (options.temporaryStorage()) {
                deleteTree(options.storage());
            }
        }
    }

    private static int waitForEnd(Framework framework, Options options, PrintStream log)
            throws BundleException, InterruptedException {
        long deadline = options.exec() == null ? Long.MAX_VALUE
                : System.nanoTime() + options.execTimeout().toNanos();
        FrameworkEvent event;
        do {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                log.println("pathpoint: the sections did not finish within " + options.execTimeout().toSeconds()
                        + " s (is the engine bundle active?); stopping");
                framework.stop();
                framework.waitForStop(30_000);
                return 2;
            }
            event = framework.waitForStop(options.exec() == null ? 0 : Math.max(1, left / 1_000_000));
            if (event.getType() == FrameworkEvent.STOPPED_UPDATE) {
                // an update of the system bundle (the reboot sysctl) stopped the framework
                if (options.exec() == null) {
                    // a fresh JVM gives a fresh console too: the start script runs the launcher again
                    log.println("pathpoint: framework restart requested, exiting with " + RESTART_EXIT_STATUS);
                    return RESTART_EXIT_STATUS;
                }
                log.println("pathpoint: framework restarting");
                framework.start();
            }
        } while (event.getType() == FrameworkEvent.STOPPED_UPDATE || event.getType() == FrameworkEvent.WAIT_TIMEDOUT);
        if (event.getType() == FrameworkEvent.ERROR) {
            log.println("pathpoint: framework stopped on error: " + event.getThrowable());
            return 2;
        }
        if (options.exec() == null) {
            return 0;
        }
        String status = System.getProperty(EXIT_STATUS_PROPERTY);
        return status == null ? 2 : Integer.parseInt(status);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * In a non-interactive run stdout carries only results: everything else printed to it (bundles'
     * warnings) goes to stderr, and the results reach the runner as a service.
     */
    private static void handOverStdout(Framework framework) {
        PrintStream results = System.out;
        System.setOut(System.err);
        framework.getBundleContext().registerService(PrintStream.class, results,
                new java.util.Hashtable<>(Map.of(EXEC_OUTPUT_PROPERTY, Boolean.TRUE)));
    }

    static Map<String, String> frameworkProperties(Options options) {
        Map<String, String> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, options.storage().toString());
        if (options.temporaryStorage()) {
            properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        properties.put("pathpoint.home", options.home().toString());
        properties.put("felix.fileinstall.dir", options.config().toString());
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.fileinstall.poll", "1000");
        properties.put("felix.fileinstall.log.level", "2");
        // the files are the source of truth: FileInstall writing Config Admin changes back into them
        // raced with framework stops and left them empty
        properties.put("felix.fileinstall.enableConfigSave", "false");
        properties.put("felix.cm.dir", options.storage().resolve("config").toString());
        // the HTTP service stays off until conf/org.apache.felix.http.config gives it a port, and then
        // listens on loopback unless that file says otherwise: it never binds 0.0.0.0:8080 at start-up
        properties.put("org.apache.felix.http.host", "127.0.0.1");
        properties.put("org.osgi.service.http.port", "-1");
        if (options.exec() != null) {
            properties.put(EXEC_PROPERTY, options.exec().toString());
            // no shell on the console: stdout carries only the results
            properties.put("gosh.args", "--nointeractive");
        }
        return properties;
    }

    /**
     * Installs the bundles of {@code bundles/} that the framework's storage does not hold yet, and
     * updates those whose jar is newer than the installed copy (a rebuilt runtime). Bundles updated
     * at runtime (the update sysctl) stay as they are until their jar in {@code bundles/} changes.
     */
    private static void installBundles(Framework framework, Options options) throws IOException, BundleException {
        List<Bundle> bundles = new ArrayList<>();
        try (Stream<Path> jars = Files.list(options.home().resolve("bundles"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                String location = jar.toUri().toString();
                Bundle bundle = framework.getBundleContext().getBundle(location);
                if (bundle == null) {
                    bundle = framework.getBundleContext().installBundle(location);
                } else if (Files.getLastModifiedTime(jar).toMillis() > bundle.getLastModified()) {
                    bundle.update();
                }
                bundles.add(bundle);
            }
        }
        for (Bundle bundle : bundles) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start();
            }
        }
    }

    private static Path home() {
        String home = System.getProperty("pathpoint.home");
        if (home != null) {
            return Paths.get(home).toAbsolutePath();
        }
        try {
            return Paths.get(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .getParent().toAbsolutePath();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the launcher jar is", e);
        }
    }
}
