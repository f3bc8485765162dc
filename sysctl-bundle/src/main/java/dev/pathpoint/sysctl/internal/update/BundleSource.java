package dev.pathpoint.sysctl.internal.update;

import java.util.List;

/**
 * Where {@code update} finds new bundle versions. A directory of jars today; a Maven or OBR
 * repository can implement this too (download the newest version of each symbolic name to a local
 * file and offer it as a candidate).
 */
interface BundleSource {

    /** For reports, e.g. {@code directory /opt/pathpoint/updates}. */
    String describe();

    /**
     * Every bundle the source offers. All-or-nothing: if anything in the source is not a valid bundle,
     * this fails, so a half-copied or corrupt jar never leads to a partial update.
     *
     * @throws BundleSourceException naming every offending entry and why
     */
    List<BundleCandidate> candidates() throws BundleSourceException;
}
