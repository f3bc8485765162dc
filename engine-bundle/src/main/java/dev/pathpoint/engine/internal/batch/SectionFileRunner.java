package dev.pathpoint.engine.internal.batch;

import dev.pathpoint.api.executor.OrderExecutor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The non-interactive mode of the distribution: when the framework property
 * {@value #EXEC_PROPERTY} names a sections file, runs it once the framework has started, leaves the
 * exit status in the system property {@value #EXIT_STATUS_PROPERTY} and stops the framework. Does
 * nothing otherwise.
 */
@Component(immediate = true)
public final class SectionFileRunner {
    static final String EXEC_PROPERTY = "pathpoint.exec";
    static final String EXIT_STATUS_PROPERTY = "pathpoint.exit.status";
    /** Property of the {@link PrintStream} service through which the launcher hands over its stdout. */
    static final String OUTPUT_PROPERTY = "pathpoint.exec.output";
    /** Longest a run may take; the launcher has its own, configurable, limit on top. */
    static final Duration RUN_TIMEOUT = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(SectionFileRunner.class);

    @Activate
    public SectionFileRunner(BundleContext context, @Reference OrderExecutor executor,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, target = "(" + OUTPUT_PROPERTY + "=true)")
            PrintStream results) {
        String file = context.getProperty(EXEC_PROPERTY);
        if (file == null || file.isBlank() || System.getProperty(EXIT_STATUS_PROPERTY) != null) {
            return;
        }
        // the launcher hands over the process's real stdout, so that nothing else printed lands among results
        PrintStream out = results != null ? results : System.out;
        // activation must not block: the run waits for devices
        Thread run = new Thread(() -> runAndStop(context, executor, Path.of(file), out), "pathpoint-exec");
        run.setDaemon(true);
        run.start();
    }

    private static void runAndStop(BundleContext context, OrderExecutor executor, Path file, PrintStream out) {
        int status = SectionFileRun.NOT_RUN;
        try {
            status = new SectionFileRun(executor, out, System.err).run(file, RUN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("running {} failed", file, e);
        } finally {
            System.setProperty(EXIT_STATUS_PROPERTY, Integer.toString(status));
            stopFramework(context);
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
