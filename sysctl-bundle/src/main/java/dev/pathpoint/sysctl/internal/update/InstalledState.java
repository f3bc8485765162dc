package dev.pathpoint.sysctl.internal.update;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Resource;
import org.osgi.resource.Wiring;

/**
 * The framework as an update will leave it, in the resolver's terms.
 *
 * @param wired resolved bundles the update and its refresh do not touch, with their current wiring
 * @param rewired resolved bundles that the refresh re-resolves because they depend on a replaced
 *        bundle: they must resolve again against what the update brings
 * @param unresolved installed bundles that are not resolved now; the framework may resolve them
 *        when something needs them
 * @param headers each installed resource's manifest headers, to describe its requirements
 */
record InstalledState(Map<Resource, Wiring> wired, List<Resource> rewired, List<Resource> unresolved,
        Map<Resource, Map<String, String>> headers) {

    /** The installed bundles once those with the given ids are replaced by new revisions. */
    static InstalledState replacing(BundleContext context, Set<Long> replacedIds) {
        FrameworkWiring frameworkWiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        List<Bundle> replaced = new ArrayList<>();
        for (long id : replacedIds) {
            Bundle bundle = context.getBundle(id);
            if (bundle != null) {
                replaced.add(bundle);
            }
        }
        Set<Long> refreshed = frameworkWiring.getDependencyClosure(replaced).stream()
                .map(Bundle::getBundleId).collect(Collectors.toSet());
        Map<Resource, Wiring> wired = new IdentityHashMap<>();
        List<Resource> rewired = new ArrayList<>();
        List<Resource> unresolved = new ArrayList<>();
        Map<Resource, Map<String, String>> headers = new IdentityHashMap<>();
        for (Bundle bundle : context.getBundles()) {
            BundleRevision revision = bundle.adapt(BundleRevision.class);
            if (replacedIds.contains(bundle.getBundleId()) || revision == null
                    || bundle.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            BundleWiring wiring = revision.getWiring();
            if (wiring == null) {
                unresolved.add(revision);
            } else if (refreshed.contains(bundle.getBundleId())) {
                rewired.add(revision);
            } else {
                wired.put(revision, wiring);
            }
            headers.put(revision, headersOf(bundle));
        }
        return new InstalledState(wired, rewired, unresolved, headers);
    }

    private static Map<String, String> headersOf(Bundle bundle) {
        Map<String, String> headers = new HashMap<>();
        var dictionary = bundle.getHeaders("");
        for (var keys = dictionary.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            headers.put(key, dictionary.get(key));
        }
        return headers;
    }

    /** Every installed resource that stays, wired or not. */
    Collection<Resource> staying() {
        List<Resource> all = new ArrayList<>(wired.keySet());
        all.addAll(rewired);
        all.addAll(unresolved);
        return all;
    }
}
