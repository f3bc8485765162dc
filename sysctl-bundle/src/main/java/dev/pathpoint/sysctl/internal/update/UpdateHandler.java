package dev.pathpoint.sysctl.internal.update;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.sysctl.SysctlHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.resolver.Resolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code update [symbolic-name]}: updates installed bundles in place from newer jars in the
 * configured source, then refreshes the wiring. All-or-nothing up to the point of touching the
 * framework: the whole source must hold valid bundles, and every jar about to be installed must
 * have its requirements met, or nothing is updated.
 *
 * <p>Updating this very bundle is done last and asynchronously: {@code Bundle.update} stops the
 * bundle whose handler is running, and the refresh discards its class loader, so it cannot happen
 * on the handler's own call. The report says it is pending; the handlers come back with the new
 * revision.
 */
@Component(name = UpdateHandler.PID, service = SysctlHandler.class, property = SysctlHandler.OP + "=update")
@Designate(ocd = UpdateHandler.Config.class)
public final class UpdateHandler implements SysctlHandler {

    public static final String PID = "dev.pathpoint.sysctl.update";

    private static final Logger LOG = LoggerFactory.getLogger(UpdateHandler.class);

    @ObjectClassDefinition(id = PID, name = "Pathpoint sysctl: update",
            description = "Where the update sysctl finds new bundle versions, and how long it waits for the refresh.")
    public @interface Config {
        @AttributeDefinition(name = "Source directory", required = false,
                description = "Directory of bundle jars. An installed bundle is updated from the newest jar of the same "
                        + "symbolic name with a higher version. Empty: update is refused until this is set.")
        String source_directory() default "";

        @AttributeDefinition(name = "Refresh timeout (seconds)", min = "1",
                description = "How long to wait for the framework to finish refreshing the updated bundles.")
        long refresh_timeout_seconds() default 60;
    }

    private static final Pattern SYMBOLIC_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    /** Bounds the resolver's search, which can grow large with many uses constraints. */
    private static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(60);

    private final BundleContext context;
    private final Resolver resolver;
    private volatile Config config;

    @Activate
    public UpdateHandler(BundleContext context, @Reference Resolver resolver, Config config) {
        this.context = context;
        this.resolver = resolver;
        this.config = config;
    }

    @Modified
    void modified(Config config) {
        this.config = config;
    }

    @Override
    public synchronized String execute(String opType, String opArgs) throws OperationFailedException {
        Optional<String> only = parseArguments(opArgs);
        Config current = config;
        BundleSource source = sourceOf(current);
        long refreshTimeoutSeconds = current.refresh_timeout_seconds();
        if (refreshTimeoutSeconds < 1) {
            throw invalid("update is misconfigured: refresh.timeout.seconds is " + refreshTimeoutSeconds
                    + " in " + PID + ", it must be at least 1");
        }

        List<BundleCandidate> candidates;
        try {
            candidates = source.candidates();
        } catch (BundleSourceException e) {
            throw invalid("nothing updated: " + e.getMessage());
        }
        List<BundleMove> moves;
        try {
            moves = UpdatePlanner.plan(installedBundles(), candidates, only);
        } catch (IllegalArgumentException e) {
            throw invalid("nothing updated: " + e.getMessage());
        }
        if (moves.isEmpty()) {
            return "nothing to update from " + source.describe() + ": "
                    + only.map(name -> name + " is up to date").orElse("every bundle is up to date");
        }
        Set<Long> replaced = moves.stream().map(move -> move.installed().id()).collect(Collectors.toSet());
        List<String> unmet = new ResolutionCheck(resolver, RESOLVE_TIMEOUT).problems(
                moves.stream().map(BundleMove::candidate).toList(), InstalledState.replacing(context, replaced));
        if (!unmet.isEmpty()) {
            throw invalid("nothing updated: would not resolve: " + String.join("; ", unmet));
        }

        long self = context.getBundle().getBundleId();
        List<BundleMove> others = moves.stream().filter(move -> move.installed().id() != self).toList();
        Optional<BundleMove> selfMove = moves.stream().filter(move -> move.installed().id() == self).findFirst();
        String report = others.isEmpty() ? "" : apply(others, refreshTimeoutSeconds);
        if (selfMove.isPresent()) {
            String selfReport = selfMove.get().describe()
                    + " (pending: this bundle updates itself after this order; its handlers restart)";
            report = report.isEmpty() ? "updated from " + source.describe() + ": " + selfReport
                    : report + "; " + selfReport;
            updateSelfLater(selfMove.get());
        }
        return report;
    }

    private static Optional<String> parseArguments(String opArgs) throws OperationFailedException {
        String args = opArgs == null ? "" : opArgs.strip();
        if (args.isEmpty()) {
            return Optional.empty();
        }
        if (!SYMBOLIC_NAME.matcher(args).matches()) {
            throw invalid("update takes one bundle symbolic name (e.g. dev.pathpoint.modbus) or nothing for all "
                    + "bundles; got '" + opArgs + "'");
        }
        return Optional.of(args);
    }

    private static BundleSource sourceOf(Config config) throws OperationFailedException {
        String directory = config.source_directory() == null ? "" : config.source_directory().strip();
        if (directory.isEmpty()) {
            throw invalid("update has no source: set source.directory in configuration " + PID);
        }
        try {
            return new DirectoryBundleSource(Path.of(directory));
        } catch (IllegalArgumentException e) {
            throw invalid("update is misconfigured: source.directory '" + directory + "' in " + PID
                    + " is not a valid path: " + e.getMessage());
        }
    }

    private List<InstalledBundle> installedBundles() {
        List<InstalledBundle> installed = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getSymbolicName() != null) {
                installed.add(new InstalledBundle(bundle.getBundleId(), bundle.getSymbolicName(), bundle.getVersion()));
            }
        }
        return installed;
    }

    /** Updates the bundles in place, refreshes them together and reports who moved where. */
    private String apply(List<BundleMove> moves, long refreshTimeoutSeconds) throws OperationFailedException {
        List<Bundle> updated = new ArrayList<>();
        List<String> done = new ArrayList<>();
        for (BundleMove move : moves) {
            Bundle bundle = context.getBundle(move.installed().id());
            if (bundle == null) {
                throw failedMidway(move.installed().label() + " was uninstalled while updating", updated, done,
                        refreshTimeoutSeconds, null);
            }
            try (InputStream in = move.candidate().content().open()) {
                bundle.update(in);
                updated.add(bundle);
                done.add(move.describe());
                LOG.info("sysctl update: {} from {}", move.describe(), move.candidate().origin());
            } catch (IOException | BundleException | IllegalStateException e) {
                throw failedMidway("updating " + move.installed().label() + " from " + move.candidate().origin()
                        + " failed: " + e.getMessage(), updated, done, refreshTimeoutSeconds, e);
            }
        }
        refresh(updated, refreshTimeoutSeconds, done);
        List<String> unresolved = updated.stream()
                .filter(bundle -> bundle.getState() == Bundle.INSTALLED)
                .map(bundle -> bundle.getSymbolicName() + " " + bundle.getVersion())
                .toList();
        if (!unresolved.isEmpty()) {
            throw new OperationFailedException(OperationFailedReason.ERROR, "updated " + String.join(", ", done)
                    + ", but after the refresh these do not resolve (see the framework log): "
                    + String.join(", ", unresolved));
        }
        return "updated " + String.join(", ", done) + "; wiring refreshed";
    }

    private OperationFailedException failedMidway(String what, List<Bundle> updated, List<String> done,
            long refreshTimeoutSeconds, Exception cause) {
        String message = what + (done.isEmpty() ? "; nothing was updated"
                : "; already updated (and refreshed): " + String.join(", ", done));
        if (!updated.isEmpty()) {
            try {
                refresh(updated, refreshTimeoutSeconds, done);
            } catch (OperationFailedException refreshFailure) {
                message = message + "; " + refreshFailure.getMessage();
            }
        }
        return new OperationFailedException(OperationFailedReason.ERROR, message, cause);
    }

    private void refresh(Collection<Bundle> bundles, long timeoutSeconds, List<String> done)
            throws OperationFailedException {
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        CountDownLatch refreshed = new CountDownLatch(1);
        List<String> errors = new CopyOnWriteArrayList<>();
        wiring.refreshBundles(bundles, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            } else if (event.getType() == FrameworkEvent.ERROR && event.getThrowable() != null) {
                errors.add(event.getThrowable().getMessage());
            }
        });
        try {
            if (!refreshed.await(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new OperationFailedException(OperationFailedReason.TIMEOUT, "updated " + String.join(", ", done)
                        + ", but the wiring refresh did not finish within " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException(OperationFailedReason.ERROR, "updated " + String.join(", ", done)
                    + ", but was interrupted while waiting for the wiring refresh", e);
        }
        if (!errors.isEmpty()) {
            LOG.warn("sysctl update: refresh reported errors: {}", errors);
        }
    }

    /**
     * Updates this bundle from a thread of its own once the current order has been answered. Every
     * class the thread needs is loaded before it starts: after {@code update} the old class loader
     * may no longer load anything.
     */
    private void updateSelfLater(BundleMove move) {
        Bundle self = context.getBundle();
        BundleContext systemContext = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getBundleContext();
        FrameworkWiring wiring = systemContext.getBundle().adapt(FrameworkWiring.class);
        BundleCandidate.Content content = move.candidate().content();
        Map<String, String> labels = Map.of("from", move.installed().label(), "to", move.candidate().label());
        Thread thread = new Thread(() -> {
            try (InputStream in = content.open()) {
                self.update(in);
                wiring.refreshBundles(List.of(self));
            } catch (IOException | BundleException | IllegalStateException e) {
                LOG.error("sysctl update: updating this bundle {} from {} failed", labels.get("from"), labels.get("to"), e);
            }
        }, "pathpoint-sysctl-self-update");
        thread.setDaemon(true);
        thread.start();
    }

    private static OperationFailedException invalid(String message) {
        return new OperationFailedException(OperationFailedReason.INVALID, message);
    }
}
