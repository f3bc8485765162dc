package dev.pathpoint.sysctl.internal.repository;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A jar downloaded into the staging area and verified (checksum, and signature where required).
 *
 * @param artifact what it is, for reports: coordinates and version, or the index's name and version
 * @param repository the repository's name
 */
public record StagedArtifact(String artifact, String repository, Path file, long size, Duration took) {

    /** e.g. {@code dev.pathpoint:dev.pathpoint.modbus:1.0.1 (123456 bytes, 0.4 s) from repository acme}. */
    public String describe() {
        return artifact + " (" + size + " bytes, " + String.format(java.util.Locale.ROOT, "%.1f", took.toNanos() / 1e9)
                + " s) from repository " + repository;
    }
}
