package dev.pathpoint.web.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
    private final AtomicLong now = new AtomicLong();

    @Test
    void bearerTokensByAnyCaseOfTheScheme() {
        Authenticator authenticator = new Authenticator(List.of(TokenHash.parse(TokenHash.sha256Of("tok-123"))), null,
                Set.of(), Set.of(), now::get);
        for (String header : List.of("Bearer tok-123", "bearer tok-123", "BEARER   tok-123 ")) {
            Authenticator.Outcome outcome = authenticator.authenticate(header);
            assertInstanceOf(Authenticator.Outcome.Accepted.class, outcome, header);
            assertTrue(((Authenticator.Outcome.Accepted) outcome).identity().mayWrite());
        }
        assertInstanceOf(Authenticator.Outcome.Refused.class, authenticator.authenticate("Bearer tok-124"));
        assertInstanceOf(Authenticator.Outcome.Refused.class, authenticator.authenticate("bearer TOK-123"));
        assertInstanceOf(Authenticator.Outcome.Refused.class, authenticator.authenticate("Bearer " + "x".repeat(2000)));
        assertInstanceOf(Authenticator.Outcome.Anonymous.class, authenticator.authenticate(null));
        assertInstanceOf(Authenticator.Outcome.Anonymous.class, authenticator.authenticate("Bearertok-123"));
        assertInstanceOf(Authenticator.Outcome.Anonymous.class, authenticator.authenticate("Token tok-123"));
        assertFalse(authenticator.acceptsPasswords());
        assertInstanceOf(Authenticator.Outcome.Refused.class, authenticator.authenticate(basic("admin", "pw")),
                "basic authentication is refused when no realm is configured");
    }

    @Test
    void identitiesNameTheTokenByAFingerprintOfItsHash() {
        TokenHash first = TokenHash.parse(TokenHash.sha256Of("first-token"));
        TokenHash second = TokenHash.parse(TokenHash.sha256Of("second-token"));
        Authenticator authenticator = new Authenticator(List.of(first, second), null, Set.of(), Set.of(), now::get);
        String name = ((Authenticator.Outcome.Accepted) authenticator.authenticate("Bearer second-token")).identity().name();
        assertEquals("token:" + second.fingerprint(), name);
        assertFalse(name.contains("second-token"));
    }

    @Test
    void passwordsAreCheckedOnceAMinuteAtMostAndRolesDecide() {
        AtomicInteger checks = new AtomicInteger();
        PasswordCheck realm = (user, password) -> {
            checks.incrementAndGet();
            return password.equals("pw") ? Optional.of(user.equals("op") ? Set.of("viewer") : Set.of("admin")) : Optional.empty();
        };
        Authenticator authenticator = new Authenticator(List.of(), realm, Set.of("viewer", "admin"), Set.of("admin"), now::get);
        Authenticator.Outcome op = authenticator.authenticate(basic("op", "pw"));
        assertFalse(((Authenticator.Outcome.Accepted) op).identity().mayWrite());
        assertEquals("user:op", ((Authenticator.Outcome.Accepted) op).identity().name());
        assertTrue(((Authenticator.Outcome.Accepted) authenticator.authenticate(basic("root", "pw"))).identity().mayWrite());
        authenticator.authenticate(basic("op", "pw"));
        assertEquals(2, checks.get(), "a proven password is remembered");
        now.addAndGet(Authenticator.PASSWORD_CACHE.toNanos() + 1);
        authenticator.authenticate(basic("op", "pw"));
        assertEquals(3, checks.get(), "for a minute");
        assertInstanceOf(Authenticator.Outcome.Refused.class, authenticator.authenticate(basic("op", "wrong")));
        assertInstanceOf(Authenticator.Outcome.Refused.class, authenticator.authenticate("Basic !!!notbase64"));
        assertInstanceOf(Authenticator.Outcome.Refused.class, authenticator.authenticate("Basic "
                + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8))));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
