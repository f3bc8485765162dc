package dev.pathpoint.sysctl.internal.update;

import org.osgi.framework.Version;

/** What the planner needs to know of an installed bundle. */
record InstalledBundle(long id, String symbolicName, Version version) {

    String label() {
        return symbolicName + " " + version;
    }
}
