/**
 * The pathpoint value store: last readings, and listeners told of changes.
 */
@Export
@Version("1.0.0")
package dev.pathpoint.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
