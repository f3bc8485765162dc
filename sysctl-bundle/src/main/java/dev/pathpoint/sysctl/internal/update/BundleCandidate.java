package dev.pathpoint.sysctl.internal.update;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.Version;
import org.osgi.resource.Resource;

/**
 * A bundle jar offered by a {@link BundleSource}: its identity, what its manifest requires and
 * provides (as an OSGi {@link Resource}, for the resolver), and its bytes.
 *
 * @param origin where it came from, for reports (a file name, a repository coordinate)
 * @param headers the manifest's main attributes, to describe a requirement as the manifest wrote it
 */
record BundleCandidate(String symbolicName, Version version, String origin, Resource resource,
        Map<String, String> headers, Content content) {

    /** Opens the jar's bytes again when the bundle is updated from it. */
    @FunctionalInterface
    interface Content {
        InputStream open() throws IOException;
    }

    BundleCandidate {
        Objects.requireNonNull(symbolicName, "symbolicName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(resource, "resource");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(content, "content");
    }

    String label() {
        return label(symbolicName, version, origin);
    }

    static String label(String symbolicName, Version version, String origin) {
        return symbolicName + " " + version + " (" + origin + ")";
    }
}
