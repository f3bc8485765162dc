package dev.pathpoint.distribution.hardening;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The it package's polling with a deadline, for this package. */
final class Await {
    private Await() {
    }

    static void until(String what, Duration limit, BooleanSupplier condition) {
        dev.pathpoint.distribution.it.Await.until(what, limit, condition);
    }

    static void until(String what, Duration limit, BooleanSupplier condition, Supplier<String> state) {
        dev.pathpoint.distribution.it.Await.until(what, limit, condition, state);
    }
}
