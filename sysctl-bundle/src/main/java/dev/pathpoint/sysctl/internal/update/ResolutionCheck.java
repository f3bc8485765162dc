package dev.pathpoint.sysctl.internal.update;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

/**
 * Checks, before anything is touched, that every mandatory requirement of every jar about to be
 * installed is met by a capability that will exist after the update: one of a resolved bundle that
 * stays (its current wiring, including the system bundle's execution environments and packages),
 * or one declared by a jar of the same update (so bundles that move together can depend on each
 * other's new versions). The old revisions of the bundles being replaced do not count: they go
 * away at the refresh.
 *
 * <p>This is the framework resolver's first rule, not all of it: uses-constraint conflicts and
 * singleton clashes are not predicted. The handler therefore still checks after the refresh that
 * every updated bundle resolved, and says so if one did not.
 */
final class ResolutionCheck {

    private static final Set<String> BOOT_LAYER_PACKAGES = ModuleLayer.boot().modules().stream()
            .flatMap(module -> module.getPackages().stream()).collect(Collectors.toUnmodifiableSet());

    private ResolutionCheck() {
    }

    /**
     * @param staying the capabilities of resolved bundles that are not being replaced
     * @return one message per unmet requirement; empty if all are met
     */
    static List<String> unmetRequirements(List<BundleCandidate> updates, List<ProvidedCapability> staying) {
        Map<String, List<ProvidedCapability>> byNamespace = new HashMap<>();
        staying.forEach(capability -> byNamespace.computeIfAbsent(capability.namespace(), n -> new ArrayList<>())
                .add(capability));
        updates.forEach(update -> update.capabilities().forEach(capability -> byNamespace
                .computeIfAbsent(capability.namespace(), n -> new ArrayList<>()).add(capability)));

        List<String> problems = new ArrayList<>();
        for (BundleCandidate update : updates) {
            for (BundleRequirement requirement : update.requirements()) {
                Filter filter;
                try {
                    filter = requirement.filter() == null ? null : FrameworkUtil.createFilter(requirement.filter());
                } catch (InvalidSyntaxException e) {
                    problems.add(update.label() + " has a malformed filter in " + requirement.description() + ": "
                            + e.getMessage());
                    continue;
                }
                List<ProvidedCapability> offered = byNamespace.getOrDefault(requirement.namespace(), List.of());
                boolean met = offered.stream().anyMatch(c -> filter == null || filter.matches(c.attributes()))
                        || isJavaPlatformPackage(requirement);
                if (!met) {
                    problems.add(update.label() + " requires " + requirement.description()
                            + ", which neither the running framework nor this update provides");
                }
            }
        }
        return problems;
    }

    /**
     * {@code java.*} packages always come from the platform; bnd 7 lists them in Import-Package and
     * not every framework lists them as system bundle exports.
     */
    private static boolean isJavaPlatformPackage(BundleRequirement requirement) {
        if (!requirement.namespace().equals(BundleManifests.PACKAGE_NAMESPACE) || requirement.filter() == null) {
            return false;
        }
        String prefix = "(&(" + BundleManifests.PACKAGE_NAMESPACE + "=";
        if (!requirement.filter().startsWith(prefix)) {
            return false;
        }
        int end = requirement.filter().indexOf(')', prefix.length());
        String packageName = requirement.filter().substring(prefix.length(), end);
        return packageName.startsWith("java.") && BOOT_LAYER_PACKAGES.contains(packageName);
    }
}
