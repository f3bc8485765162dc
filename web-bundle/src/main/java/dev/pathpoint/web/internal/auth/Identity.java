package dev.pathpoint.web.internal.auth;

import java.util.Objects;

/**
 * Who a request comes from, once authenticated.
 *
 * @param name a name for rate limits and logs: {@code token:<fingerprint>} or {@code user:<name>}
 * @param mayWrite whether it may run sections and sysctl commands, besides reading
 */
public record Identity(String name, boolean mayWrite) {
    public Identity {
        Objects.requireNonNull(name, "name");
    }
}
