package dev.pathpoint.engine.internal.reparse;

/**
 * One token of an expression.
 *
 * @param text the source text of the token, as written
 * @param position where it starts in the pathpoint name (0 is the {@code r})
 * @param value the number or text of a literal, else null
 * @param reference the pathpoint name inside the braces of a reference, else null
 */
record Token(Kind kind, String text, int position, Value value, String reference) {

    enum Kind {
        /** A number or text literal. */
        LITERAL,
        /** {@code {pathpoint}}. */
        REFERENCE,
        /** A name: a function or a keyword ({@code and}, {@code if}, {@code True}...). */
        NAME,
        /** An operator or punctuation: {@code + ** ( , :}... */
        SYMBOL,
        /** After the last token. */
        END
    }

    boolean is(Kind expected, String expectedText) {
        return kind == expected && text.equals(expectedText);
    }

    boolean isSymbol(String symbol) {
        return is(Kind.SYMBOL, symbol);
    }

    boolean isName(String name) {
        return is(Kind.NAME, name);
    }

    /** The token as a message names it. */
    String describe() {
        if (kind == Kind.END) {
            return "the end of the name";
        }
        return "'" + (text.length() > 30 ? text.substring(0, 30) + "..." : text) + "'";
    }
}
