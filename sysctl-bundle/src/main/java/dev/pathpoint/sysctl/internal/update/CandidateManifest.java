package dev.pathpoint.sysctl.internal.update;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.apache.felix.utils.resource.ResourceBuilder;
import org.apache.felix.utils.resource.ResourceImpl;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.IdentityNamespace;
import org.osgi.resource.Capability;

/**
 * Turns a jar's manifest into a {@link BundleCandidate}: Felix utils' {@link ResourceBuilder} reads
 * the headers into the requirements and capabilities the resolver works on. The identity headers
 * are checked as strictly as the framework will check them when the bundle is updated (the builder
 * is lenient with versions), and a header the builder refuses is named in the message.
 */
final class CandidateManifest {

    /** The headers that make the identity; each other header is tried alone with these to name a bad one. */
    private static final List<String> IDENTITY_HEADERS = List.of(Constants.BUNDLE_MANIFESTVERSION,
            Constants.BUNDLE_SYMBOLICNAME, Constants.BUNDLE_VERSION);

    private CandidateManifest() {
    }

    /**
     * @param origin where the manifest comes from, for messages and reports
     * @throws IllegalArgumentException saying, after the origin, why this is not a valid bundle
     *         (e.g. "has no Bundle-SymbolicName")
     */
    static BundleCandidate read(Manifest manifest, String origin, BundleCandidate.Content content) {
        Map<String, String> headers = headers(manifest.getMainAttributes());
        String manifestVersion = headers.get(Constants.BUNDLE_MANIFESTVERSION);
        if (manifestVersion == null || !manifestVersion.trim().equals("2")) {
            throw new IllegalArgumentException("is not an OSGi bundle: Bundle-ManifestVersion is "
                    + (manifestVersion == null ? "missing" : "'" + manifestVersion.trim() + "'") + ", expected 2");
        }
        String symbolicName = headers.get(Constants.BUNDLE_SYMBOLICNAME);
        if (symbolicName == null || symbolicName.isBlank()) {
            throw new IllegalArgumentException("has no Bundle-SymbolicName");
        }
        Version version = strictVersion(headers.get(Constants.BUNDLE_VERSION));
        CandidateResource resource = new CandidateResource();
        try {
            ResourceBuilder.build(resource, origin, headers);
        } catch (BundleException e) {
            throw new IllegalArgumentException(invalidHeader(headers, origin), e);
        }
        Capability identity = resource.getCapabilities(IdentityNamespace.IDENTITY_NAMESPACE).get(0);
        String name = (String) identity.getAttributes().get(IdentityNamespace.IDENTITY_NAMESPACE);
        resource.label = BundleCandidate.label(name, version, origin);
        return new BundleCandidate(name, version, origin, resource, headers, content);
    }

    private static Map<String, String> headers(Attributes attributes) {
        Map<String, String> headers = new LinkedHashMap<>();
        attributes.forEach((key, value) -> headers.put(key.toString(), value.toString()));
        return headers;
    }

    private static Version strictVersion(String text) {
        if (text == null || text.isBlank()) {
            return Version.emptyVersion;
        }
        try {
            return Version.parseVersion(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("has an invalid Bundle-Version '" + text.trim() + "'", e);
        }
    }

    /** Which header the builder refuses, and its reason (the innermost cause, without the builder's wrapping). */
    private static String invalidHeader(Map<String, String> headers, String origin) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (IDENTITY_HEADERS.contains(header.getKey())) {
                continue;
            }
            Map<String, String> alone = new LinkedHashMap<>();
            IDENTITY_HEADERS.forEach(name -> {
                if (headers.containsKey(name)) {
                    alone.put(name, headers.get(name));
                }
            });
            alone.put(header.getKey(), header.getValue());
            try {
                ResourceBuilder.build(origin, alone);
            } catch (BundleException e) {
                return "has an invalid " + header.getKey() + " header: " + innermostMessage(e);
            }
        }
        try {
            ResourceBuilder.build(origin, headers);
            return "has an invalid manifest";
        } catch (BundleException e) {
            return "has an invalid manifest: " + innermostMessage(e);
        }
    }

    private static String innermostMessage(Throwable e) {
        Throwable innermost = e;
        while (innermost.getCause() != null && innermost.getCause().getMessage() != null) {
            innermost = innermost.getCause();
        }
        String message = innermost.getMessage();
        // the builder wraps as "Error creating requirement: java.lang.IllegalArgumentException: ..."
        int exceptionName = message.lastIndexOf("Exception: ");
        return exceptionName < 0 ? message : message.substring(exceptionName + "Exception: ".length());
    }

    /** The resolver names resources in its messages: this one by its label (name, version, file). */
    private static final class CandidateResource extends ResourceImpl {
        private String label;

        @Override
        public String toString() {
            return label;
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}
