package dev.pathpoint.sysctl.internal.update;

/** One planned update: an installed bundle and the newer jar it will be updated from. */
record BundleMove(InstalledBundle installed, BundleCandidate candidate) {

    String describe() {
        return installed.symbolicName() + " " + installed.version() + " -> " + candidate.version();
    }
}
