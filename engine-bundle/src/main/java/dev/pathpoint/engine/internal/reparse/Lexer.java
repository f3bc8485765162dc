package dev.pathpoint.engine.internal.reparse;

import dev.pathpoint.api.failure.OperationFailedException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the expression part of a reparse name into tokens, with Python's rules for numbers and text
 * literals. A {@code {...}} is a pathpoint reference; braces inside it nest, so the reference
 * {@code {rf{W1r1}*2}} names the reparse pathpoint {@code rf{W1r1}*2}, as in the seed library.
 */
final class Lexer {
    private static final String[] TWO_CHARACTER_SYMBOLS = {"**", "//", "<<", ">>", "<=", ">=", "==", "!="};
    private static final String ONE_CHARACTER_SYMBOLS = "+-*/%<>&|^~()[],:";
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final String name;
    private final List<Token> tokens = new ArrayList<>();
    private int position;

    private Lexer(String name, int start) {
        this.name = name;
        this.position = start;
    }

    /** The tokens of {@code name} from {@code start}, ending with an END token. */
    static List<Token> tokens(String name, int start) throws OperationFailedException {
        Lexer lexer = new Lexer(name, start);
        lexer.run();
        return lexer.tokens;
    }

    private void run() throws OperationFailedException {
        while (position < name.length()) {
            char c = name.charAt(position);
            if (c == ' ' || c == '\t') {
                position++;
            } else if (c == '{') {
                reference();
            } else if (c == '}') {
                throw fail(position, "'}' closes no '{'");
            } else if (isDigit(c) || (c == '.' && position + 1 < name.length() && isDigit(name.charAt(position + 1)))) {
                number();
            } else if (c == '\'' || c == '"') {
                text(position, false);
            } else if (isNameStart(c)) {
                nameOrPrefixedText();
            } else {
                symbol(c);
            }
        }
        tokens.add(new Token(Token.Kind.END, "", name.length(), null, null));
    }

    private void reference() throws OperationFailedException {
        int start = position;
        int depth = 0;
        do {
            char c = name.charAt(position);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            }
            position++;
        } while (depth > 0 && position < name.length());
        if (depth > 0) {
            throw fail(start, "'{' is never closed by '}'");
        }
        String pathpoint = name.substring(start + 1, position - 1);
        if (pathpoint.isEmpty()) {
            throw fail(start, "'{}' names no pathpoint");
        }
        tokens.add(new Token(Token.Kind.REFERENCE, name.substring(start, position), start, null, pathpoint));
    }

    private void number() throws OperationFailedException {
        int start = position;
        int prefixRadix = position + 1 < name.length() ? PythonNumbers.prefixRadix(name.charAt(position + 1)) : 0;
        if (name.charAt(position) == '0' && prefixRadix != 0) {
            prefixedWhole(start, prefixRadix);
            return;
        }
        int end = digitsEnd(position, 10);
        boolean real = false;
        if (end < name.length() && name.charAt(end) == '.') {
            real = true;
            end = digitsEnd(end + 1, 10);
        }
        if (end < name.length() && (name.charAt(end) == 'e' || name.charAt(end) == 'E')) {
            int exponent = end + 1;
            if (exponent < name.length() && (name.charAt(exponent) == '+' || name.charAt(exponent) == '-')) {
                exponent++;
            }
            int exponentEnd = digitsEnd(exponent, 10);
            if (exponentEnd == exponent) {
                throw fail(start, "the exponent of the number " + quoteFrom(start) + " has no digits");
            }
            real = true;
            end = exponentEnd;
        }
        checkNumberEnd(start, end);
        String literal = name.substring(start, end);
        String digits = literal.replace("_", "");
        position = end;
        if (real) {
            add(Token.Kind.LITERAL, literal, start, new Value.Real(Double.parseDouble(digits)));
            return;
        }
        if (digits.length() > 1 && digits.charAt(0) == '0' && !digits.chars().allMatch(d -> d == '0')) {
            throw fail(start, "a whole number cannot start with 0 (" + literal + "; octal is written 0o...)");
        }
        add(Token.Kind.LITERAL, literal, start, new Value.Int(wholeValue(start, literal, digits, 10)));
    }

    private void prefixedWhole(int start, int radix) throws OperationFailedException {
        int digitsStart = start + 2;
        if (digitsStart < name.length() && name.charAt(digitsStart) == '_') {
            digitsStart++; // Python allows one underscore right after the prefix
        }
        int end = digitsEnd(digitsStart, radix);
        if (end == digitsStart) {
            checkNumberEnd(start, end); // 0b2: a digit of another base
            throw fail(start, "the number " + quoteFrom(start) + " has no digits after its prefix");
        }
        checkNumberEnd(start, end);
        String literal = name.substring(start, end);
        position = end;
        add(Token.Kind.LITERAL, literal, start,
                new Value.Int(wholeValue(start, literal, name.substring(digitsStart, end).replace("_", ""), radix)));
    }

    private long wholeValue(int start, String literal, String digits, int radix) throws OperationFailedException {
        BigInteger value = new BigInteger(digits, radix);
        if (value.compareTo(LONG_MAX) > 0) {
            throw fail(start, "the number " + literal + " is beyond the 64-bit integer range");
        }
        return value.longValue();
    }

    /** Where the digits (single underscores between them allowed) from {@code from} end. */
    private int digitsEnd(int from, int radix) throws OperationFailedException {
        int end = PythonNumbers.digitPartEnd(name, from, radix);
        if (end < 0) {
            throw fail(~end, "'_' in a number must stand between two digits");
        }
        return end;
    }

    /** A number must not run into a name or further digits ({@code 12abc}, {@code 0x1g}, {@code 1j}). */
    private void checkNumberEnd(int start, int end) throws OperationFailedException {
        if (end < name.length() && (isNameStart(name.charAt(end)) || isDigit(name.charAt(end)))) {
            throw fail(start, "invalid number " + quoteFrom(start));
        }
    }

    private String quoteFrom(int start) {
        int end = start;
        while (end < name.length() && (isNamePart(name.charAt(end)) || name.charAt(end) == '.'
                || ((name.charAt(end) == '+' || name.charAt(end) == '-') && end > start
                        && (name.charAt(end - 1) == 'e' || name.charAt(end - 1) == 'E')))) {
            end++;
        }
        return "'" + name.substring(start, Math.min(end, start + 30)) + "'";
    }

    private void nameOrPrefixedText() throws OperationFailedException {
        int start = position;
        int end = position;
        while (end < name.length() && isNamePart(name.charAt(end))) {
            end++;
        }
        String word = name.substring(start, end);
        if (end < name.length() && (name.charAt(end) == '\'' || name.charAt(end) == '"')) {
            if (!word.equalsIgnoreCase("r") && !word.equalsIgnoreCase("u")) {
                throw fail(start, "'" + word + "' before a quote is not a known text prefix (only r and u are)");
            }
            position = end;
            text(start, word.equalsIgnoreCase("r"));
            return;
        }
        position = end;
        add(Token.Kind.NAME, word, start, null);
    }

    /** A text literal in ' or " from {@code position}; {@code start} includes any prefix. */
    private void text(int start, boolean raw) throws OperationFailedException {
        char quote = name.charAt(position);
        int i = position + 1;
        StringBuilder text = new StringBuilder();
        while (true) {
            if (i >= name.length()) {
                throw fail(start, "the text starting here is never closed (no closing " + quote + ")");
            }
            char c = name.charAt(i);
            if (c == quote) {
                i++;
                break;
            }
            if (c < 0x20 && c != '\t') {
                throw fail(i, controlCharacter(c) + " cannot stand in a text; write it as an escape such as \\n");
            }
            if (c != '\\') {
                text.append(c);
                i++;
            } else if (i + 1 >= name.length()) {
                throw fail(start, "the text starting here is never closed (no closing " + quote + ")");
            } else if (raw) {
                // in a raw text a backslash stays, and keeps the next character from closing the text
                text.append(c).append(name.charAt(i + 1));
                i += 2;
            } else {
                i = escape(i, text);
            }
        }
        position = i;
        add(Token.Kind.LITERAL, name.substring(start, i), start, new Value.Text(text.toString()));
    }

    /** Appends the character of the escape at {@code at} (a backslash) and returns where the escape ends. */
    private int escape(int at, StringBuilder text) throws OperationFailedException {
        char kind = name.charAt(at + 1);
        switch (kind) {
            case '\\':
            case '\'':
            case '"':
                text.append(kind);
                return at + 2;
            case 'a':
                text.append('\u0007');
                return at + 2;
            case 'b':
                text.append('\b');
                return at + 2;
            case 'f':
                text.append('\f');
                return at + 2;
            case 'n':
                text.append('\n');
                return at + 2;
            case 'r':
                text.append('\r');
                return at + 2;
            case 't':
                text.append('\t');
                return at + 2;
            case 'v':
                text.append('\u000b');
                return at + 2;
            case 'x':
                return hexEscape(at, 2, text);
            case 'u':
                return hexEscape(at, 4, text);
            case 'U':
                return hexEscape(at, 8, text);
            case 'N':
                throw fail(at, "named character escapes (\\N{...}) are not supported; use \\u");
            default:
                if (kind >= '0' && kind <= '7') {
                    int end = at + 1;
                    int value = 0;
                    while (end < name.length() && end < at + 4 && name.charAt(end) >= '0' && name.charAt(end) <= '7') {
                        value = value * 8 + (name.charAt(end) - '0');
                        end++;
                    }
                    text.append((char) value);
                    return end;
                }
                // Python keeps an unknown escape as it is: backslash and character
                text.append('\\');
                return at + 1;
        }
    }

    private int hexEscape(int at, int digits, StringBuilder text) throws OperationFailedException {
        int start = at + 2;
        int end = start + digits;
        if (end > name.length()) {
            throw fail(at, "\\" + name.charAt(at + 1) + " needs " + digits + " hexadecimal digits");
        }
        int value = 0;
        for (int i = start; i < end; i++) {
            int digit = Character.digit(name.charAt(i), 16);
            if (digit < 0 || name.charAt(i) > 'f') {
                throw fail(at, "\\" + name.charAt(at + 1) + " needs " + digits + " hexadecimal digits");
            }
            value = value * 16 + digit;
            if (value > Character.MAX_CODE_POINT) {
                throw fail(at, "the escape " + name.substring(at, end) + " is beyond the last Unicode character");
            }
        }
        text.appendCodePoint(value);
        return end;
    }

    private void symbol(char c) throws OperationFailedException {
        for (String symbol : TWO_CHARACTER_SYMBOLS) {
            if (name.startsWith(symbol, position)) {
                add(Token.Kind.SYMBOL, symbol, position, null);
                position += 2;
                return;
            }
        }
        if (ONE_CHARACTER_SYMBOLS.indexOf(c) >= 0) {
            add(Token.Kind.SYMBOL, String.valueOf(c), position, null);
            position++;
            return;
        }
        switch (c) {
            case '=':
                throw fail(position, "'=' is not an operator here (to compare, write ==)");
            case '!':
                throw fail(position, "'!' is not an operator (write 'not', or != to compare)");
            case '.':
                throw fail(position, "'.' here is not part of a number (attributes and methods are not supported)");
            default:
                if (c < 0x20 || c == 0x7f) {
                    throw fail(position, controlCharacter(c) + " is not allowed");
                }
                throw fail(position, "unexpected character '" + new String(Character.toChars(name.codePointAt(position)))
                        + "'");
        }
    }

    private void add(Token.Kind kind, String text, int start, Value value) {
        tokens.add(new Token(kind, text, start, value, null));
    }

    private static String controlCharacter(char c) {
        return String.format("the control character U+%04X", (int) c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || isDigit(c);
    }

    private OperationFailedException fail(int at, String what) {
        return Failures.invalid(name, at, what);
    }
}
