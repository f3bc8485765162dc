package dev.pathpoint.sysctl.internal.update;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/**
 * Reads what a bundle manifest declares: identity, mandatory requirements and capabilities, so an
 * update can be checked against the running framework before anything is touched.
 */
final class BundleManifests {

    static final String PACKAGE_NAMESPACE = "osgi.wiring.package";
    static final String BUNDLE_NAMESPACE = "osgi.wiring.bundle";
    static final String HOST_NAMESPACE = "osgi.wiring.host";
    static final String IDENTITY_NAMESPACE = "osgi.identity";

    private static final Pattern SYMBOLIC_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    private BundleManifests() {
    }

    static boolean isSymbolicName(String text) {
        return SYMBOLIC_NAME.matcher(text).matches();
    }

    /**
     * @param origin where the manifest comes from, for messages
     * @throws IllegalArgumentException saying why this is not a valid bundle manifest
     */
    static BundleCandidate read(Manifest manifest, String origin, BundleCandidate.Content content) {
        Attributes main = manifest.getMainAttributes();
        String manifestVersion = main.getValue("Bundle-ManifestVersion");
        if (manifestVersion == null || !manifestVersion.trim().equals("2")) {
            throw new IllegalArgumentException("is not an OSGi bundle: Bundle-ManifestVersion is "
                    + (manifestVersion == null ? "missing" : "'" + manifestVersion.trim() + "'") + ", expected 2");
        }
        String symbolicNameHeader = main.getValue("Bundle-SymbolicName");
        if (symbolicNameHeader == null || symbolicNameHeader.isBlank()) {
            throw new IllegalArgumentException("has no Bundle-SymbolicName");
        }
        List<HeaderClause> nameClauses = HeaderParser.parse("Bundle-SymbolicName", symbolicNameHeader);
        String symbolicName = nameClauses.get(0).firstName();
        if (nameClauses.size() != 1 || nameClauses.get(0).names().size() != 1 || !isSymbolicName(symbolicName)) {
            throw new IllegalArgumentException("has an invalid Bundle-SymbolicName '" + symbolicNameHeader.trim() + "'");
        }
        Version version = parseVersion("Bundle-Version", main.getValue("Bundle-Version"));
        String fragmentHost = main.getValue("Fragment-Host");
        boolean fragment = fragmentHost != null && !fragmentHost.isBlank();

        List<BundleRequirement> requirements = new ArrayList<>();
        importPackages(main.getValue("Import-Package"), requirements);
        requireBundles(main.getValue("Require-Bundle"), requirements);
        fragmentHost(fragmentHost, requirements);
        requireCapabilities(main.getValue("Require-Capability"), requirements);

        List<ProvidedCapability> capabilities = new ArrayList<>();
        capabilities.add(new ProvidedCapability(IDENTITY_NAMESPACE, Map.of(IDENTITY_NAMESPACE, symbolicName,
                "version", version, "type", fragment ? "osgi.fragment" : "osgi.bundle")));
        if (!fragment) {
            Map<String, Object> identity = Map.of("bundle-version", version);
            capabilities.add(new ProvidedCapability(BUNDLE_NAMESPACE, with(identity, BUNDLE_NAMESPACE, symbolicName)));
            capabilities.add(new ProvidedCapability(HOST_NAMESPACE, with(identity, HOST_NAMESPACE, symbolicName)));
        }
        exportPackages(main.getValue("Export-Package"), symbolicName, version, capabilities);
        provideCapabilities(main.getValue("Provide-Capability"), capabilities);
        return new BundleCandidate(symbolicName, version, origin, fragment, requirements, capabilities, content);
    }

    private static void importPackages(String header, List<BundleRequirement> requirements) {
        for (HeaderClause clause : HeaderParser.parse("Import-Package", header)) {
            if (clause.isOptional()) {
                continue;
            }
            String range = rangeAttribute("Import-Package", clause, "version", "specification-version");
            for (String packageName : clause.names()) {
                StringBuilder filter = new StringBuilder("(&(").append(PACKAGE_NAMESPACE).append('=')
                        .append(escape(packageName)).append(')');
                appendRange(filter, "version", range);
                String fromBundle = clause.attribute("bundle-symbolic-name");
                if (fromBundle != null) {
                    filter.append("(bundle-symbolic-name=").append(escape(fromBundle)).append(')');
                }
                appendRange(filter, "bundle-version", rangeAttribute("Import-Package", clause, "bundle-version"));
                requirements.add(new BundleRequirement(PACKAGE_NAMESPACE, filter.append(')').toString(),
                        "Import-Package " + packageName + (range == null ? "" : ";version=\"" + range + "\"")));
            }
        }
    }

    private static void requireBundles(String header, List<BundleRequirement> requirements) {
        for (HeaderClause clause : HeaderParser.parse("Require-Bundle", header)) {
            if (clause.isOptional()) {
                continue;
            }
            String range = rangeAttribute("Require-Bundle", clause, "bundle-version");
            StringBuilder filter = new StringBuilder("(&(").append(BUNDLE_NAMESPACE).append('=')
                    .append(escape(clause.firstName())).append(')');
            appendRange(filter, "bundle-version", range);
            requirements.add(new BundleRequirement(BUNDLE_NAMESPACE, filter.append(')').toString(),
                    "Require-Bundle " + clause.firstName() + (range == null ? "" : ";bundle-version=\"" + range + "\"")));
        }
    }

    private static void fragmentHost(String header, List<BundleRequirement> requirements) {
        List<HeaderClause> clauses = HeaderParser.parse("Fragment-Host", header);
        if (clauses.isEmpty()) {
            return;
        }
        if (clauses.size() != 1) {
            throw new IllegalArgumentException("has more than one Fragment-Host");
        }
        HeaderClause clause = clauses.get(0);
        String host = clause.firstName();
        // Framework extension fragments attach to the system bundle, which is always there.
        if (host.equals("system.bundle") || clause.directive("extension") != null) {
            return;
        }
        String range = rangeAttribute("Fragment-Host", clause, "bundle-version");
        StringBuilder filter = new StringBuilder("(&(").append(HOST_NAMESPACE).append('=').append(escape(host)).append(')');
        appendRange(filter, "bundle-version", range);
        requirements.add(new BundleRequirement(HOST_NAMESPACE, filter.append(')').toString(), "Fragment-Host " + host));
    }

    private static void requireCapabilities(String header, List<BundleRequirement> requirements) {
        for (HeaderClause clause : HeaderParser.parse("Require-Capability", header)) {
            String effective = clause.directive("effective");
            // Only requirements effective at resolve time decide resolution (e.g. osgi.service ones are "active").
            if (clause.isOptional() || effective != null && !effective.equals("resolve")) {
                continue;
            }
            String filter = clause.directive("filter");
            for (String namespace : clause.names()) {
                requirements.add(new BundleRequirement(namespace, filter,
                        "Require-Capability " + namespace + (filter == null ? "" : ";filter:=\"" + filter + "\"")));
            }
        }
    }

    private static void exportPackages(String header, String symbolicName, Version bundleVersion,
            List<ProvidedCapability> capabilities) {
        for (HeaderClause clause : HeaderParser.parse("Export-Package", header)) {
            String versionText = clause.attribute("version");
            if (versionText == null) {
                versionText = clause.attribute("specification-version");
            }
            Version packageVersion = parseVersion("Export-Package version of " + clause.firstName(), versionText);
            for (String packageName : clause.names()) {
                Map<String, Object> attributes = new HashMap<>(clause.attributes());
                attributes.put(PACKAGE_NAMESPACE, packageName);
                attributes.put("version", packageVersion);
                attributes.put("bundle-symbolic-name", symbolicName);
                attributes.put("bundle-version", bundleVersion);
                capabilities.add(new ProvidedCapability(PACKAGE_NAMESPACE, attributes));
            }
        }
    }

    private static void provideCapabilities(String header, List<ProvidedCapability> capabilities) {
        for (HeaderClause clause : HeaderParser.parse("Provide-Capability", header)) {
            for (String namespace : clause.names()) {
                capabilities.add(new ProvidedCapability(namespace, clause.attributes()));
            }
        }
    }

    private static String rangeAttribute(String header, HeaderClause clause, String... names) {
        for (String name : names) {
            String value = clause.attribute(name);
            if (value != null) {
                try {
                    return VersionRange.valueOf(value.trim()).toString();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("has an invalid " + name + " range '" + value + "' in " + header
                            + " " + clause.firstName(), e);
                }
            }
        }
        return null;
    }

    private static void appendRange(StringBuilder filter, String attribute, String range) {
        if (range != null) {
            filter.append(VersionRange.valueOf(range).toFilterString(attribute));
        }
    }

    private static Version parseVersion(String what, String text) {
        if (text == null || text.isBlank()) {
            return Version.emptyVersion;
        }
        try {
            return Version.parseVersion(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("has an invalid " + what + " '" + text.trim() + "'", e);
        }
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    /** Escapes the characters that are special in an LDAP filter value. */
    private static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '(' || c == ')' || c == '*') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
