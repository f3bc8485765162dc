package dev.pathpoint.sysctl.internal.update;

import java.util.Objects;

/**
 * A mandatory requirement a bundle jar declares, as an LDAP filter over capabilities of one namespace.
 *
 * @param filter null when any capability of the namespace satisfies it
 * @param description what the manifest said, for messages (e.g. {@code Import-Package com.acme;version=[1.0.0,2.0.0)})
 */
record BundleRequirement(String namespace, String filter, String description) {

    BundleRequirement {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(description, "description");
    }
}
