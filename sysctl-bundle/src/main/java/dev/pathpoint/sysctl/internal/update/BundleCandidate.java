package dev.pathpoint.sysctl.internal.update;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import org.osgi.framework.Version;

/**
 * A bundle jar offered by a {@link BundleSource}, with what its manifest declares.
 *
 * @param origin where it came from, for reports (a file name, later a repository coordinate)
 */
record BundleCandidate(String symbolicName, Version version, String origin, boolean fragment,
        List<BundleRequirement> requirements, List<ProvidedCapability> capabilities, Content content) {

    /** Opens the jar's bytes again when the bundle is updated from it. */
    @FunctionalInterface
    interface Content {
        InputStream open() throws IOException;
    }

    BundleCandidate {
        Objects.requireNonNull(symbolicName, "symbolicName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(origin, "origin");
        requirements = List.copyOf(requirements);
        capabilities = List.copyOf(capabilities);
        Objects.requireNonNull(content, "content");
    }

    String label() {
        return symbolicName + " " + version + " (" + origin + ")";
    }
}
