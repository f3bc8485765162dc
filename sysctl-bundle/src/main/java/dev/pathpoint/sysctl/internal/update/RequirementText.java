package dev.pathpoint.sysctl.internal.update;

import java.util.List;
import java.util.Map;
import org.apache.felix.utils.manifest.Clause;
import org.apache.felix.utils.manifest.Parser;
import org.apache.felix.utils.resource.RequirementImpl;
import org.apache.felix.utils.resource.SimpleFilter;
import org.osgi.framework.Constants;
import org.osgi.framework.VersionRange;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/**
 * A requirement in the words of the manifest that declared it, e.g. {@code Import-Package
 * com.acme.api;version="[1.0.0,2.0.0)"}, rather than as the resolver's filter.
 */
final class RequirementText {

    private RequirementText() {
    }

    static String describe(Requirement requirement, Map<String, String> headers) {
        String filter = requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
        return switch (requirement.getNamespace()) {
            case PackageNamespace.PACKAGE_NAMESPACE -> clause(requirement, headers, Constants.IMPORT_PACKAGE,
                    Constants.VERSION_ATTRIBUTE);
            case BundleNamespace.BUNDLE_NAMESPACE -> clause(requirement, headers, Constants.REQUIRE_BUNDLE,
                    Constants.BUNDLE_VERSION_ATTRIBUTE);
            case HostNamespace.HOST_NAMESPACE -> Constants.FRAGMENT_HOST + " " + nameIn(requirement);
            default -> Constants.REQUIRE_CAPABILITY + " " + requirement.getNamespace()
                    + (filter == null ? "" : ";filter:=\"" + filter + "\"");
        };
    }

    /** The name, and the version range as the manifest's clause for that name gives it. */
    private static String clause(Requirement requirement, Map<String, String> headers, String header,
            String versionAttribute) {
        String name = nameIn(requirement);
        String range = null;
        String value = headers == null ? null : headers.get(header);
        if (value != null && name != null) {
            for (Clause clause : Parser.parseHeader(value)) {
                if (clause.getName().equals(name) && clause.getAttribute(versionAttribute) != null) {
                    range = VersionRange.valueOf(clause.getAttribute(versionAttribute).trim()).toString();
                }
            }
        }
        if (name == null) {
            return header + " " + requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
        }
        return header + " " + name + (range == null ? "" : ";" + versionAttribute + "=\"" + range + "\"");
    }

    /** The value the filter asks of the namespace's own attribute: the package, bundle or host name. */
    @SuppressWarnings("unchecked")
    private static String nameIn(Requirement requirement) {
        SimpleFilter filter = RequirementImpl.getFilter(requirement);
        List<SimpleFilter> terms = filter.getOperation() == SimpleFilter.AND
                ? (List<SimpleFilter>) filter.getValue() : List.of(filter);
        for (SimpleFilter term : terms) {
            if (term.getOperation() == SimpleFilter.EQ && requirement.getNamespace().equals(term.getName())) {
                return String.valueOf(term.getValue());
            }
        }
        return null;
    }
}
