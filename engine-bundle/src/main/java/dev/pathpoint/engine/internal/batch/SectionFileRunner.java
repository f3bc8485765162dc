package dev.pathpoint.engine.internal.batch;

import dev.pathpoint.engine.internal.EngineView;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntConsumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The non-interactive mode of the distribution: when the framework property {@value #EXEC_PROPERTY}
 * names a sections file, runs it once the framework has started, at most once per framework (a
 * reactivation of this component, e.g. when the engine restarts, does not run it again). Does
 * nothing otherwise.
 *
 * <p>The launcher hands over its stdout as a {@link PrintStream} service ({@value #OUTPUT_PROPERTY})
 * and takes the exit status through an {@link IntConsumer} service ({@value #EXIT_PROPERTY}); it
 * then stops the framework. Without that service (outside the launcher) the status is logged and
 * the runner stops the framework itself.
 */
@Component(immediate = true)
public final class SectionFileRunner {
    static final String EXEC_PROPERTY = "pathpoint.exec";
    /** How the file is called in messages; its path by default. */
    static final String EXEC_NAME_PROPERTY = "pathpoint.exec.name";
    /** How long the sections may take, in seconds; {@link #DEFAULT_TIMEOUT} by default. */
    static final String EXEC_TIMEOUT_PROPERTY = "pathpoint.exec.timeout.seconds";
    /** Property of the {@link PrintStream} service through which the launcher hands over its stdout. */
    static final String OUTPUT_PROPERTY = "pathpoint.exec.output";
    /** Property of the {@link IntConsumer} service that takes the exit status. */
    static final String EXIT_PROPERTY = "pathpoint.exec.exit";
    /** Set when the run starts: one run per framework (this class lives as long as the engine bundle's revision). */
    private static final java.util.concurrent.atomic.AtomicBoolean STARTED = new java.util.concurrent.atomic.AtomicBoolean();
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);
    private static final Logger LOG = LoggerFactory.getLogger(SectionFileRunner.class);

    @Activate
    public SectionFileRunner(BundleContext context, @Reference EngineView engine,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, target = "(" + OUTPUT_PROPERTY + "=true)")
            PrintStream results,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, target = "(" + EXIT_PROPERTY + "=true)")
            IntConsumer exitStatus) {
        String file = context.getProperty(EXEC_PROPERTY);
        if (file == null || file.isBlank() || !STARTED.compareAndSet(false, true)) {
            return;
        }
        String name = context.getProperty(EXEC_NAME_PROPERTY);
        Duration timeout = timeout(context.getProperty(EXEC_TIMEOUT_PROPERTY));
        // the launcher hands over the process's real stdout, so that nothing else printed lands among results
        PrintStream out = results != null ? results : System.out;
        IntConsumer report = exitStatus != null ? exitStatus : status -> {
            LOG.info("{} ran with exit status {}; stopping the framework", name == null ? file : name, status);
            stopFramework(context);
        };
        SectionFileRun run = new SectionFileRun(engine.executor(), out, System.err, engine::describePendingWork);
        // activation must not block: the run waits for devices. The thread outlives a deactivation of
        // this component on purpose: a stopping engine completes every section, and the results of a
        // stopped run are printed too.
        Thread thread = new Thread(() -> runAndReport(run, Path.of(file), name == null ? file : name, timeout, report),
                "pathpoint-exec");
        thread.setDaemon(true);
        whenFrameworkStarted(context, thread::start);
    }

    /**
     * Runs {@code start} once the framework has started every bundle: this component comes up with the
     * engine bundle, before the bundles after it (a handler the sections call, say) have started.
     */
    static void whenFrameworkStarted(BundleContext context, Runnable start) {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        FrameworkListener listener = new FrameworkListener() {
            @Override
            public void frameworkEvent(FrameworkEvent event) {
                if (event.getType() == FrameworkEvent.STARTED && started.compareAndSet(false, true)) {
                    removeQuietly(context, this);
                    start.run();
                }
            }
        };
        context.addFrameworkListener(listener);
        // the framework may have become active before the listener was added: its STARTED event is gone then
        if (system.getState() == Bundle.ACTIVE && started.compareAndSet(false, true)) {
            removeQuietly(context, listener);
            start.run();
        }
    }

    private static void removeQuietly(BundleContext context, FrameworkListener listener) {
        try {
            context.removeFrameworkListener(listener);
        } catch (IllegalStateException stopped) {
            // the bundle is stopping: its listeners go with it
        }
    }

    private static Duration timeout(String seconds) {
        if (seconds == null) {
            return DEFAULT_TIMEOUT;
        }
        try {
            long value = Long.parseLong(seconds.trim());
            if (value > 0) {
                return Duration.ofSeconds(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.warn("{}={} is not a whole number of seconds above 0; using {} s", EXEC_TIMEOUT_PROPERTY, seconds,
                DEFAULT_TIMEOUT.toSeconds());
        return DEFAULT_TIMEOUT;
    }

    private static void runAndReport(SectionFileRun run, Path file, String name, Duration timeout, IntConsumer report) {
        int status = SectionFileRun.NOT_RUN;
        try {
            status = run.run(file, name, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("running {} failed", name, e);
        } finally {
            report.accept(status);
        }
    }

    private static void stopFramework(BundleContext context) {
        try {
            context.getBundle(Constants.SYSTEM_BUNDLE_ID).stop();
        } catch (BundleException | IllegalStateException e) {
            LOG.error("cannot stop the framework after the run", e);
        }
    }
}
