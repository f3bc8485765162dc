/**
 * The JSON wire format of sections (in) and section results (out).
 */
@Export
@Version("1.0.0")
package dev.pathpoint.api.wire;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
