/**
 * The driver SPI: services that carry out batches of reads and writes on devices.
 */
@Export
@Version("1.0.0")
package dev.pathpoint.api.driver;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
