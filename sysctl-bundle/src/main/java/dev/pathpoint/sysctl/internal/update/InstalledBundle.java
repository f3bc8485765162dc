package dev.pathpoint.sysctl.internal.update;

import dev.pathpoint.sysctl.internal.repository.InstalledArtifact;
import dev.pathpoint.sysctl.internal.repository.MavenCoordinates;
import java.util.Optional;
import org.osgi.framework.Version;

/** What the planner and the repositories need to know of an installed bundle. */
record InstalledBundle(long id, String symbolicName, Version version, Optional<MavenCoordinates> coordinates) {

    InstalledBundle(long id, String symbolicName, Version version) {
        this(id, symbolicName, version, Optional.empty());
    }

    String label() {
        return symbolicName + " " + version;
    }

    InstalledArtifact artifact() {
        return new InstalledArtifact(symbolicName, version, coordinates);
    }
}
