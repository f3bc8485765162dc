package dev.pathpoint.sysctl.internal.update;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.felix.utils.resource.CapabilitySet;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.AbstractWiringNamespace;
import org.osgi.framework.namespace.IdentityNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.resource.Capability;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;
import org.osgi.resource.Wiring;
import org.osgi.service.resolver.HostedCapability;
import org.osgi.service.resolver.ResolveContext;

/**
 * What the resolver sees of the framework after an update: the new revisions (which must resolve),
 * the resolved bundles that the refresh re-resolves (which must resolve again), the resolved bundles
 * that stay wired as they are, and the unresolved ones (which the framework may resolve on demand).
 * The replaced revisions are not in it: they go away at the refresh.
 *
 * <p>Providers are offered as the framework prefers them: capabilities of resolved bundles first,
 * then the highest version.
 */
final class UpdateResolveContext extends ResolveContext {

    private final List<Resource> mandatory;
    private final List<Resource> optional;
    private final Map<Resource, Wiring> wirings;
    private final List<Capability> capabilities = new ArrayList<>();
    private final Comparator<Capability> preference;
    private volatile Runnable cancel;

    UpdateResolveContext(List<Resource> candidates, InstalledState installed) {
        mandatory = new ArrayList<>(candidates);
        mandatory.addAll(installed.rewired());
        optional = List.copyOf(installed.unresolved());
        wirings = installed.wired();
        // a resolved bundle offers what its wiring offers: attached fragments' capabilities included,
        // exports it substituted by an import left out
        wirings.values().forEach(wiring -> capabilities.addAll(wiring.getResourceCapabilities(null)));
        mandatory.forEach(resource -> capabilities.addAll(resource.getCapabilities(null)));
        optional.forEach(resource -> capabilities.addAll(resource.getCapabilities(null)));
        preference = Comparator.comparing((Capability capability) -> !wirings.containsKey(capability.getResource()))
                .thenComparing(UpdateResolveContext::versionOf, Comparator.reverseOrder());
    }

    @Override
    public Collection<Resource> getMandatoryResources() {
        return mandatory;
    }

    @Override
    public Collection<Resource> getOptionalResources() {
        return optional;
    }

    @Override
    public List<Capability> findProviders(Requirement requirement) {
        List<Capability> providers = new ArrayList<>();
        for (Capability capability : capabilities) {
            if (CapabilitySet.matches(capability, requirement)) {
                providers.add(capability);
            }
        }
        providers.sort(preference);
        return providers;
    }

    @Override
    public int insertHostedCapability(List<Capability> capabilities, HostedCapability hostedCapability) {
        int index = 0;
        while (index < capabilities.size() && preference.compare(capabilities.get(index), hostedCapability) <= 0) {
            index++;
        }
        capabilities.add(index, hostedCapability);
        return index;
    }

    @Override
    public boolean isEffective(Requirement requirement) {
        String effective = requirement.getDirectives().get(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE);
        return effective == null || Namespace.EFFECTIVE_RESOLVE.equals(effective);
    }

    @Override
    public Map<Resource, Wiring> getWirings() {
        return wirings;
    }

    @Override
    public void onCancel(Runnable callback) {
        cancel = callback;
    }

    /** Asks a running resolve to give up (it then fails with a ResolutionException). */
    void cancel() {
        Runnable callback = cancel;
        if (callback != null) {
            callback.run();
        }
    }

    private static Version versionOf(Capability capability) {
        String attribute = switch (capability.getNamespace()) {
            case PackageNamespace.PACKAGE_NAMESPACE, IdentityNamespace.IDENTITY_NAMESPACE -> "version";
            default -> AbstractWiringNamespace.CAPABILITY_BUNDLE_VERSION_ATTRIBUTE;
        };
        Object version = capability.getAttributes().get(attribute);
        return version instanceof Version known ? known : Version.emptyVersion;
    }
}
