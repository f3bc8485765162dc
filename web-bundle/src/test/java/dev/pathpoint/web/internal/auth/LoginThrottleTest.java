package dev.pathpoint.web.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The login throttle on a manual clock. */
class LoginThrottleTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private final AtomicLong now = new AtomicLong(1_000_000 * MS);
    private final LoginThrottle throttle = new LoginThrottle(3, 500 * MS, 4_000 * MS, 60_000 * MS, now::get);

    private long attemptFails(String client) {
        LoginThrottle.Admission admission = throttle.admit(client);
        long delay = admission instanceof LoginThrottle.Admission.Later later ? later.delayNanos() : 0;
        assertTrue(!(admission instanceof LoginThrottle.Admission.Refused), "refused: " + admission);
        if (delay > 0) {
            now.addAndGet(delay);
            throttle.slotReached(client);
        }
        throttle.failed(client);
        return delay / MS;
    }

    @Test
    void afterTheFreeFailuresEachAttemptWaitsTwiceAsLongUpToTheCap() {
        assertEquals(0, attemptFails("192.0.2.1"));
        assertEquals(0, attemptFails("192.0.2.1"));
        assertEquals(0, attemptFails("192.0.2.1"));
        assertEquals(500, attemptFails("192.0.2.1"));
        assertEquals(1000, attemptFails("192.0.2.1"));
        assertEquals(2000, attemptFails("192.0.2.1"));
        assertEquals(4000, attemptFails("192.0.2.1"));
        assertEquals(4000, attemptFails("192.0.2.1"));
        assertEquals(0, attemptFails("192.0.2.2"), "other addresses are not slowed");
    }

    @Test
    void parallelAttemptsGetSlotsOneAfterAnotherAndThoseBeyondTheBoundAreRefused() {
        for (int i = 0; i < 3; i++) {
            attemptFails("c");
        }
        long previous = -1;
        for (int i = 0; i < LoginThrottle.MAX_WAITING_PER_CLIENT; i++) {
            LoginThrottle.Admission admission = throttle.admit("c");
            long delay = ((LoginThrottle.Admission.Later) admission).delayNanos();
            assertTrue(delay > previous, "each waits longer than the one before: " + delay + " after " + previous);
            previous = delay;
        }
        assertInstanceOf(LoginThrottle.Admission.Refused.class, throttle.admit("c"));
    }

    @Test
    void inFlightAttemptsCountAgainstTheFreeOnes() {
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(LoginThrottle.Admission.Now.class, throttle.admit("c"));
        }
        assertInstanceOf(LoginThrottle.Admission.Later.class, throttle.admit("c"),
                "three unanswered attempts use up the free ones");
    }

    @Test
    void aSuccessOrAQuietSpellStartsAfresh() {
        for (int i = 0; i < 5; i++) {
            attemptFails("c");
        }
        LoginThrottle.Admission admission = throttle.admit("c");
        now.addAndGet(((LoginThrottle.Admission.Later) admission).delayNanos());
        throttle.slotReached("c");
        throttle.succeeded("c");
        assertEquals(0, attemptFails("c"));
        assertEquals(0, throttle.clients() - 1);

        for (int i = 0; i < 5; i++) {
            attemptFails("d");
        }
        now.addAndGet(60_001 * MS);
        assertInstanceOf(LoginThrottle.Admission.Now.class, throttle.admit("d"), "forgotten after a quiet minute");
    }

    @Test
    void theNumberOfRememberedAddressesIsBounded() {
        for (int i = 0; i < LoginThrottle.MAX_CLIENTS + 500; i++) {
            attemptFails("10.0." + (i / 256) + "." + (i % 256));
        }
        assertTrue(throttle.clients() <= LoginThrottle.MAX_CLIENTS, "remembered: " + throttle.clients());
    }

    @Test
    void ipv6ClientsCountByTheirNetwork() {
        assertEquals(LoginThrottle.clientKey("2001:db8:1:2:aaaa::1"), LoginThrottle.clientKey("2001:db8:1:2:bbbb::7"));
        assertTrue(!LoginThrottle.clientKey("2001:db8:1:2::1").equals(LoginThrottle.clientKey("2001:db8:1:3::1")));
        assertEquals("192.0.2.9", LoginThrottle.clientKey("192.0.2.9"));
    }
}
