/**
 * The sysctl SPI: services that carry out named system commands.
 */
@Export
@Version("1.0.0")
package dev.pathpoint.api.sysctl;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
