package dev.pathpoint.sysctl.internal.update;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.IdentityNamespace;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Capability;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;
import org.osgi.service.resolver.ResolutionException;
import org.osgi.service.resolver.Resolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Predicts, before anything is touched, whether the framework will resolve every bundle an update
 * brings, and every resolved bundle that the refresh re-resolves, with the OSGi resolver: mandatory
 * requirements met, uses constraints consistent, no two resolved singletons of one name. The bundles
 * updated together may depend on each other's new versions; the old revisions of replaced bundles do
 * not count, they go away at the refresh.
 *
 * <p>A requirement nothing provides is reported for every resource at once; anything else (a uses
 * conflict, a provider that cannot resolve itself) comes from the resolver, which stops at the first.
 */
final class ResolutionCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ResolutionCheck.class);

    private final Resolver resolver;
    private final Duration timeout;

    ResolutionCheck(Resolver resolver, Duration timeout) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.timeout = timeout;
    }

    /** @return one message per problem; empty if the update will resolve */
    List<String> problems(List<BundleCandidate> candidates, InstalledState installed) {
        Map<Resource, Map<String, String>> headers = new IdentityHashMap<>(installed.headers());
        candidates.forEach(candidate -> headers.put(candidate.resource(), candidate.headers()));
        UpdateResolveContext context = new UpdateResolveContext(
                candidates.stream().map(BundleCandidate::resource).toList(), installed);

        List<String> problems = new ArrayList<>(singletonClashes(candidates, installed));
        for (Resource resource : context.getMandatoryResources()) {
            for (Requirement requirement : resource.getRequirements(null)) {
                if (isMandatory(requirement, context) && context.findProviders(requirement).isEmpty()) {
                    problems.add(label(resource) + " requires " + RequirementText.describe(requirement, headers.get(resource))
                            + ", which neither the running framework nor this update provides");
                }
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        return resolve(context, headers);
    }

    private List<String> resolve(UpdateResolveContext context, Map<Resource, Map<String, String>> headers) {
        AtomicBoolean timedOut = new AtomicBoolean();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (!done.isDone()) {
                timedOut.set(true);
                context.cancel();
            }
        });
        try {
            resolver.resolve(context);
            return List.of();
        } catch (ResolutionException e) {
            if (timedOut.get()) {
                return List.of("the resolver did not decide within " + timeout.toSeconds()
                        + " s whether the update would resolve");
            }
            return explain(e, headers);
        } finally {
            done.complete(null);
        }
    }

    private static List<String> explain(ResolutionException failure, Map<Resource, Map<String, String>> headers) {
        // the first paragraph says what clashes; the dependency chains after it go to the log
        String detail = oneLine(firstParagraph(failure.getMessage()));
        LOG.info("sysctl update: the resolver refuses the update: {}", failure.getMessage());
        boolean usesConflict = detail.toLowerCase(Locale.ROOT).contains("uses constraint");
        List<String> problems = new ArrayList<>();
        for (Requirement requirement : failure.getUnresolvedRequirements()) {
            Resource resource = requirement.getResource();
            String what = label(resource) + " requires "
                    + RequirementText.describe(requirement, headers.getOrDefault(resource, Map.of()));
            problems.add(usesConflict
                    ? what + ", but wiring it would break a uses constraint: two different providers of one package"
                            + " would meet in its class space (resolver: " + detail + ")"
                    : what + ", which cannot be met (resolver: " + detail + ")");
        }
        if (problems.isEmpty()) {
            problems.add("the resolver refuses the update: " + detail);
        }
        return problems;
    }

    /** A resolved singleton that stays keeps its name: a new singleton of the same name would not resolve. */
    private static List<String> singletonClashes(List<BundleCandidate> candidates, InstalledState installed) {
        List<Resource> resolvedStaying = new ArrayList<>(installed.wired().keySet());
        resolvedStaying.addAll(installed.rewired());
        List<String> clashes = new ArrayList<>();
        for (BundleCandidate candidate : candidates) {
            if (!isSingleton(candidate.resource())) {
                continue;
            }
            for (Resource staying : resolvedStaying) {
                if (isSingleton(staying) && candidate.symbolicName().equals(identityName(staying))) {
                    clashes.add(candidate.label() + " is a singleton, and " + label(staying)
                            + " of the same name stays resolved: the framework resolves only one of them");
                }
            }
        }
        return clashes;
    }

    private static boolean isMandatory(Requirement requirement, UpdateResolveContext context) {
        String resolution = requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
        return context.isEffective(requirement)
                && (resolution == null || Namespace.RESOLUTION_MANDATORY.equals(resolution));
    }

    private static boolean isSingleton(Resource resource) {
        return identity(resource).map(identity -> "true".equals(
                identity.getDirectives().get(IdentityNamespace.CAPABILITY_SINGLETON_DIRECTIVE))).orElse(false)
                || resource.getCapabilities(BundleRevision.BUNDLE_NAMESPACE).stream().anyMatch(capability ->
                        "true".equals(capability.getDirectives().get(Constants.SINGLETON_DIRECTIVE)));
    }

    private static String identityName(Resource resource) {
        return identity(resource).map(identity -> (String) identity.getAttributes()
                .get(IdentityNamespace.IDENTITY_NAMESPACE)).orElse(null);
    }

    private static Optional<Capability> identity(Resource resource) {
        return resource.getCapabilities(IdentityNamespace.IDENTITY_NAMESPACE).stream().findFirst();
    }

    /** A new revision names itself (name, version, file); an installed one is named and marked installed. */
    static String label(Resource resource) {
        if (resource instanceof BundleRevision revision) {
            return revision.getSymbolicName() + " " + revision.getVersion() + " (installed)";
        }
        return String.valueOf(resource);
    }

    private static String firstParagraph(String message) {
        if (message == null) {
            return null;
        }
        String[] paragraphs = message.strip().split("\\R\\s*\\R", 2);
        return paragraphs[0];
    }

    private static String oneLine(String message) {
        return message == null ? "no reason given" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
