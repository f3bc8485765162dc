package dev.pathpoint.engine.internal.reparse;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import java.util.List;
import java.util.Objects;

/**
 * A parsed reparse pathpoint name: {@code r}, the result's type letter, then an expression over other
 * pathpoints written in braces, e.g. {@code rf{W1r4002}*0.1+2} (a {@code f} value: register 4002 times
 * 0.1 plus 2). The expression language is the seed library's: Python expressions with its operators,
 * {@code a if condition else b}, and the functions {@code min max float int str bool} and the sensor
 * conversions {@code d D ked huba505 negz kty81 pt1000 mkflt mkint32}; see the package documentation.
 *
 * <p>Use: parse the name once ({@link #parse}, which checks all of its syntax), read the
 * {@link #constituents()}, then {@link #evaluate} with their values. Objects are immutable and safe to
 * share between threads and to cache; evaluation has no side effects. One level only: a constituent
 * that is itself a reparse pathpoint is just a name here; {@link ReparseTree} resolves nesting.
 *
 * <p>Failures: a wrong name fails {@link OperationFailedReason#INVALID} when parsed, before anything
 * is read, with the position of the problem ({@code reparse pathpoint 'rf{W1r1}*(2+' at position 12:
 * expected a value but found the end of the name}). Evaluation fails
 * {@link OperationFailedReason#TYPE} when the values give no result (division by zero, text where a
 * number is needed, a whole number beyond 64 bits, a result the type letter cannot hold), with the
 * position of the operator or call; a constituent's failure passes through with its own reason.
 *
 * <p>Bounds: names of at most {@link #MAX_NAME_LENGTH} characters, at most {@link #MAX_NODES} parts
 * and {@link #MAX_DEPTH} levels of nesting; texts computed are at most {@link #MAX_TEXT_LENGTH}
 * characters. There are no loops, so an evaluation visits each part at most once and its time is
 * bounded by these limits.
 */
public final class ReparseExpression {
    /** Longest reparse name accepted. */
    public static final int MAX_NAME_LENGTH = 2048;
    /** Most parts (values, references, operators, calls) in one expression. */
    public static final int MAX_NODES = 512;
    /** Deepest nesting of parentheses, calls, subscripts, prefix operators, {@code not}, {@code **} and {@code if}. */
    public static final int MAX_DEPTH = 32;
    /** Longest text an operation may produce (by {@code +} or {@code *}). */
    public static final int MAX_TEXT_LENGTH = 4096;

    private final String name;
    private final PathpointType type;
    private final Node root;
    private final List<String> constituents;

    private ReparseExpression(String name, PathpointType type, Node root, List<String> constituents) {
        this.name = name;
        this.type = type;
        this.root = root;
        this.constituents = constituents;
    }

    /**
     * Parses a reparse pathpoint name.
     *
     * @param pathpointName the whole name, starting with {@code r}
     * @throws OperationFailedException {@link OperationFailedReason#INVALID} if it is not a valid
     *         reparse name; the message gives the position (0 is the {@code r}) and what is wrong
     */
    public static ReparseExpression parse(String pathpointName) throws OperationFailedException {
        if (pathpointName == null || pathpointName.isEmpty()) {
            throw new OperationFailedException(OperationFailedReason.INVALID, "empty pathpoint name");
        }
        if (!PathpointType.isReparse(pathpointName)) {
            throw new OperationFailedException(OperationFailedReason.INVALID, "pathpoint '"
                    + (pathpointName.length() > 120 ? pathpointName.substring(0, 120) + "..." : pathpointName)
                    + "' is not a reparse pathpoint (those start with 'r')");
        }
        if (pathpointName.length() > MAX_NAME_LENGTH) {
            throw Failures.invalid(pathpointName, MAX_NAME_LENGTH,
                    "the name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        if (pathpointName.length() < 2) {
            throw Failures.invalid(pathpointName, 1, "the type letter is missing (one of B W w f d u after the r)");
        }
        char letter = pathpointName.charAt(1);
        PathpointType type;
        try {
            type = PathpointType.ofLetter(letter);
        } catch (OperationFailedException e) {
            throw Failures.invalid(pathpointName, 1, "type letter '" + letter + "' is unknown (expected one of B W w f d u)");
        }
        Parser.Result parsed = Parser.parse(pathpointName, 2);
        return new ReparseExpression(pathpointName, type, parsed.root(), parsed.constituents());
    }

    /** The pathpoint name this was parsed from. */
    public String name() {
        return name;
    }

    /** The type of the result, from the letter after the {@code r}. */
    public PathpointType type() {
        return type;
    }

    /**
     * The distinct pathpoints the expression refers to, in order of first reference: the names inside
     * the braces, as written ({@code rf{W1r1}+{W1r2}*{W1r1}} gives {@code [W1r1, W1r2]}). A name that is
     * itself a reparse pathpoint is listed as it is.
     */
    public List<String> constituents() {
        return constituents;
    }

    /**
     * Evaluates the expression and converts the result to {@link #type()} with
     * {@link PathpointType#coerce} (a {@code u} result is the Python {@code str()} of the value, e.g.
     * {@code 0.1} or {@code True}). Constituent values are asked for only when the evaluation reaches
     * them (a branch of {@code if}/{@code and}/{@code or} not taken asks for nothing) and at most once
     * each; {@code Whole} values are Python ints, {@code Real} floats and {@code Text} strs.
     *
     * @throws OperationFailedException {@link OperationFailedReason#TYPE} if the values give no result
     *         (the message names the position); or the failure a constituent's value reported, with its
     *         reason, the message naming the constituent
     * @throws IllegalArgumentException if {@code values} returns null for a constituent
     */
    public PathpointValue evaluate(ConstituentValues values) throws OperationFailedException {
        Value result = evaluateValue(values);
        PathpointValue raw = type == PathpointType.TEXT ? PathpointValue.of(result.str()) : result.toPathpointValue();
        try {
            return type.coerce(raw);
        } catch (OperationFailedException e) {
            throw new OperationFailedException(e.reason(), Failures.describe(name) + ": the result " + e.getMessage(), e);
        }
    }

    /** The result before conversion to the type (for tests of the language itself). */
    Value evaluateValue(ConstituentValues values) throws OperationFailedException {
        Objects.requireNonNull(values, "values");
        return root.evaluate(new Evaluation(name, constituents, values));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReparseExpression expression && expression.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
