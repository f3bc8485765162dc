/**
 * The {@link dev.pathpoint.api.executor.OrderExecutor} service that queues and runs sections.
 */
@Export
@Version("1.0.0")
package dev.pathpoint.api.executor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
