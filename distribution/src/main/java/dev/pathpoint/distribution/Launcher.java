package dev.pathpoint.distribution;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Starts the Pathpoint runtime: a Felix framework with every bundle of {@code bundles/}, Config Admin
 * fed from a configuration directory (Felix FileInstall) and a watched {@code deploy/} directory.
 *
 * <p>Interactive by default: the Gogo JLine shell on the terminal; without a terminal (a service
 * manager, a container) it runs without a console until it is stopped. With {@code --exec FILE} it
 * executes the sections of a JSON file (or standard input), prints one JSON result per section on
 * stdout and exits 0 if every order succeeded, 1 if not, 2 if it could not run them. A framework
 * restart (the {@code reboot} sysctl updates the system bundle) ends an interactive process with
 * {@value #RESTART_EXIT_STATUS}, on which the start script starts it again; with {@code --exec} the
 * framework restarts in the same process.
 *
 * <p>SIGTERM or SIGINT stop the framework cleanly from a shutdown hook, within
 * {@link #STOP_TIMEOUT}: components are deactivated, connections closed, pending orders end
 * {@code SHUTDOWN} and an {@code --exec} run prints its result lines before the process ends.
 */
public final class Launcher {
    /** Framework property naming the sections file of a non-interactive run (read by the engine bundle). */
    static final String EXEC_PROPERTY = "pathpoint.exec";
    /** Framework property: how the sections file is called in messages (e.g. "standard input"). */
    static final String EXEC_NAME_PROPERTY = "pathpoint.exec.name";
    /** Framework property: how long the sections runner waits for the sections, in seconds. */
    static final String EXEC_TIMEOUT_PROPERTY = "pathpoint.exec.timeout.seconds";
    /** Service property of the stdout handed to the sections runner in a non-interactive run. */
    static final String EXEC_OUTPUT_PROPERTY = "pathpoint.exec.output";
    /** Service property of the {@link IntConsumer} through which the sections runner reports its exit status. */
    static final String EXEC_EXIT_PROPERTY = "pathpoint.exec.exit";
    static final int USAGE_ERROR = 64;
    /** Exit status asking the start script (or a service manager) to start the runtime again. */
    static final int RESTART_EXIT_STATUS = 75;
    /** The sections could not be run. */
    static final int NOT_RUN = 2;
    /** How long a stop (a signal, the end of a run) may take before the process ends anyway. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long after its timeout the launcher waits for the sections runner to report: the runner
     * gives up at the timeout itself and says what was pending; this catches an engine that never
     * started.
     */
    static final Duration RUNNER_GRACE = Duration.ofSeconds(15);
    /** The interactive shell: started only on a terminal. */
    static final String SHELL_BUNDLE = "org.apache.felix.gogo.jline";
    static final String ENGINE_BUNDLE = "dev.pathpoint.engine";
    /** Standard input is copied for the runner up to one byte over the wire format's limit, so that it reports the size. */
    private static final int MAX_STDIN_BYTES = 8 * 1024 * 1024 + 1;

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
        if (options.help()) {
            System.out.println(Options.USAGE);
            System.exit(0);
            return;
        }
        Launcher.Run run = new Launcher.Run(options, System.err);
        int status = run.start();
        if (!run.stoppedByShutdownHook()) {
            System.exit(status);
        }
        // a signal stopped the runtime: the shutdown hook ends the process with the signal's status
    }

    /** One run of the launcher: the framework, until it stops for good. */
    static final class Run {
        private final Options options;
        private final PrintStream log;
        private final boolean console;
        private final CompletableFuture<Integer> execStatus = new CompletableFuture<>();
        private final AtomicBoolean shutdownHookRan = new AtomicBoolean();
        private Framework framework;
        private Path stdinCopy;

        Run(Options options, PrintStream log) {
            this.options = options;
            this.log = log;
            this.console = options.exec() == null && onTerminal();
        }

        boolean stoppedByShutdownHook() {
            return shutdownHookRan.get();
        }

        /** Runs the framework until it stops for good; returns the process exit status. */
        int start() throws BundleException, IOException, InterruptedException {
            // watched by FileInstall and read by the update sysctl: they must exist
            Files.createDirectories(options.home().resolve("deploy"));
            Files.createDirectories(options.home().resolve("update"));
            Path sections = options.exec();
            if (options.execFromStdin()) {
                sections = stdinCopy = copyOfStandardInput();
            }
            framework = ServiceLoader.load(FrameworkFactory.class).iterator().next()
                    .newFramework(frameworkProperties(options, sections));
            framework.init();
            if (options.exec() != null) {
                handOverStdout();
            }
            if (console) {
                ConsoleLines.install(framework.getBundleContext());
            }
            installBundles();
            if (options.exec() == null && !console) {
                log.println("pathpoint: no terminal, running without a console; stop it with SIGTERM");
            }
            Thread hook = new Thread(this::stopOnShutdown, "pathpoint-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            framework.start();
            if (console) {
                startShell();
            }
            try {
                return options.exec() == null ? waitForInteractiveEnd() : waitForRunEnd();
            } finally {
                if (!shutdownHookRan.get()) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook runs now and cleans up
                    }
                    cleanUp();
                }
            }
        }

        private int waitForInteractiveEnd() throws InterruptedException {
            FrameworkEvent event = framework.waitForStop(0);
            if (event.getType() == FrameworkEvent.STOPPED_UPDATE && !shutdownHookRan.get()) {
                // an update of the system bundle (the reboot sysctl) stopped the framework; a fresh JVM
                // gives a fresh console too: the start script runs the launcher again
                log.println("pathpoint: framework restart requested, exiting with " + RESTART_EXIT_STATUS);
                stopQuietly();
                return RESTART_EXIT_STATUS;
            }
            if (event.getType() == FrameworkEvent.ERROR) {
                log.println("pathpoint: framework stopped on error: " + event.getThrowable());
                return NOT_RUN;
            }
            return 0;
        }

        /**
         * Waits for the sections runner's exit status, then stops the framework. The runner enforces
         * the timeout and says what was pending; after the timeout and a grace the launcher gives up
         * on its own, saying what state the engine bundle is in.
         */
        private int waitForRunEnd() throws InterruptedException {
            long deadline = System.nanoTime() + options.execTimeout().plus(RUNNER_GRACE).toNanos();
            CompletableFuture<FrameworkEvent> stopped = watchForStop();
            while (true) {
                long left = deadline - System.nanoTime();
                try {
                    CompletableFuture.anyOf(execStatus, stopped).get(Math.max(1, left), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    log.println("pathpoint: the sections did not finish within " + options.execTimeout().toSeconds()
                            + " s and no result came: " + engineState() + "; stopping");
                    stopQuietly();
                    return NOT_RUN;
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
                if (execStatus.isDone()) {
                    stopQuietly();
                    return execStatus.join();
                }
                FrameworkEvent event = stopped.join();
                if (event.getType() == FrameworkEvent.STOPPED_UPDATE && !shutdownHookRan.get()) {
                    // the reboot sysctl: with --exec the framework restarts in this process
                    log.println("pathpoint: framework restarting");
                    try {
                        framework.start();
                    } catch (BundleException restartFailed) {
                        log.println("pathpoint: framework restart failed: " + restartFailed.getMessage());
                        return NOT_RUN;
                    }
                    stopped = watchForStop();
                    continue;
                }
                // stopped from elsewhere (a signal, stop 0 from a bundle): the runner reports what it printed
                try {
                    return execStatus.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    log.println("pathpoint: the framework stopped before the sections were run");
                    return NOT_RUN;
                }
            }
        }

        private CompletableFuture<FrameworkEvent> watchForStop() {
            CompletableFuture<FrameworkEvent> stopped = new CompletableFuture<>();
            Thread watcher = new Thread(() -> {
                try {
                    stopped.complete(framework.waitForStop(0));
                } catch (InterruptedException e) {
                    stopped.completeExceptionally(e);
                }
            }, "pathpoint-stop-watcher");
            watcher.setDaemon(true);
            watcher.start();
            return stopped;
        }

        /** What the launcher can tell about the engine when the runner never reported. */
        private String engineState() {
            Bundle engine = bundleNamed(ENGINE_BUNDLE);
            if (engine == null) {
                return "the engine bundle " + ENGINE_BUNDLE + " is not installed";
            }
            if (engine.getState() != Bundle.ACTIVE) {
                return "the engine bundle " + ENGINE_BUNDLE + " is " + stateName(engine.getState())
                        + (engine.getState() == Bundle.INSTALLED ? " (not resolved: a package it imports is missing)" : "");
            }
            if (framework.getBundleContext().getServiceReference("dev.pathpoint.api.executor.OrderExecutor") == null) {
                return "the engine bundle is active but its engine component is not (see its log lines on stderr)";
            }
            return "the engine is running but its sections runner did not report";
        }

        /** Stops the framework and waits for it, at most {@link #STOP_TIMEOUT}. */
        private void stopQuietly() {
            try {
                framework.stop();
                if (framework.waitForStop(STOP_TIMEOUT.toMillis()).getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                    log.println("pathpoint: the framework did not stop within " + STOP_TIMEOUT.toSeconds() + " s");
                }
            } catch (BundleException e) {
                log.println("pathpoint: the framework did not stop cleanly: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * The shutdown hook (SIGTERM, SIGINT, System.exit): stops the framework within a bounded time,
         * so that components deactivate and pending orders end; an {@code --exec} run prints its
         * results first.
         */
        private void stopOnShutdown() {
            shutdownHookRan.set(true);
            long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
            int state = framework.getState();
            if ((state & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) != 0) {
                log.println("pathpoint: stopping");
                stopQuietly();
                if (options.exec() != null) {
                    try {
                        execStatus.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (TimeoutException | ExecutionException e) {
                        log.println("pathpoint: the sections runner did not report its results in time");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            System.out.flush();
            cleanUp();
        }

        private void cleanUp() {
            try {
                if (options.temporaryStorage()) {
                    deleteTree(options.storage());
                }
                if (stdinCopy != null) {
                    Files.deleteIfExists(stdinCopy);
                }
            } catch (IOException e) {
                log.println("pathpoint: cannot delete temporary files: " + e.getMessage());
            }
        }

        /**
         * In a non-interactive run stdout carries only results: everything else printed to it (bundles'
         * warnings) goes to stderr, and the results reach the runner as a service. The runner reports
         * its exit status through another.
         */
        private void handOverStdout() {
            PrintStream results = System.out;
            System.setOut(System.err);
            framework.getBundleContext().registerService(PrintStream.class, results,
                    new Hashtable<>(Map.of(EXEC_OUTPUT_PROPERTY, Boolean.TRUE)));
            IntConsumer report = execStatus::complete;
            framework.getBundleContext().registerService(IntConsumer.class, report,
                    new Hashtable<>(Map.of(EXEC_EXIT_PROPERTY, Boolean.TRUE)));
        }

        /**
         * Installs the bundles of {@code bundles/} that the framework's storage does not hold yet, and
         * updates those whose jar is newer than the installed copy (a rebuilt runtime). Bundles updated
         * at runtime (the update sysctl) stay as they are until their jar in {@code bundles/} changes.
         * The shell starts only on a terminal.
         */
        private void installBundles() throws IOException, BundleException {
            List<Bundle> bundles = new ArrayList<>();
            String bundlesDirectory = options.home().resolve("bundles").toUri().toString();
            for (Bundle installed : framework.getBundleContext().getBundles()) {
                // a bundle of an earlier runtime whose jar is gone from bundles/ (an upgrade dropped or renamed it)
                String location = installed.getLocation();
                if (location.startsWith(bundlesDirectory) && !Files.exists(Paths.get(java.net.URI.create(location)))) {
                    log.println("pathpoint: uninstalling " + installed.getSymbolicName() + " " + installed.getVersion()
                            + ": its jar is no longer in bundles/");
                    installed.uninstall();
                }
            }
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
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                    continue;
                }
                if (SHELL_BUNDLE.equals(bundle.getSymbolicName())) {
                    // started by startShell, on a terminal only; this clears a start remembered in the storage
                    bundle.stop();
                } else {
                    bundle.start();
                }
            }
        }

        /**
         * Starts the shell once everything else has started. JLine finds its terminal providers
         * through the thread's context class loader: the shell's bundle starts (and builds its terminal)
         * on this thread, with JLine's class loader as the context class loader. Transiently: a start
         * remembered in the storage would start it on a thread without one, or without a terminal.
         */
        private void startShell() throws BundleException {
            Bundle shell = bundleNamed(SHELL_BUNDLE);
            Bundle jline = bundleNamed("org.jline");
            if (shell == null || jline == null) {
                log.println("pathpoint: no console: the bundles " + SHELL_BUNDLE + " and org.jline are not both in bundles/");
                return;
            }
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(jline.adapt(BundleWiring.class).getClassLoader());
            try {
                shell.start(Bundle.START_TRANSIENT);
            } finally {
                thread.setContextClassLoader(previous);
            }
        }

        private Bundle bundleNamed(String symbolicName) {
            for (Bundle bundle : framework.getBundleContext().getBundles()) {
                if (symbolicName.equals(bundle.getSymbolicName())) {
                    return bundle;
                }
            }
            return null;
        }

        private static Path copyOfStandardInput() throws IOException {
            Path copy = Files.createTempFile("pathpoint-stdin", ".json");
            try (InputStream in = System.in; OutputStream out = Files.newOutputStream(copy)) {
                out.write(in.readNBytes(MAX_STDIN_BYTES));
            }
            return copy;
        }
    }

    /** Whether standard input and output are a terminal: then the runtime gets a console. */
    static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22 and later return a console when not on a terminal too, and tell it here
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    static Map<String, String> frameworkProperties(Options options, Path sections) {
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
        // the shell reads HOME/etc/gosh_profile if there is one, else its built-in profile
        properties.put("gosh.home", options.home().toString());
        if (sections != null) {
            properties.put(EXEC_PROPERTY, sections.toString());
            properties.put(EXEC_NAME_PROPERTY, options.execFromStdin() ? "standard input" : sections.toString());
            properties.put(EXEC_TIMEOUT_PROPERTY, Long.toString(options.execTimeout().toSeconds()));
        }
        return properties;
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNINSTALLED";
        };
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
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
