/**
 * Sections of orders, their disposition (joinable or barrier), lifecycle and results.
 */
@Export
@Version("1.0.0")
package dev.pathpoint.api.section;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
