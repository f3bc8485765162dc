/**
 * The state of connections to devices and brokers, as reported by the bundles that keep them.
 */
@Export
@Version("1.0.0")
package dev.pathpoint.api.connection;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
