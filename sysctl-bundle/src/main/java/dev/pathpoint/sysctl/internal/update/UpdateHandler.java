package dev.pathpoint.sysctl.internal.update;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.sysctl.SysctlHandler;
import dev.pathpoint.sysctl.internal.repository.InstalledArtifact;
import dev.pathpoint.sysctl.internal.repository.RepositoryComponent;
import dev.pathpoint.sysctl.internal.repository.RepositoryException;
import dev.pathpoint.sysctl.internal.repository.StagedArtifact;
import dev.pathpoint.sysctl.internal.repository.UpdateRepository;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.resolver.Resolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code update [--dry-run] [symbolic-name]}: updates installed bundles in place from newer versions
 * in the configured sources (a local directory of jars, remote repositories), then refreshes the
 * wiring. All-or-nothing up to the point of touching the framework: every remote download must
 * arrive whole and verified in a staging directory, every source must hold valid bundles, and the
 * OSGi resolver must predict that the result resolves, or nothing is updated. The staging directory
 * is deleted when the order ends. With {@code --dry-run} it reports what would move and touches
 * nothing.
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
            description = "Where the update sysctl finds new bundle versions besides the remote repositories (factory "
                    + "configurations " + RepositoryComponent.FACTORY_PID + "), where it stages downloads, and how long "
                    + "it waits for the refresh.")
    public @interface Config {
        @AttributeDefinition(name = "Source directory", required = false,
                description = "Directory of bundle jars. An installed bundle is updated from the newest jar of the same "
                        + "symbolic name with a higher version. Empty: no local source.")
        String source_directory() default "";

        @AttributeDefinition(name = "Staging directory", required = false,
                description = "Where downloads wait until they are verified; each update uses a directory of its own "
                        + "in it and deletes it when done. Empty: the bundle's data area in the framework storage.")
        String staging_directory() default "";

        @AttributeDefinition(name = "Refresh timeout (seconds)", min = "1",
                description = "How long to wait for the framework to finish refreshing the updated bundles.")
        long refresh_timeout_seconds() default 60;
    }

    /** Bounds the resolver's search, which can grow large with many uses constraints. */
    private static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(60);

    private final BundleContext context;
    private final Resolver resolver;
    private volatile Config config;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<UpdateRepository> repositories;

    @Activate
    public UpdateHandler(BundleContext context, @Reference Resolver resolver, Config config) {
        this.context = context;
        this.resolver = resolver;
        this.config = config;
        stagingRoot(config).ifPresent(StagingArea::deleteLeftovers);
    }

    @Modified
    void modified(Config config) {
        this.config = config;
    }

    @Override
    public synchronized String execute(String opType, String opArgs) throws OperationFailedException {
        UpdateRequest request;
        try {
            request = UpdateRequest.parse(opArgs);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        Config current = config;
        long refreshTimeoutSeconds = current.refresh_timeout_seconds();
        if (refreshTimeoutSeconds < 1) {
            throw invalid("update is misconfigured: refresh.timeout.seconds is " + refreshTimeoutSeconds
                    + " in " + PID + ", it must be at least 1");
        }
        Optional<BundleSource> directory = directoryOf(current);
        List<UpdateRepository> remotes = repositories == null ? List.of() : List.copyOf(repositories);
        if (directory.isEmpty() && remotes.isEmpty()) {
            throw invalid("update has no source: set source.directory in configuration " + PID
                    + " or add a repository (factory configuration " + RepositoryComponent.FACTORY_PID + ")");
        }
        String sources = describeSources(directory, remotes);
        Path stagingRoot = stagingRoot(current).orElseThrow(() -> new OperationFailedException(
                OperationFailedReason.ERROR, "update cannot stage downloads: the framework gives this bundle no data "
                + "area; set staging.directory in configuration " + PID));

        List<InstalledBundle> installed = installedBundles();
        if (request.only().isPresent() && installed.stream().noneMatch(b -> b.symbolicName().equals(request.only().get()))) {
            throw invalid("nothing updated: no installed bundle has the symbolic name " + request.only().get()
                    + " (sources: " + sources + ")");
        }
        try (StagingArea staging = StagingArea.open(stagingRoot)) {
            List<BundleCandidate> candidates = new ArrayList<>();
            if (directory.isPresent()) {
                candidates.addAll(directory.get().candidates());
            }
            Map<BundleCandidate, StagedArtifact> downloaded = new IdentityHashMap<>();
            List<InstalledArtifact> wanted = installed.stream()
                    .filter(bundle -> bundle.id() != 0)
                    .filter(bundle -> request.only().map(bundle.symbolicName()::equals).orElse(true))
                    .map(InstalledBundle::artifact).toList();
            for (UpdateRepository remote : remotes) {
                for (StagedArtifact artifact : remote.fetchNewer(wanted, staging.directory())) {
                    BundleCandidate candidate = stagedCandidate(artifact);
                    candidates.add(candidate);
                    downloaded.put(candidate, artifact);
                }
            }
            List<BundleMove> moves = UpdatePlanner.plan(installed, candidates, request.only());
            if (moves.isEmpty()) {
                return "nothing to update from " + sources + ": "
                        + request.only().map(name -> name + " is up to date").orElse("every bundle is up to date");
            }
            Set<Long> replaced = moves.stream().map(move -> move.installed().id()).collect(Collectors.toSet());
            List<String> unmet = new ResolutionCheck(resolver, RESOLVE_TIMEOUT).problems(
                    moves.stream().map(BundleMove::candidate).toList(), InstalledState.replacing(context, replaced));
            if (!unmet.isEmpty()) {
                throw invalid("nothing updated: would not resolve: " + String.join("; ", unmet));
            }
            List<String> downloads = moves.stream().map(BundleMove::candidate).filter(downloaded::containsKey)
                    .map(candidate -> downloaded.get(candidate).describe()).toList();
            String downloadReport = downloads.isEmpty() ? "" : "; downloaded " + String.join(", ", downloads);
            if (request.dryRun()) {
                return "dry run, nothing changed: would update " + moves.stream().map(BundleMove::describe)
                        .collect(Collectors.joining(", ")) + " from " + sources
                        + (downloads.isEmpty() ? "" : "; downloaded and verified " + String.join(", ", downloads));
            }
            return apply(moves, refreshTimeoutSeconds, sources) + downloadReport;
        } catch (BundleSourceException | IllegalArgumentException e) {
            throw invalid("nothing updated: " + e.getMessage());
        } catch (RepositoryException e) {
            throw new OperationFailedException(e.timedOut() ? OperationFailedReason.TIMEOUT : OperationFailedReason.ERROR,
                    "nothing updated: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new OperationFailedException(OperationFailedReason.ERROR, "nothing updated: cannot create a staging "
                    + "directory in " + stagingRoot + ": " + e.getMessage(), e);
        }
    }

    /** Updates the other bundles now and this one after the order is answered, and says so. */
    private String apply(List<BundleMove> moves, long refreshTimeoutSeconds, String sources)
            throws OperationFailedException {
        long self = context.getBundle().getBundleId();
        List<BundleMove> others = moves.stream().filter(move -> move.installed().id() != self).toList();
        Optional<BundleMove> selfMove = moves.stream().filter(move -> move.installed().id() == self).findFirst();
        String report = others.isEmpty() ? "" : apply(others, refreshTimeoutSeconds);
        if (selfMove.isPresent()) {
            String selfReport = selfMove.get().describe()
                    + " (pending: this bundle updates itself after this order; its handlers restart)";
            report = report.isEmpty() ? "updated from " + sources + ": " + selfReport : report + "; " + selfReport;
            updateSelfLater(selfMove.get());
        }
        return report;
    }

    /** A staged download as a candidate; its bytes are read from the staging file while the update runs. */
    private static BundleCandidate stagedCandidate(StagedArtifact artifact) throws IOException, BundleSourceException {
        try {
            return DirectoryBundleSource.read(artifact.file(), artifact.artifact() + " from repository "
                    + artifact.repository());
        } catch (IllegalArgumentException e) {
            throw new BundleSourceException(artifact.artifact() + " from repository " + artifact.repository()
                    + " is not a valid bundle: it " + e.getMessage());
        } catch (IOException e) {
            throw new BundleSourceException(artifact.artifact() + " from repository " + artifact.repository()
                    + " is not a readable jar: " + e.getMessage());
        }
    }

    private static String describeSources(Optional<BundleSource> directory, List<UpdateRepository> remotes) {
        List<String> names = new ArrayList<>();
        directory.ifPresent(source -> names.add(source.describe()));
        remotes.forEach(remote -> names.add(remote.describe()));
        return String.join(" and ", names);
    }

    private static Optional<BundleSource> directoryOf(Config config) throws OperationFailedException {
        String directory = config.source_directory() == null ? "" : config.source_directory().strip();
        if (directory.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DirectoryBundleSource(Path.of(directory)));
        } catch (IllegalArgumentException e) {
            throw invalid("update is misconfigured: source.directory '" + directory + "' in " + PID
                    + " is not a valid path: " + e.getMessage());
        }
    }

    private Optional<Path> stagingRoot(Config config) {
        String configured = config.staging_directory() == null ? "" : config.staging_directory().strip();
        if (!configured.isEmpty()) {
            try {
                return Optional.of(Path.of(configured));
            } catch (IllegalArgumentException e) {
                LOG.warn("sysctl update: staging.directory '{}' is not a valid path; using the data area", configured);
            }
        }
        return Optional.ofNullable(context.getDataFile("staging")).map(java.io.File::toPath);
    }

    private List<InstalledBundle> installedBundles() {
        List<InstalledBundle> installed = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getSymbolicName() != null) {
                installed.add(new InstalledBundle(bundle.getBundleId(), bundle.getSymbolicName(), bundle.getVersion(),
                        MavenDescriptor.of(bundle)));
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
    private void updateSelfLater(BundleMove move) throws OperationFailedException {
        Bundle self = context.getBundle();
        BundleContext systemContext = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getBundleContext();
        FrameworkWiring wiring = systemContext.getBundle().adapt(FrameworkWiring.class);
        // the bytes are read now: a staged download is deleted when this order ends
        byte[] jar;
        try (InputStream in = move.candidate().content().open()) {
            jar = in.readAllBytes();
        } catch (IOException e) {
            throw new OperationFailedException(OperationFailedReason.ERROR, "updating this bundle "
                    + move.installed().label() + " failed: cannot read " + move.candidate().origin() + ": " + e.getMessage(), e);
        }
        Map<String, String> labels = Map.of("from", move.installed().label(), "to", move.candidate().label());
        Thread thread = new Thread(() -> {
            try (InputStream in = new ByteArrayInputStream(jar)) {
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
