package dev.pathpoint.sysctl.internal.repository;

import java.nio.file.Path;
import java.util.List;

/** A configured remote repository the {@code update} sysctl takes new bundle versions from. */
public interface UpdateRepository {

    /** For reports, e.g. {@code Maven repository acme (https://repo.acme.com/releases/)}. */
    String describe();

    /**
     * Downloads into {@code staging} the newest version the repository offers of each of these
     * bundles, where that is a different version than the installed one, and verifies each (checksum,
     * and signature where configured). A bundle the repository does not have is left out. Nothing
     * outside {@code staging} changes.
     *
     * @throws RepositoryException naming the artifact and the problem, for the first that cannot be
     *         downloaded and verified; the caller then updates nothing
     */
    List<StagedArtifact> fetchNewer(List<InstalledArtifact> installed, Path staging) throws RepositoryException;
}
