package dev.pathpoint.web.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenHashTest {
    @Test
    void sha256HashesMatchTheirTokenOnly() {
        String line = TokenHash.sha256Of("s3cret-token");
        assertTrue(line.matches("sha256:[0-9a-f]{64}"), line);
        TokenHash hash = TokenHash.parse(line);
        assertTrue(hash.matches("s3cret-token"));
        assertFalse(hash.matches("s3cret-tokeN"));
        assertFalse(hash.matches(""));
        assertFalse(hash.isSlow());
        assertTrue(TokenHash.parse(line.toUpperCase().replace("SHA256:", "SHA256:")).matches("s3cret-token"), "hex digits in either case");
        assertFalse(hash.toString().contains("s3cret"));
    }

    @Test
    void pbkdf2HashesMatchTheirTokenOnly() {
        String line = TokenHash.pbkdf2Of("a person's passphrase", new byte[16], 10_000);
        TokenHash hash = TokenHash.parse(line);
        assertTrue(hash.isSlow());
        assertTrue(hash.matches("a person's passphrase"));
        assertFalse(hash.matches("a person's passphrasE"));
    }

    @Test
    void badHashesAreRefusedSayingWhatIsWrong() {
        assertEquals("empty, expected sha256:<64 hex digits> or pbkdf2-sha256:<iterations>:<salt base64>:<hash base64>",
                message(""));
        assertEquals("expected sha256:<64 hex digits> or pbkdf2-sha256:<iterations>:<salt base64>:<hash base64>",
                message("s3cret-token"));
        assertEquals("a sha256 hash has 64 hex digits after 'sha256:', got 3 characters", message("sha256:abc"));
        assertEquals("a sha256 hash has 64 hex digits after 'sha256:', got 64 characters that are not all hex digits",
                message("sha256:" + "g".repeat(64)));
        assertEquals("a pbkdf2-sha256 hash has three parts after 'pbkdf2-sha256:' (iterations:salt:hash), got 2",
                message("pbkdf2-sha256:1000:abc"));
        assertEquals("the iteration count 'many' is not a whole number", message("pbkdf2-sha256:many:AAAAAAAAAAA=:" + "A".repeat(44)));
        assertEquals("the iteration count 1000 is too low (at least 10000)", message("pbkdf2-sha256:1000:AAAAAAAAAAA=:" + "A".repeat(44)));
        assertEquals("the salt '!!' is not base64", message("pbkdf2-sha256:10000:!!:" + "A".repeat(44)));
        assertEquals("the salt has 3 bytes, at least 8 are needed", message("pbkdf2-sha256:10000:AAAA:" + "A".repeat(44)));
        assertEquals("the hash has 3 bytes, expected 16 to 64", message("pbkdf2-sha256:10000:AAAAAAAAAAA=:AAAA"));
    }

    private static String message(String text) {
        return assertThrows(IllegalArgumentException.class, () -> TokenHash.parse(text)).getMessage();
    }
}
