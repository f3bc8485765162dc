package dev.pathpoint.web.internal.shell;

import dev.pathpoint.web.internal.auth.TokenHash;
import java.security.SecureRandom;
import java.util.Base64;
import org.osgi.service.component.annotations.Component;

/**
 * {@code pathpoint:webtoken}: makes a random bearer token for the web API and prints it with the
 * {@code tokenHashes} entry to configure; {@code pathpoint:webtoken <token>} prints the (PBKDF2) entry
 * for a token of one's own. Nothing is stored: the operator puts the entry into the configuration.
 */
@Component(service = WebTokenCommand.class, property = {
        "osgi.command.scope=pathpoint",
        "osgi.command.function=webtoken"})
public final class WebTokenCommand {
    private final SecureRandom random = new SecureRandom();

    public String webtoken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return "token (give it to the client, it is not stored): " + token + "\n"
                + "configuration entry (PID dev.pathpoint.web): tokenHashes=[\"" + TokenHash.sha256Of(token) + "\"]\n";
    }

    public String webtoken(String token) {
        if (token.equals("--help") || token.equals("-h")) {
            return "pathpoint:webtoken            make a random token and the tokenHashes entry for it\n"
                    + "pathpoint:webtoken <token>    the tokenHashes entry (PBKDF2) for a token of your own\n";
        }
        if (token.length() < 12) {
            return "error: a token of one's own needs at least 12 characters\n";
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return "configuration entry (PID dev.pathpoint.web): tokenHashes=[\""
                + TokenHash.pbkdf2Of(token, salt, TokenHash.DEFAULT_ITERATIONS) + "\"]\n";
    }
}
