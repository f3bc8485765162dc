package dev.pathpoint.distribution.it;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/** Finding and refreshing bundles in the running framework. */
public final class Bundles {
    private Bundles() {
    }

    public static Bundle named(BundleContext context, String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** Refreshes the wiring of a bundle (after an update) and waits, boundedly, until it is done. */
    public static void refresh(BundleContext context, Bundle bundle) throws InterruptedException {
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        if (!refreshed.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the wiring of " + bundle.getSymbolicName() + " was not refreshed within 60 s");
        }
    }
}
