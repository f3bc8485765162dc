/**
 * The message SPI: services that acknowledge message orders.
 */
@Export
@Version("1.0.0")
package dev.pathpoint.api.message;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
