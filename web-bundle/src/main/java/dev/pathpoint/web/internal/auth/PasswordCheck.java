package dev.pathpoint.web.internal.auth;

import java.util.Optional;
import java.util.Set;

/** Checks a user name and password, as basic authentication needs (JAAS in Karaf). */
public interface PasswordCheck {

    /** The user's roles if the password is right; empty if not (or the user is unknown). */
    Optional<Set<String>> roles(String user, String password);
}
