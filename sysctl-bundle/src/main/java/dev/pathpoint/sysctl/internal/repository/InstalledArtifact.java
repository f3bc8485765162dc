package dev.pathpoint.sysctl.internal.repository;

import java.util.Objects;
import java.util.Optional;
import org.osgi.framework.Version;

/**
 * An installed bundle as a repository sees it.
 *
 * @param coordinates its Maven coordinates, when known (from an {@code mvn:} location or the
 *        {@code META-INF/maven} descriptor the jar carries)
 */
public record InstalledArtifact(String symbolicName, Version version, Optional<MavenCoordinates> coordinates) {

    public InstalledArtifact {
        Objects.requireNonNull(symbolicName, "symbolicName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(coordinates, "coordinates");
    }
}
