/**
 * Why an operation failed: {@link dev.pathpoint.api.failure.OperationFailedException} and its reasons.
 */
@Export
@Version("1.0.0")
package dev.pathpoint.api.failure;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
