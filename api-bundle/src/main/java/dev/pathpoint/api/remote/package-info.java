/**
 * The central side: an {@link dev.pathpoint.api.executor.OrderExecutor} for each remote gateway, so
 * that a central system gives orders to its gateways through the same API the gateways run on.
 */
@Export
@Version("1.0.0")
package dev.pathpoint.api.remote;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
