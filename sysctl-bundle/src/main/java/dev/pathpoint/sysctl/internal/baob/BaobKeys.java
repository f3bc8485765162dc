package dev.pathpoint.sysctl.internal.baob;

/** What a BAOB key in {@code op_args} may look like. */
final class BaobKeys {

    private BaobKeys() {
    }

    /**
     * @return null if the key is acceptable, else why not
     */
    static String problemWith(String opType, String key, int maxLength) {
        if (key == null || key.isEmpty()) {
            return opType + " needs the BAOB key as its argument; got nothing";
        }
        if (key.isBlank()) {
            return opType + " needs the BAOB key as its argument; got only blanks";
        }
        if (!key.equals(key.strip())) {
            return opType + " key '" + key + "' has leading or trailing blanks";
        }
        if (key.length() > maxLength) {
            return opType + " key is " + key.length() + " characters long; at most " + maxLength + " are allowed";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                return opType + " key '" + printable(key) + "' holds a blank or control character at position " + i
                        + "; a key is a single word";
            }
        }
        return null;
    }

    private static String printable(String key) {
        StringBuilder out = new StringBuilder();
        key.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** Whether a topic prefix is a valid Event Admin topic: tokens of [A-Za-z0-9_-] separated by '/'. */
    static boolean isValidTopicPrefix(String prefix) {
        return prefix != null && prefix.matches("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");
    }
}
