package dev.pathpoint.web.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Tells who sent a request from its {@code Authorization} header: a bearer token checked against the
 * configured hashes, or basic authentication checked by a {@link PasswordCheck} (JAAS). Nothing is
 * kept but what a check proved: for a slow (PBKDF2) token hash the SHA-256 of a token that matched it,
 * for basic authentication the SHA-256 of user and password for {@link #PASSWORD_CACHE} (so that the
 * dashboard's polling does not log in to JAAS every second), both bounded.
 */
public final class Authenticator {
    static final Duration PASSWORD_CACHE = Duration.ofSeconds(60);
    private static final int MAX_CACHED_PASSWORDS = 64;
    /** Longer credentials are refused unchecked: no token or password is this long. */
    static final int MAX_CREDENTIAL_LENGTH = 1024;

    /** What the header said. */
    public sealed interface Outcome permits Outcome.Anonymous, Outcome.Refused, Outcome.Accepted {
        /** No credentials at all (or a scheme this does not take). */
        record Anonymous() implements Outcome {
        }

        /** Credentials that are wrong, or a user whose roles allow nothing. */
        record Refused() implements Outcome {
        }

        record Accepted(Identity identity) implements Outcome {
        }
    }

    private final List<TokenHash> tokens;
    private final PasswordCheck passwords;
    private final Set<String> readRoles;
    private final Set<String> writeRoles;
    private final LongSupplier nanoTime;
    /** By token hash index: the SHA-256 of the token that matched a slow hash. */
    private final byte[][] provenTokens;
    private final Map<String, CachedLogin> logins = new LinkedHashMap<>(16, 0.75f, true);

    private record CachedLogin(Identity identity, long expiresNanos) {
    }

    /**
     * @param passwords null when basic authentication is off
     */
    public Authenticator(List<TokenHash> tokens, PasswordCheck passwords, Set<String> readRoles,
            Set<String> writeRoles, LongSupplier nanoTime) {
        this.tokens = List.copyOf(tokens);
        this.passwords = passwords;
        this.readRoles = Set.copyOf(readRoles);
        this.writeRoles = Set.copyOf(writeRoles);
        this.nanoTime = nanoTime;
        this.provenTokens = new byte[this.tokens.size()][];
    }

    /** Whether a request carries credentials at all (only those count as login attempts). */
    public static boolean hasCredentials(String authorization) {
        return scheme(authorization, "Bearer") != null || scheme(authorization, "Basic") != null;
    }

    /** Whether basic authentication is on, so that 401 answers may offer it. */
    public boolean acceptsPasswords() {
        return passwords != null;
    }

    public Outcome authenticate(String authorization) {
        String token = scheme(authorization, "Bearer");
        if (token != null) {
            return token.isEmpty() || token.length() > MAX_CREDENTIAL_LENGTH ? new Outcome.Refused() : checkToken(token);
        }
        String basic = scheme(authorization, "Basic");
        if (basic != null) {
            return basic.length() > MAX_CREDENTIAL_LENGTH ? new Outcome.Refused() : checkPassword(basic);
        }
        return new Outcome.Anonymous();
    }

    private Outcome checkToken(String token) {
        byte[] digest = TokenHash.sha256(token.getBytes(StandardCharsets.UTF_8));
        int matched = -1;
        // every hash is compared, so that the time taken does not tell which one matched
        for (int i = 0; i < tokens.size(); i++) {
            TokenHash hash = tokens.get(i);
            boolean match;
            if (hash.isSlow()) {
                byte[] proven = proven(i);
                match = proven != null ? MessageDigest.isEqual(proven, digest) : hash.matches(token);
                if (match && proven == null) {
                    remember(i, digest);
                }
            } else {
                match = hash.matches(token);
            }
            if (match && matched < 0) {
                matched = i;
            }
        }
        return matched < 0 ? new Outcome.Refused()
                : new Outcome.Accepted(new Identity("token:" + tokens.get(matched).fingerprint(), true));
    }

    private synchronized byte[] proven(int index) {
        return provenTokens[index];
    }

    private synchronized void remember(int index, byte[] digest) {
        provenTokens[index] = digest;
    }

    private Outcome checkPassword(String encoded) {
        if (passwords == null) {
            return new Outcome.Refused();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Outcome.Refused();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return new Outcome.Refused();
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        String key = Base64.getEncoder().encodeToString(TokenHash.sha256(decoded.getBytes(StandardCharsets.UTF_8)));
        Identity cached = cached(key);
        if (cached != null) {
            return new Outcome.Accepted(cached);
        }
        Optional<Set<String>> roles = passwords.roles(user, password);
        if (roles.isEmpty()) {
            return new Outcome.Refused();
        }
        boolean mayWrite = roles.get().stream().anyMatch(writeRoles::contains);
        boolean mayRead = mayWrite || roles.get().stream().anyMatch(readRoles::contains);
        if (!mayRead) {
            return new Outcome.Refused();
        }
        Identity identity = new Identity("user:" + user, mayWrite);
        cache(key, identity);
        return new Outcome.Accepted(identity);
    }

    private synchronized Identity cached(String key) {
        CachedLogin login = logins.get(key);
        if (login == null) {
            return null;
        }
        if (nanoTime.getAsLong() - login.expiresNanos() > 0) {
            logins.remove(key);
            return null;
        }
        return login.identity();
    }

    private synchronized void cache(String key, Identity identity) {
        logins.put(key, new CachedLogin(identity, nanoTime.getAsLong() + PASSWORD_CACHE.toNanos()));
        for (Iterator<String> eldest = logins.keySet().iterator(); logins.size() > MAX_CACHED_PASSWORDS; ) {
            eldest.next();
            eldest.remove();
        }
    }

    /** The credentials after {@code <scheme> } (case-insensitive scheme), or null if the header is not of that scheme. */
    private static String scheme(String authorization, String scheme) {
        if (authorization == null || authorization.length() < scheme.length()
                || !authorization.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return null;
        }
        String rest = authorization.substring(scheme.length());
        if (!rest.isEmpty() && !rest.startsWith(" ")) {
            return null;
        }
        return rest.trim();
    }
}
