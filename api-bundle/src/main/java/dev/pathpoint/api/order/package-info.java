/**
 * Orders: read, write, wait, sysctl and message, with their retry budgets.
 */
@Export
@Version("1.0.0")
package dev.pathpoint.api.order;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
