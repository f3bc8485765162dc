package dev.pathpoint.web.internal.auth;

import java.security.Principal;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JAAS login against a realm, as Apache Karaf offers them ({@code karaf}: {@code etc/users.properties}
 * by default, or LDAP...). The roles are the names of the subject's role principals (Karaf's
 * {@code RolePrincipal}, told apart by class name so that nothing of Karaf is imported).
 */
public final class JaasPasswordCheck implements PasswordCheck {
    private static final Logger LOG = LoggerFactory.getLogger(JaasPasswordCheck.class);

    private final String realm;
    private volatile boolean warned;

    public JaasPasswordCheck(String realm) {
        this.realm = realm;
    }

    @Override
    public Optional<Set<String>> roles(String user, String password) {
        Subject subject = new Subject();
        char[] secret = password.toCharArray();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // JAAS loads the realm's login modules through the context class loader; Karaf's proxy module
        // sits on the framework's class path, which this bundle's class loader does not see
        thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
        try {
            LoginContext login = new LoginContext(realm, subject, callbacks -> answer(callbacks, user, secret));
            login.login();
            Set<String> roles = new LinkedHashSet<>();
            for (Principal principal : subject.getPrincipals()) {
                if (principal.getClass().getSimpleName().contains("Role")) {
                    roles.add(principal.getName());
                }
            }
            try {
                login.logout();
            } catch (LoginException e) {
                LOG.debug("JAAS logout of {} failed", user, e);
            }
            return Optional.of(Set.copyOf(roles));
        } catch (javax.security.auth.login.FailedLoginException | javax.security.auth.login.AccountException e) {
            return Optional.empty();
        } catch (LoginException | SecurityException e) {
            // a realm that does not exist or is broken: every login fails, and the operator is told once
            if (!warned) {
                warned = true;
                LOG.warn("JAAS realm '{}' cannot check passwords: {}", realm, e.getMessage());
            }
            LOG.debug("JAAS login of {} in realm {} failed", user, realm, e);
            return Optional.empty();
        } finally {
            thread.setContextClassLoader(previous);
            Arrays.fill(secret, '\0');
        }
    }

    private static void answer(Callback[] callbacks, String user, char[] secret) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                name.setName(user);
            } else if (callback instanceof PasswordCallback password) {
                password.setPassword(secret.clone());
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }
}
