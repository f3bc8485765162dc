package dev.pathpoint.engine.internal.reparse;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A reparse pathpoint with its nested reparse constituents resolved down to the leaves, the
 * pathpoints a driver reads. {@code rf{rW{W1r1}+{W1r2}}*{W1r1}} has the leaves {@code [W1r1, W1r2]}
 * and one nested reparse pathpoint, {@code rW{W1r1}+{W1r2}}.
 *
 * <p>Use: {@link #resolve} once per name (it checks every level, so it also serves to validate a name
 * before routing), read the {@link #leaves()} in the same batch as everything else, then
 * {@link #evaluate} with their values. Each nested reparse pathpoint is computed once per evaluation
 * and converted to its own type before the level above uses it, exactly as if it had been read.
 * Immutable and safe to share between threads.
 *
 * <p>Refused, {@link OperationFailedReason#INVALID}, with the chain of names in the message: nesting
 * deeper than {@link #MAX_NESTING} reparse levels, more than {@link #MAX_EXPRESSIONS} distinct
 * reparse pathpoints in one tree, and a definition that refers back to itself. (With the
 * {@link ReparseDefinitions#TEXTUAL} definitions a cycle cannot be written, since a name would have to
 * contain itself; other definitions can form one.)
 */
public final class ReparseTree {
    /** Most reparse pathpoints on one chain of references, the outermost counted. */
    public static final int MAX_NESTING = 8;
    /** Most distinct reparse pathpoints in one tree, the outermost counted. */
    public static final int MAX_EXPRESSIONS = 256;

    private final String name;
    private final ReparseExpression root;
    /** Every reparse pathpoint of the tree by name, the root included. */
    private final Map<String, ReparseExpression> expressions;
    private final List<String> leaves;
    private final List<String> nested;

    private ReparseTree(String name, ReparseExpression root, Map<String, ReparseExpression> expressions,
            List<String> leaves) {
        this.name = name;
        this.root = root;
        this.expressions = expressions;
        this.leaves = leaves;
        List<String> below = new ArrayList<>(expressions.keySet());
        below.remove(name);
        this.nested = List.copyOf(below);
    }

    /**
     * Resolves a reparse name whose nested reparse constituents are defined by their own text.
     *
     * @throws OperationFailedException {@code INVALID} if the name or a nested one is wrong, or the
     *         nesting too deep
     */
    public static ReparseTree resolve(String pathpointName) throws OperationFailedException {
        return resolve(pathpointName, ReparseDefinitions.TEXTUAL);
    }

    /**
     * Resolves a reparse pathpoint with the given definitions.
     *
     * @throws OperationFailedException {@code INVALID} if {@code pathpointName} is not defined as a
     *         reparse pathpoint, a definition is wrong, the nesting is too deep or too large, or
     *         definitions refer to each other in a cycle
     */
    public static ReparseTree resolve(String pathpointName, ReparseDefinitions definitions)
            throws OperationFailedException {
        Objects.requireNonNull(definitions, "definitions");
        ReparseExpression root = definitions.definitionOf(pathpointName);
        if (root == null) {
            throw new OperationFailedException(OperationFailedReason.INVALID,
                    "pathpoint '" + pathpointName + "' is not a reparse pathpoint");
        }
        Resolution resolution = new Resolution(definitions);
        resolution.visit(pathpointName, root);
        return new ReparseTree(pathpointName, root, resolution.expressions, List.copyOf(resolution.leaves));
    }

    /** The outermost expression. */
    public ReparseExpression root() {
        return root;
    }

    /** The name resolved (with {@link ReparseDefinitions#TEXTUAL}, the root expression's name). */
    public String name() {
        return name;
    }

    /** The type of the result. */
    public PathpointType type() {
        return root.type();
    }

    /**
     * The distinct pathpoints to read, in order of first reference, depth first: every constituent at
     * any level that is not itself a reparse pathpoint.
     */
    public List<String> leaves() {
        return leaves;
    }

    /** The distinct nested reparse pathpoints (not the outermost), in the order they were resolved. */
    public List<String> nested() {
        return nested;
    }

    /**
     * Evaluates the tree: each nested reparse pathpoint is evaluated (once) and coerced to its type,
     * then the outermost expression, coerced to {@link #type()}.
     *
     * @param leafValues the values of {@link #leaves()}
     * @throws OperationFailedException as {@link ReparseExpression#evaluate}; a nested pathpoint's
     *         failure keeps its reason and the message names each level down to it
     */
    public PathpointValue evaluate(ConstituentValues leafValues) throws OperationFailedException {
        Objects.requireNonNull(leafValues, "leafValues");
        if (nested.isEmpty()) {
            return root.evaluate(leafValues); // every constituent is a leaf: nothing to remember on the way
        }
        return evaluate(root, leafValues, new HashMap<>());
    }

    private PathpointValue evaluate(ReparseExpression expression, ConstituentValues leafValues,
            Map<String, PathpointValue> computed) throws OperationFailedException {
        return expression.evaluate(pathpoint -> {
            ReparseExpression nestedExpression = expressions.get(pathpoint);
            if (nestedExpression == null) {
                return leafValues.valueOf(pathpoint);
            }
            PathpointValue value = computed.get(pathpoint);
            if (value == null) {
                value = evaluate(nestedExpression, leafValues, computed);
                computed.put(pathpoint, value);
            }
            return value;
        });
    }

    @Override
    public String toString() {
        return name + " over " + leaves;
    }

    /** A depth-first walk that records expressions and leaves and refuses cycles and deep nesting. */
    private static final class Resolution {
        private final ReparseDefinitions definitions;
        private final Map<String, ReparseExpression> expressions = new LinkedHashMap<>();
        /** Per resolved reparse pathpoint, the most reparse levels from it down, itself counted. */
        private final Map<String, Integer> heights = new HashMap<>();
        private final Set<String> leaves = new LinkedHashSet<>();
        /** The chain of names being resolved, outermost first (at most MAX_NESTING long). */
        private final List<String> chain = new ArrayList<>();

        Resolution(ReparseDefinitions definitions) {
            this.definitions = definitions;
        }

        /** Resolves one reparse pathpoint and returns its height. */
        int visit(String pathpoint, ReparseExpression expression) throws OperationFailedException {
            chain.add(pathpoint);
            if (chain.size() > MAX_NESTING) {
                throw refuse("reparse pathpoints are nested more than " + MAX_NESTING + " deep: " + chainText(null));
            }
            if (expressions.size() >= MAX_EXPRESSIONS) {
                throw refuse("reparse pathpoint '" + chain.get(0) + "' holds more than " + MAX_EXPRESSIONS
                        + " distinct reparse pathpoints");
            }
            expressions.put(pathpoint, expression);
            int height = 1;
            for (String constituent : expression.constituents()) {
                if (chain.contains(constituent)) {
                    throw refuse("reparse pathpoint '" + constituent + "' refers to itself: " + chainText(constituent));
                }
                Integer known = heights.get(constituent);
                if (known != null) {
                    checkDepth(known, constituent);
                    height = Math.max(height, known + 1);
                    continue;
                }
                if (leaves.contains(constituent)) {
                    continue;
                }
                ReparseExpression nested = definition(constituent);
                if (nested == null) {
                    leaves.add(constituent);
                } else {
                    height = Math.max(height, visit(constituent, nested) + 1);
                }
            }
            chain.remove(chain.size() - 1);
            heights.put(pathpoint, height);
            return height;
        }

        /** A tree resolved earlier, now met deeper down, must still fit below the current chain. */
        private void checkDepth(int height, String constituent) throws OperationFailedException {
            if (chain.size() + height > MAX_NESTING) {
                throw refuse("reparse pathpoints are nested more than " + MAX_NESTING + " deep: " + chainText(constituent)
                        + " (which nests " + (height - 1) + " more)");
            }
        }

        /** The definition of a constituent of the last name on the chain; a wrong one names the whole chain. */
        private ReparseExpression definition(String constituent) throws OperationFailedException {
            try {
                return definitions.definitionOf(constituent);
            } catch (OperationFailedException e) {
                throw new OperationFailedException(e.reason(), "constituent '" + constituent + "' of reparse pathpoint "
                        + chainText(null) + " is wrong: " + e.getMessage(), e);
            }
        }

        private String chainText(String last) {
            StringBuilder text = new StringBuilder();
            for (String name : chain) {
                if (!text.isEmpty()) {
                    text.append(" -> ");
                }
                text.append('\'').append(shorten(name)).append('\'');
            }
            if (last != null) {
                text.append(" -> '").append(shorten(last)).append('\'');
            }
            return text.toString();
        }

        private static String shorten(String name) {
            return name.length() > 60 ? name.substring(0, 60) + "..." : name;
        }

        private static OperationFailedException refuse(String message) {
            return new OperationFailedException(OperationFailedReason.INVALID, message);
        }
    }
}
