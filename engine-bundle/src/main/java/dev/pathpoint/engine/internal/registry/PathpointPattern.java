package dev.pathpoint.engine.internal.registry;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A service's {@code pathpoint.pattern} property: the names it serves. A missing or invalid pattern
 * matches nothing and says why.
 */
record PathpointPattern(String text, Pattern pattern, String problem) {

    static PathpointPattern of(String property, String text) {
        if (text == null || text.isBlank()) {
            return new PathpointPattern(text, null, "no " + property + " property: serves nothing");
        }
        try {
            return new PathpointPattern(text, Pattern.compile(text), null);
        } catch (PatternSyntaxException e) {
            return new PathpointPattern(text, null, property + " '" + text + "' is not a valid regular expression ("
                    + e.getDescription() + "): serves nothing");
        }
    }

    boolean matches(String pathpoint) {
        return pattern != null && pattern.matcher(pathpoint).matches();
    }
}
