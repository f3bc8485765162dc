package dev.pathpoint.web.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The hash of an accepted bearer token, as configured: the token itself is never stored. Two forms:
 * {@code sha256:<64 hex digits>} for random tokens (a 256-bit random token cannot be guessed, so one
 * fast hash suffices), and {@code pbkdf2-sha256:<iterations>:<salt base64>:<hash base64>} for tokens a
 * person chose, which need a slow hash against offline guessing. Comparisons take the same time
 * whatever the token ({@link MessageDigest#isEqual}).
 */
public abstract sealed class TokenHash permits TokenHash.Sha256, TokenHash.Pbkdf2 {
    static final String SHA256_PREFIX = "sha256:";
    static final String PBKDF2_PREFIX = "pbkdf2-sha256:";
    /** Fewer iterations than this make a PBKDF2 hash too cheap to guess against. */
    public static final int MIN_ITERATIONS = 10_000;
    /** What a freshly made PBKDF2 hash uses (OWASP's 2023 figure for PBKDF2-HMAC-SHA256). */
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final String FORMS = "expected sha256:<64 hex digits> or pbkdf2-sha256:<iterations>:<salt base64>:<hash base64>";

    private final String text;

    private TokenHash(String text) {
        this.text = text;
    }

    /**
     * Reads a configured hash.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static TokenHash parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.startsWith(SHA256_PREFIX)) {
            String hex = trimmed.substring(SHA256_PREFIX.length());
            if (!hex.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("a sha256 hash has 64 hex digits after 'sha256:', got "
                        + hex.length() + " characters" + (hex.matches("[0-9a-fA-F]*") ? "" : " that are not all hex digits"));
            }
            return new Sha256(trimmed, HexFormat.of().parseHex(hex));
        }
        if (lower.startsWith(PBKDF2_PREFIX)) {
            String[] parts = trimmed.substring(PBKDF2_PREFIX.length()).split(":", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException("a pbkdf2-sha256 hash has three parts after 'pbkdf2-sha256:' "
                        + "(iterations:salt:hash), got " + parts.length);
            }
            int iterations;
            try {
                iterations = Integer.parseInt(parts[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the iteration count '" + parts[0] + "' is not a whole number");
            }
            if (iterations < MIN_ITERATIONS) {
                throw new IllegalArgumentException("the iteration count " + iterations + " is too low (at least "
                        + MIN_ITERATIONS + ")");
            }
            byte[] salt = base64(parts[1], "salt");
            byte[] hash = base64(parts[2], "hash");
            if (salt.length < 8) {
                throw new IllegalArgumentException("the salt has " + salt.length + " bytes, at least 8 are needed");
            }
            if (hash.length < 16 || hash.length > 64) {
                throw new IllegalArgumentException("the hash has " + hash.length + " bytes, expected 16 to 64");
            }
            return new Pbkdf2(trimmed, iterations, salt, hash);
        }
        throw new IllegalArgumentException(trimmed.isEmpty() ? "empty, " + FORMS : FORMS);
    }

    private static byte[] base64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " '" + text + "' is not base64");
        }
    }

    /** The SHA-256 hash line of a token, for configuration. */
    public static String sha256Of(String token) {
        return SHA256_PREFIX + HexFormat.of().formatHex(sha256(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** The PBKDF2 hash line of a token, for configuration. */
    public static String pbkdf2Of(String token, byte[] salt, int iterations) {
        return PBKDF2_PREFIX + iterations + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(pbkdf2(token, salt, iterations, 32));
    }

    /** Whether the token matches; constant time in the token for a given hash. */
    public abstract boolean matches(String token);

    /** Whether checking costs real CPU (PBKDF2), so that a checked token is worth remembering. */
    public abstract boolean isSlow();

    /** A short name for logs and rate limits that says nothing about the token. */
    public String fingerprint() {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)), 0, 4);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    static byte[] pbkdf2(String token, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(token.toCharArray(), salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public String toString() {
        return "token hash " + fingerprint();
    }

    static final class Sha256 extends TokenHash {
        private final byte[] digest;

        Sha256(String text, byte[] digest) {
            super(text);
            this.digest = digest;
        }

        @Override
        public boolean matches(String token) {
            return MessageDigest.isEqual(digest, sha256(token.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public boolean isSlow() {
            return false;
        }
    }

    static final class Pbkdf2 extends TokenHash {
        private final int iterations;
        private final byte[] salt;
        private final byte[] hash;

        Pbkdf2(String text, int iterations, byte[] salt, byte[] hash) {
            super(text);
            this.iterations = iterations;
            this.salt = salt;
            this.hash = hash;
        }

        @Override
        public boolean matches(String token) {
            return MessageDigest.isEqual(hash, pbkdf2(token, salt, iterations, hash.length));
        }

        @Override
        public boolean isSlow() {
            return true;
        }
    }
}
