package dev.pathpoint.web.internal.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down guessing of credentials, per client address. The first {@code freeFailures} failed
 * attempts from an address are answered at once; after that every attempt from it (right or wrong)
 * waits before it is checked: the first {@code firstDelay}, each further one twice as long as the one
 * before, up to {@code maxDelay}. The waits of parallel attempts add up (each starts when the one
 * before it ends), so parallel attempts gain nothing; attempts still being checked count as failures
 * until they are told. A success frees the address; so does a quiet {@code memory}. At most
 * {@link #MAX_WAITING_PER_CLIENT} attempts of an address, and {@link #MAX_WAITING} in all, may wait
 * for their slot; more are refused at once. The state is bounded: at most {@link #MAX_CLIENTS}
 * addresses are remembered (the least recently seen go first). IPv6 clients count by their /64
 * network, since one host may hold all of it.
 */
public final class LoginThrottle {
    public static final int MAX_WAITING_PER_CLIENT = 4;
    public static final int MAX_WAITING = 64;
    static final int MAX_CLIENTS = 10_000;

    /** When an attempt may be checked. */
    public sealed interface Admission permits Admission.Now, Admission.Later, Admission.Refused {
        /** At once. */
        record Now() implements Admission {
        }

        /** After waiting this long (nanoseconds). */
        record Later(long delayNanos) implements Admission {
        }

        /** Too many attempts are waiting: answer 429 without checking; retry after this long. */
        record Refused(long retryAfterNanos) implements Admission {
        }
    }

    private final int freeFailures;
    private final long firstDelayNanos;
    private final long maxDelayNanos;
    private final long memoryNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Client> clients = new LinkedHashMap<>(64, 0.75f, true);
    private int waiting;

    private static final class Client {
        int failures;
        /** Attempts admitted and not yet reported back (checking, or waiting for their slot). */
        int inFlight;
        int waiting;
        long nextSlotNanos;
        long lastFailureNanos;
    }

    public LoginThrottle(int freeFailures, long firstDelayNanos, long maxDelayNanos, long memoryNanos, LongSupplier nanoTime) {
        this.freeFailures = freeFailures;
        this.firstDelayNanos = firstDelayNanos;
        this.maxDelayNanos = maxDelayNanos;
        this.memoryNanos = memoryNanos;
        this.nanoTime = nanoTime;
    }

    /** The key of a client address: the address, or its /64 network for IPv6. */
    public static String clientKey(String remoteAddress) {
        try {
            InetAddress address = InetAddress.getByName(remoteAddress);
            if (address instanceof Inet6Address) {
                byte[] bytes = address.getAddress();
                java.util.Arrays.fill(bytes, 8, 16, (byte) 0);
                return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
            }
            return address.getHostAddress();
        } catch (UnknownHostException e) {
            // a literal address the container gave us never fails to parse; keep the text then
            return remoteAddress;
        }
    }

    /** Asks to check an attempt with credentials from the client; report it back with {@link #succeeded} or {@link #failed}. */
    public synchronized Admission admit(String client) {
        long now = nanoTime.getAsLong();
        Client state = current(client, now);
        if (state == null) {
            state = new Client();
            clients.put(client, state);
            trim();
        }
        int attempt = state.failures + state.inFlight;
        if (attempt < freeFailures) {
            state.inFlight++;
            return new Admission.Now();
        }
        if (state.waiting >= MAX_WAITING_PER_CLIENT || waiting >= MAX_WAITING) {
            return new Admission.Refused(Math.max(state.nextSlotNanos - now, firstDelayNanos));
        }
        // the k-th attempt past the free ones waits delay(k) after its arrival or after the slot before it
        long slot = Math.max(now, state.nextSlotNanos) + delayAfter(attempt - freeFailures + 1);
        state.nextSlotNanos = slot;
        state.inFlight++;
        state.waiting++;
        waiting++;
        return new Admission.Later(slot - now);
    }

    /** An attempt admitted {@link Admission.Later} reached its slot and is being checked now. */
    public synchronized void slotReached(String client) {
        Client state = clients.get(client);
        if (state != null && state.waiting > 0) {
            state.waiting--;
        }
        waiting = Math.max(0, waiting - 1);
    }

    public synchronized void succeeded(String client) {
        Client state = clients.get(client);
        if (state != null) {
            state.inFlight = Math.max(0, state.inFlight - 1);
            state.failures = 0;
            state.nextSlotNanos = 0;
            if (state.inFlight == 0 && state.waiting == 0) {
                clients.remove(client);
            }
        }
    }

    public synchronized void failed(String client) {
        long now = nanoTime.getAsLong();
        Client state = clients.get(client);
        if (state == null) {
            state = new Client();
            clients.put(client, state);
            trim();
        }
        state.inFlight = Math.max(0, state.inFlight - 1);
        state.failures++;
        state.lastFailureNanos = now;
    }

    /** How many client addresses are remembered (for tests and bounds). */
    public synchronized int clients() {
        return clients.size();
    }

    /** The delay of the n-th attempt past the free ones (n >= 1). */
    long delayAfter(int n) {
        long delay = firstDelayNanos;
        for (int i = 1; i < n && delay < maxDelayNanos; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxDelayNanos);
    }

    private Client current(String client, long now) {
        Client state = clients.get(client);
        if (state != null && state.inFlight == 0 && state.waiting == 0 && now - state.lastFailureNanos > memoryNanos) {
            clients.remove(client);
            return null;
        }
        return state;
    }

    private void trim() {
        for (Iterator<Client> eldest = clients.values().iterator(); clients.size() > MAX_CLIENTS && eldest.hasNext(); ) {
            Client state = eldest.next();
            if (state.waiting == 0) {
                eldest.remove();
            }
        }
    }
}
