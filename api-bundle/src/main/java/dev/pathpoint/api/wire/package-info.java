/**
 * The JSON wire format of sections (in) and section results (out, and read back by a central system).
 */
@Export
@Version("1.1.0")
package dev.pathpoint.api.wire;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
