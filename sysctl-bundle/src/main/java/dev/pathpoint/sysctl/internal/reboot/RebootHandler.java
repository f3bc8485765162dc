package dev.pathpoint.sysctl.internal.reboot;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.sysctl.SysctlHandler;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code reboot}: restarts the OSGi framework, or runs a configured operating system command.
 *
 * <p>Framework restart is {@code update()} of the system bundle, from a thread of this handler's
 * own after the configured delay, so the order's result is delivered first. The framework then
 * stops with {@code FrameworkEvent.STOPPED_UPDATE}; a launcher must loop: call {@code start()} and
 * {@code waitForStop(0)} again while {@code waitForStop} returns {@code STOPPED_UPDATE}.
 *
 * <p>Under Apache Karaf's launcher (which sets the property {@value #KARAF_RESTART}) the restart is
 * Karaf's own, as {@code system:shutdown -r} does it: {@value #KARAF_RESTART}{@code =true}, then stop
 * the system bundle; Karaf's main loop launches a fresh framework. A system bundle update there
 * hangs Karaf: Felix restarts the framework itself, Karaf's launcher sees it STARTING and sets its
 * start level before Felix has its start level thread again ({@code IllegalStateException: No inital
 * startlevel yet}), so the framework stays at Karaf's lock level and stops serving.
 */
@Component(name = RebootHandler.PID, service = SysctlHandler.class, property = SysctlHandler.OP + "=reboot")
@Designate(ocd = RebootHandler.Config.class)
public final class RebootHandler implements SysctlHandler {

    public static final String PID = "dev.pathpoint.sysctl.reboot";
    /** Set by Karaf's launcher at every launch; {@code true} when the framework stops asks it for a new one. */
    static final String KARAF_RESTART = "karaf.restart";

    private static final Logger LOG = LoggerFactory.getLogger(RebootHandler.class);

    @ObjectClassDefinition(id = PID, name = "Pathpoint sysctl: reboot",
            description = "What the reboot sysctl does: restart the OSGi framework (default) or run an OS command.")
    public @interface Config {
        @AttributeDefinition(name = "Mode",
                description = "FRAMEWORK restarts the OSGi framework; COMMAND runs the configured command instead.")
        RebootMode mode() default RebootMode.FRAMEWORK;

        @AttributeDefinition(name = "Command", required = false,
                description = "The command and its arguments, one per value, e.g. sudo, systemctl, reboot. "
                        + "Used only in COMMAND mode; run without a shell.")
        String[] command() default {};

        @AttributeDefinition(name = "Command timeout (seconds)", min = "1",
                description = "The command is killed and the order fails if it runs longer.")
        long command_timeout_seconds() default 60;

        @AttributeDefinition(name = "Framework restart delay (milliseconds)", min = "0",
                description = "Time between answering the order and restarting the framework, so the answer gets out.")
        long framework_restart_delay_millis() default 1000;
    }

    private final BundleContext context;
    private final ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pathpoint-sysctl-reboot");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean restartPending = new AtomicBoolean();
    private volatile Config config;

    @Activate
    public RebootHandler(BundleContext context, Config config) {
        this.context = context;
        this.config = config;
    }

    @Modified
    void modified(Config config) {
        this.config = config;
    }

    @Deactivate
    void deactivate() {
        // A restart already running is not interrupted; one still waiting for its delay is dropped.
        if (!restarter.shutdownNow().isEmpty()) {
            LOG.warn("sysctl reboot: handler stopped before the scheduled framework restart; restart dropped");
        }
    }

    @Override
    public String execute(String opType, String opArgs) throws OperationFailedException {
        if (opArgs != null && !opArgs.isBlank()) {
            throw invalid("reboot takes no arguments; got '" + opArgs + "'");
        }
        Config current = config;
        RebootMode mode = current.mode() == null ? RebootMode.FRAMEWORK : current.mode();
        return switch (mode) {
            case FRAMEWORK -> scheduleFrameworkRestart(current.framework_restart_delay_millis());
            case COMMAND -> runCommand(current);
        };
    }

    private String runCommand(Config current) throws OperationFailedException {
        List<String> command = current.command() == null ? List.of()
                : Arrays.stream(current.command()).filter(part -> part != null && !part.isEmpty()).toList();
        if (command.isEmpty()) {
            throw invalid("reboot is misconfigured: mode is COMMAND but no command is set in " + PID);
        }
        if (current.command_timeout_seconds() < 1) {
            throw invalid("reboot is misconfigured: command.timeout.seconds is " + current.command_timeout_seconds()
                    + " in " + PID + ", it must be at least 1");
        }
        LOG.info("sysctl reboot: running {}", command);
        return CommandRunner.run(command, Duration.ofSeconds(current.command_timeout_seconds()));
    }

    private String scheduleFrameworkRestart(long delayMillis) throws OperationFailedException {
        if (delayMillis < 0) {
            throw invalid("reboot is misconfigured: framework.restart.delay.millis is " + delayMillis + " in " + PID
                    + ", it must not be negative");
        }
        if (!restartPending.compareAndSet(false, true)) {
            return "framework restart already scheduled";
        }
        Bundle systemBundle = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        try {
            restarter.schedule(() -> restart(systemBundle), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            restartPending.set(false);
            throw new OperationFailedException(OperationFailedReason.ERROR,
                    "reboot handler is stopping; framework restart not scheduled");
        }
        LOG.info("sysctl reboot: framework restart in {} ms", delayMillis);
        return "framework restart scheduled in " + delayMillis + " ms";
    }

    private void restart(Bundle systemBundle) {
        try {
            if (context.getProperty(KARAF_RESTART) != null) {
                // Karaf's main loop reads the system property once the framework has stopped
                System.setProperty(KARAF_RESTART, "true");
                systemBundle.stop();
            } else {
                systemBundle.update();
            }
        } catch (BundleException | IllegalStateException | SecurityException e) {
            restartPending.set(false);
            LOG.error("sysctl reboot: framework restart failed", e);
        }
    }

    private static OperationFailedException invalid(String message) {
        return new OperationFailedException(OperationFailedReason.INVALID, message);
    }
}
