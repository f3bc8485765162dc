package dev.pathpoint.sysctl.internal.update;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Version;

/**
 * Parses OSGi manifest headers ({@code Import-Package}, {@code Require-Capability}, ...) as the core
 * specification's common header syntax describes: clauses separated by commas, each holding names,
 * attributes and directives separated by semicolons, values optionally in double quotes.
 */
final class HeaderParser {

    private HeaderParser() {
    }

    /**
     * @param header the header's name, for messages
     * @param value the header's value; null or blank gives no clauses
     * @throws IllegalArgumentException naming the header and what is wrong
     */
    static List<HeaderClause> parse(String header, String value) {
        List<HeaderClause> clauses = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return clauses;
        }
        for (String clauseText : split(header, value, ',')) {
            clauses.add(parseClause(header, clauseText));
        }
        return clauses;
    }

    private static HeaderClause parseClause(String header, String clauseText) {
        List<String> names = new ArrayList<>();
        Map<String, Object> attributes = new LinkedHashMap<>();
        Map<String, String> directives = new LinkedHashMap<>();
        for (String part : split(header, clauseText, ';')) {
            int equals = indexOfUnquoted(part, '=');
            if (equals < 0) {
                if (!attributes.isEmpty() || !directives.isEmpty()) {
                    throw new IllegalArgumentException(header + ": name '" + part
                            + "' comes after attributes or directives in clause '" + clauseText.trim() + "'");
                }
                names.add(requireToken(header, part.trim(), clauseText));
            } else if (equals > 0 && part.charAt(equals - 1) == ':') {
                String name = requireToken(header, part.substring(0, equals - 1).trim(), clauseText);
                directives.put(name, unquote(header, part.substring(equals + 1).trim()));
            } else {
                String key = part.substring(0, equals).trim();
                String rawValue = unquote(header, part.substring(equals + 1).trim());
                int colon = key.indexOf(':');
                if (colon < 0) {
                    attributes.put(requireToken(header, key, clauseText), rawValue);
                } else {
                    String name = requireToken(header, key.substring(0, colon).trim(), clauseText);
                    attributes.put(name, typed(header, key.substring(colon + 1).trim(), rawValue, name));
                }
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(header + ": clause '" + clauseText.trim() + "' names nothing");
        }
        return new HeaderClause(names, attributes, directives);
    }

    private static Object typed(String header, String type, String value, String attribute) {
        try {
            return switch (type) {
                case "String" -> value;
                case "Version" -> Version.parseVersion(value.trim());
                case "Long" -> Long.valueOf(value.trim());
                case "Double" -> Double.valueOf(value.trim());
                case "List", "List<String>" -> listOf(value, s -> s);
                case "List<Version>" -> listOf(value, s -> Version.parseVersion(s.trim()));
                case "List<Long>" -> listOf(value, s -> Long.valueOf(s.trim()));
                case "List<Double>" -> listOf(value, s -> Double.valueOf(s.trim()));
                default -> throw new IllegalArgumentException("unknown attribute type '" + type + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(header + ": attribute " + attribute + ":" + type + "=\"" + value
                    + "\" is invalid: " + e.getMessage(), e);
        }
    }

    private static List<Object> listOf(String value, java.util.function.Function<String, Object> convert) {
        List<Object> items = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                current.append(value.charAt(++i));
            } else if (c == ',') {
                items.add(convert.apply(current.toString()));
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        items.add(convert.apply(current.toString()));
        return items;
    }

    private static String requireToken(String header, String token, String clauseText) {
        if (token.isEmpty()) {
            throw new IllegalArgumentException(header + ": empty name in clause '" + clauseText.trim() + "'");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (Character.isWhitespace(c) || c == '"' || c == ':' || c == '=') {
                throw new IllegalArgumentException(header + ": '" + token + "' in clause '" + clauseText.trim()
                        + "' is not a valid name");
            }
        }
        return token;
    }

    private static String unquote(String header, String value) {
        if (!value.startsWith("\"")) {
            if (value.indexOf('"') >= 0) {
                throw new IllegalArgumentException(header + ": misplaced quote in value " + value);
            }
            return value;
        }
        if (value.length() < 2 || !value.endsWith("\"")) {
            throw new IllegalArgumentException(header + ": unterminated quoted value " + value);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                char next = value.charAt(i + 1);
                // Keep escaped commas escaped: List values split on unescaped commas later.
                if (next == ',') {
                    out.append('\\');
                }
                out.append(next);
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int indexOfUnquoted(String text, char wanted) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == wanted && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> split(String header, String text, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(nonEmpty(header, text, text.substring(start, i)));
                start = i + 1;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(header + ": unterminated quote in '" + text.trim() + "'");
        }
        parts.add(nonEmpty(header, text, text.substring(start)));
        return parts;
    }

    private static String nonEmpty(String header, String whole, String part) {
        if (part.isBlank()) {
            throw new IllegalArgumentException(header + ": empty clause or parameter in '" + whole.trim() + "'");
        }
        return part;
    }
}
