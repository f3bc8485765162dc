package dev.pathpoint.api.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Reads a JSON document into a tree. A document that is not valid JSON is rejected with what was
 * expected, at which line and column, in the words of JSON, never in those of the parser library: the
 * library finds the error, this class describes it from the parser's position and the text around it.
 */
final class JsonText {
    private static final String VALUES = "a string in double quotes, a number, an object, an array, true, false or null";

    private final String text;

    private JsonText(String text) {
        this.text = text;
    }

    /** Decodes UTF-8 strictly: a byte that is not UTF-8 is an error that names its offset. */
    static String decode(byte[] bytes) throws WireFormatException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new WireFormatException("$", String.format(Locale.ROOT,
                    "not UTF-8 text: byte 0x%02X at offset %d cannot start or continue a UTF-8 character",
                    bytes[in.position()] & 0xFF, in.position()));
        }
        decoder.flush(out);
        String text = out.flip().toString();
        // a byte order mark is allowed before UTF-8 JSON
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /**
     * The tree of a document holding exactly one JSON value; {@code null} when the text holds none
     * (only blanks).
     */
    static JsonNode read(ObjectMapper mapper, JsonFactory factory, String text) throws WireFormatException {
        JsonText document = new JsonText(text);
        try (JsonParser parser = factory.createParser(text)) {
            JsonNode root;
            try {
                root = mapper.readTree(parser);
            } catch (JsonProcessingException e) {
                throw document.syntaxError(parser, e, false);
            } catch (NumberFormatException e) {
                // a number whose exponent is too large for any number type (found by fuzzing)
                throw document.numberOutOfRange(parser);
            }
            if (root == null || root.isMissingNode()) {
                return null;
            }
            JsonToken trailing;
            try {
                trailing = parser.nextToken();
            } catch (JsonProcessingException e) {
                throw document.syntaxError(parser, e, true);
            }
            if (trailing != null) {
                throw document.error("$", (int) parser.currentTokenLocation().getCharOffset(),
                        "unexpected " + document.found((int) parser.currentTokenLocation().getCharOffset())
                                + " after the end of the document: a document holds one section or one array of sections");
            }
            return root;
        } catch (IOException e) {
            // reading from a String fails only as above
            throw new WireFormatException("$", "cannot be read: " + e.getClass().getSimpleName());
        }
    }

    private WireFormatException numberOutOfRange(JsonParser parser) {
        int at = (int) parser.currentTokenLocation().getCharOffset();
        return error(path(parser.getParsingContext(), true), at,
                "the number " + quote(numberAt(at)) + " is out of the range of numbers (its exponent is too large)");
    }

    /** Describes a syntax error; {@code afterDocument}: the parser was looking past the document's value. */
    private WireFormatException syntaxError(JsonParser parser, JsonProcessingException e, boolean afterDocument) {
        JsonStreamContext context = parser.getParsingContext();
        JsonLocation location = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        int at = clamp((int) location.getCharOffset());
        if (at > 0 && isControl(text.charAt(at - 1))) {
            // the parser reports some characters it cannot start anything with from just after them
            at--;
        }
        JsonToken current = parser.currentToken();
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();

        if (e instanceof StreamConstraintsException) {
            return limitExceeded(parser, context, message);
        }
        if (message.startsWith("Duplicate field")) {
            String name = context.getCurrentName();
            int nameAt = text.lastIndexOf('"' + name + '"', at);
            return error(path(context, true), nameAt >= 0 ? nameAt : at, "field " + quote(name)
                    + " appears twice in one object");
        }
        int stringStart = openStringStart(parser, at);
        if (e instanceof JsonEOFException) {
            return endOfInput(context, stringStart >= 0);
        }
        if (stringStart >= 0) {
            return inString(context, at);
        }
        if (message.contains("numeric value")) {
            int start = at;
            while (start > 0 && isWordChar(text.charAt(start - 1))) {
                start--;
            }
            return error(path(context, true), start, quote(numberAt(start))
                    + " is not a JSON number (digits with an optional '-', fraction and exponent, no leading zeros: 12, -0.5, 1e3)");
        }
        String word = wordBefore(at);
        if (!word.isEmpty()) {
            int start = at - word.length();
            if (afterDocument) {
                return error("$", start, "unexpected " + quote(word)
                        + " after the end of the document: a document holds one section or one array of sections");
            }
            return error(path(context, current == JsonToken.FIELD_NAME), start, quote(word)
                    + " is not a JSON value (expected " + VALUES + ")");
        }
        if (afterDocument) {
            return error("$", at, "unexpected " + found(at)
                    + " after the end of the document: a document holds one section or one array of sections");
        }
        return unexpected(context, current, at);
    }

    /** Where the parser expected something else than what it found. */
    private WireFormatException unexpected(JsonStreamContext context, JsonToken current, int at) {
        char before = previousSignificant(at);
        String found = found(at);
        if (context.inRoot()) {
            if (current == null) {
                return error("$", at, "expected a section (an object) or an array of sections, found " + found);
            }
            return error("$", at, "unexpected " + found
                    + " after the end of the document: a document holds one section or one array of sections");
        }
        char bad = at < text.length() ? text.charAt(at) : 0;
        if (context.inObject() && bad == ']') {
            return error(path(context, false), at, "found ']' but the object opened at " + opened(context)
                    + " is not closed: expected ',' or '}'");
        }
        if (context.inArray() && bad == '}') {
            return error(path(context, false), at, "found '}' but the array opened at " + opened(context)
                    + " is not closed: expected ',' or ']'");
        }
        if (context.inObject()) {
            String name = context.getCurrentName();
            if (current == JsonToken.FIELD_NAME && name != null) {
                if (before == ':') {
                    return error(path(context, true), at, "expected a value for field " + quote(name) + " (" + VALUES
                            + "), found " + found);
                }
                return error(path(context, true), at, "expected ':' after field name " + quote(name) + ", found " + found);
            }
            if (before == '{') {
                return error(path(context, false), at, "expected a field name in double quotes or '}', found " + found);
            }
            if (before == ',') {
                return error(path(context, false), at, "expected a field name in double quotes after ',', found " + found
                        + (found.equals("'}'") ? " (JSON allows no comma before '}')" : ""));
            }
            return error(path(context, false), at, "expected ',' or '}'" + (name == null ? "" : " after field " + quote(name))
                    + ", found " + found);
        }
        // in an array
        if (before == '[') {
            return error(path(context, false), at, "expected a value (" + VALUES + ") or ']', found " + found);
        }
        if (before == ',') {
            return error(path(context, false), at, "expected a value after ',', found " + found
                    + (found.equals("']'") ? " (JSON allows no comma before ']')" : ""));
        }
        return error(path(context, false), at, "expected ',' or ']', found " + found);
    }

    private WireFormatException endOfInput(JsonStreamContext context, boolean inString) {
        int at = text.length();
        if (inString) {
            return error(path(context, true), at, "the document ends inside a string: expected its closing '\"'");
        }
        if (context.inObject()) {
            return error(path(context, false), at, "the document ends before the object opened at " + opened(context)
                    + " is closed: expected '}'");
        }
        if (context.inArray()) {
            return error(path(context, false), at, "the document ends before the array opened at " + opened(context)
                    + " is closed: expected ']'");
        }
        return error("$", at, "the document ends early: expected a section (an object) or an array of sections");
    }

    private WireFormatException inString(JsonStreamContext context, int at) {
        char bad = at < text.length() ? text.charAt(at) : 0;
        if (bad < 0x20) {
            return error(path(context, true), at, String.format(Locale.ROOT,
                    "a string holds the control character U+%04X: write it as an escape (\\n, \\t, \\u%04X)", (int) bad, (int) bad));
        }
        return error(path(context, true), at, "bad escape in a string at " + found(at)
                + ": JSON escapes are \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t and \\u followed by 4 hex digits");
    }

    private WireFormatException limitExceeded(JsonParser parser, JsonStreamContext context, String message) {
        int at = clamp((int) parser.currentLocation().getCharOffset());
        if (message.startsWith("Document nesting depth")) {
            at = clamp((int) parser.currentTokenLocation().getCharOffset());
            return error("$", at, "nested too deeply: objects and arrays may be nested at most "
                    + SectionCodec.MAX_NESTING_DEPTH + " levels deep");
        }
        if (message.startsWith("Number value length")) {
            return error(path(context, true), at, "a number longer than " + SectionCodec.MAX_NUMBER_LENGTH + " characters");
        }
        if (message.startsWith("String value length")) {
            return error(path(context, true), at, "a string longer than " + SectionCodec.MAX_STRING_LENGTH + " characters");
        }
        return error("$", at, "the document exceeds a size limit of the wire format");
    }

    /**
     * The offset of the opening quote of the string the parser stopped in, or -1: the error lies
     * inside a string when the token the parser was reading starts with a quote that is not closed
     * before the error.
     */
    private int openStringStart(JsonParser parser, int errorAt) {
        int tokenStart = (int) parser.currentTokenLocation().getCharOffset();
        // the parser may stop in a string that starts after the token it reported last
        for (int start = Math.max(0, tokenStart); start < errorAt && start < text.length(); start++) {
            char c = text.charAt(start);
            if (c == '"') {
                int end = closingQuote(start);
                if (end < 0 || end >= errorAt) {
                    return start;
                }
                start = end;
            }
        }
        return -1;
    }

    /** The offset of the quote closing the string opened at {@code start}, or -1 if it is not closed. */
    private int closingQuote(int start) {
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    /** Letters, digits and number characters just before {@code at}: a word the parser could not read as a value. */
    private String wordBefore(int at) {
        int start = at;
        while (start > 0 && isWordChar(text.charAt(start - 1))) {
            start--;
        }
        if (start == at) {
            return "";
        }
        // a complete number followed by something unexpected is not a bad word
        String word = text.substring(start, at);
        return isNumberStart(word.charAt(0)) && isCompleteNumber(word) ? "" : word;
    }

    private static boolean isCompleteNumber(String word) {
        return word.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    }

    private String numberAt(int start) {
        int end = start;
        while (end < text.length() && isWordChar(text.charAt(end))) {
            end++;
        }
        return text.substring(start, Math.max(end, Math.min(start + 1, text.length())));
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '+' || c == '.' || c == '_';
    }

    private static boolean isNumberStart(char c) {
        return c == '-' || c >= '0' && c <= '9';
    }

    private char previousSignificant(int at) {
        for (int i = Math.min(at, text.length()) - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c;
            }
        }
        return 0;
    }

    private String found(int at) {
        if (at >= text.length()) {
            return "the end of the document";
        }
        char c = text.charAt(at);
        if (c == '\'') {
            return "a single quote (JSON strings and field names take double quotes)";
        }
        if (isControl(c) || Character.isSurrogate(c)) {
            return String.format(Locale.ROOT, "the character U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    private static boolean isControl(char c) {
        return Character.isISOControl(c) && !Character.isWhitespace(c);
    }

    private static String opened(JsonStreamContext context) {
        JsonLocation start = context.startLocation(ContentReference.unknown());
        return start == null ? "an earlier line" : "line " + start.getLineNr() + ", column " + start.getColumnNr();
    }

    private static String quote(String text) {
        if (text == null) {
            return "''";
        }
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return "'" + shown + "'";
    }

    /**
     * The document path of the parser's position, {@code $.orders[2]}; the innermost container's
     * current element (its field or index) only when asked.
     */
    private static String path(JsonStreamContext context, boolean withCurrentElement) {
        Deque<String> parts = new ArrayDeque<>();
        boolean innermost = true;
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (withCurrentElement || !innermost) {
                if (c.inArray()) {
                    parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
                } else if (c.getCurrentName() != null) {
                    parts.push("." + c.getCurrentName());
                }
            }
            innermost = false;
        }
        return "$" + String.join("", parts);
    }

    private WireFormatException error(String path, int at, String problem) {
        int offset = clamp(at);
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n')) {
                line++;
                lineStart = i + 1;
            }
        }
        return new WireFormatException(path, "not valid JSON at line " + line + ", column " + (offset - lineStart + 1)
                + ": " + problem);
    }

    private int clamp(int offset) {
        return Math.max(0, Math.min(offset, text.length()));
    }
}
