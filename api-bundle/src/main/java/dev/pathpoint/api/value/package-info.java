/**
 * Pathpoint types and the typed values they hold, with the coercion rules of a value to a type.
 */
@Export
@Version("1.0.0")
package dev.pathpoint.api.value;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
