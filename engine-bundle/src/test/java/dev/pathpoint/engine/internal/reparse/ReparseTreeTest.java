package dev.pathpoint.engine.internal.reparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReparseTreeTest {

    @Test
    void leavesAreTheNonReparseConstituentsAtEveryLevelDepthFirst() throws Exception {
        ReparseTree tree = ReparseTree.resolve("rf{a}+{rW{b}+{a}}+{c}+{rw{rW{b}+{a}}*{d}}");
        assertEquals(List.of("a", "b", "c", "d"), tree.leaves());
        assertEquals(List.of("rW{b}+{a}", "rw{rW{b}+{a}}*{d}"), tree.nested());
        assertEquals("rf{a}+{rW{b}+{a}}+{c}+{rw{rW{b}+{a}}*{d}}", tree.name());
        assertEquals(PathpointType.FLOAT_32, tree.type());
        assertEquals(ReparseExpression.parse(tree.name()), tree.root());
    }

    @Test
    void aNameWithoutNestingIsItsOwnTree() throws Exception {
        ReparseTree tree = ReparseTree.resolve("rW{W1r1}*2+{W1r1}");
        assertEquals(List.of("W1r1"), tree.leaves());
        assertEquals(List.of(), tree.nested());
        assertEquals(PathpointValue.of(9), tree.evaluate(p -> PathpointValue.of(3)));
    }

    @Test
    void eachNestedLevelIsCoercedToItsOwnTypeAsIfItHadBeenRead() throws Exception {
        ReparseTree tree = ReparseTree.resolve("rd{rW{W1r1}+{W1r2}}*2+{rB{W1r2}}");
        Map<String, PathpointValue> values = Map.of("W1r1", PathpointValue.of(65535), "W1r2", PathpointValue.of(10));
        // rW clips 65545 to 65535; rB makes 10 a 1
        assertEquals(PathpointValue.of(65535.0 * 2 + 1), tree.evaluate(values::get));
    }

    @Test
    void aNestedPathpointIsComputedOnceAndEachLeafAskedForOnce() throws Exception {
        ReparseTree tree = ReparseTree.resolve("rd{rW{a}+1}+{rw{rW{a}+1}*2}+{rW{a}+1}");
        List<String> asked = new ArrayList<>();
        assertEquals(PathpointValue.of(4.0 + 8.0 + 4.0), tree.evaluate(pathpoint -> {
            asked.add(pathpoint);
            return PathpointValue.of(3);
        }));
        assertEquals(List.of("a"), asked);
    }

    @Test
    void nestingUpToTheLimitWorksAndDeeperIsRefused() throws Exception {
        ReparseTree deepest = ReparseTree.resolve(chain(ReparseTree.MAX_NESTING));
        assertEquals(List.of("W1r1"), deepest.leaves());
        assertEquals(ReparseTree.MAX_NESTING - 1, deepest.nested().size());
        assertEquals(PathpointValue.of(1.0 + ReparseTree.MAX_NESTING), deepest.evaluate(p -> PathpointValue.of(1)));

        OperationFailedException e = assertThrows(OperationFailedException.class,
                () -> ReparseTree.resolve(chain(ReparseTree.MAX_NESTING + 1)));
        assertEquals(OperationFailedReason.INVALID, e.reason());
        assertEquals("reparse pathpoints are nested more than 8 deep: '" + chain(9) + "' -> '" + chain(8) + "' -> '"
                + chain(7) + "' -> '" + chain(6) + "' -> '" + chain(5) + "' -> '" + chain(4) + "' -> '" + chain(3)
                + "' -> '" + chain(2) + "' -> '" + chain(1) + "'", e.getMessage());
    }

    /** {@code rd{...}+1} wrapped {@code levels} times around W1r1. */
    private static String chain(int levels) {
        String name = "W1r1";
        for (int i = 0; i < levels; i++) {
            name = "rd{" + name + "}+1";
        }
        return name;
    }

    @Test
    void aTreeMetAgainDeeperDownMustStillFitTheLimit() throws Exception {
        // 'deep' nests 6 levels; the root uses it at level 2 (fits: 1 + 6) and below 'mid' at level 3 (1 + 1 + 6 = 8,
        // fits); 'rfTooDeep' uses it at level 2 and again below two more levels (1 + 2 + 6 = 9: refused)
        Map<String, String> texts = new HashMap<>(Map.of("rfRoot", "rf{rfDeep}+{rfMid}", "rfMid", "rf{rfDeep}",
                "rfTooDeep", "rf{rfDeep}+{rfA}", "rfA", "rf{rfB}", "rfB", "rf{rfDeep}"));
        texts.put("rfDeep", "rf{rfD2}");
        for (int i = 2; i < 6; i++) {
            texts.put("rfD" + i, "rf{rfD" + (i + 1) + "}");
        }
        texts.put("rfD6", "rf{W1r1}");
        ReparseDefinitions definitions = aliases(texts);
        assertEquals(List.of("W1r1"), ReparseTree.resolve("rfRoot", definitions).leaves());
        OperationFailedException e = assertThrows(OperationFailedException.class,
                () -> ReparseTree.resolve("rfTooDeep", definitions));
        assertEquals(OperationFailedReason.INVALID, e.reason());
        assertEquals("reparse pathpoints are nested more than 8 deep: 'rfTooDeep' -> 'rfA' -> 'rfB' -> 'rfDeep'"
                + " (which nests 5 more)", e.getMessage());
    }

    @Test
    void cyclesAreRefused() {
        ReparseDefinitions definitions = aliases(Map.of("rfA", "rf{rfB}+1", "rfB", "rf{W1r1}*{rfC}", "rfC", "rf{rfA}",
                "rfSelf", "rf{rfSelf}+1"));
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> ReparseTree.resolve("rfA", definitions));
        assertEquals(OperationFailedReason.INVALID, e.reason());
        assertEquals("reparse pathpoint 'rfA' refers to itself: 'rfA' -> 'rfB' -> 'rfC' -> 'rfA'", e.getMessage());
        e = assertThrows(OperationFailedException.class, () -> ReparseTree.resolve("rfSelf", definitions));
        assertEquals("reparse pathpoint 'rfSelf' refers to itself: 'rfSelf' -> 'rfSelf'", e.getMessage());
    }

    @Test
    void definitionsOtherThanTheTextWork() throws Exception {
        ReparseDefinitions definitions = aliases(Map.of("rfTotal", "rf{rfDouble}+{W1r2}", "rfDouble", "rf{W1r1}*2"));
        ReparseTree tree = ReparseTree.resolve("rfTotal", definitions);
        assertEquals(List.of("W1r1", "W1r2"), tree.leaves());
        assertEquals(List.of("rfDouble"), tree.nested());
        assertEquals("rfTotal", tree.name());
        assertEquals("rf{rfDouble}+{W1r2}", tree.root().name());
        assertEquals(PathpointValue.of(7.0), tree.evaluate(Map.of("W1r1", PathpointValue.of(2), "W1r2", PathpointValue.of(3))::get));
    }

    @Test
    void tooManyNestedPathpointsAreRefused() throws Exception {
        Map<String, String> texts = new HashMap<>();
        int count = ReparseTree.MAX_EXPRESSIONS; // with the root, one more than allowed
        texts.put("rfWide", "rf" + IntStream.range(0, count).mapToObj(i -> "{p" + i + "}").collect(Collectors.joining("+")));
        for (int i = 0; i < count; i++) {
            texts.put("p" + i, "rf" + i);
        }
        OperationFailedException e = assertThrows(OperationFailedException.class,
                () -> ReparseTree.resolve("rfWide", aliases(texts)));
        assertEquals(OperationFailedReason.INVALID, e.reason());
        assertEquals("reparse pathpoint 'rfWide' holds more than 256 distinct reparse pathpoints", e.getMessage());
        texts.remove("p" + (count - 1));
        ReparseTree widest = ReparseTree.resolve("rfWide", aliases(texts));
        assertEquals(count - 1, widest.nested().size());
        assertEquals(List.of("p" + (count - 1)), widest.leaves());
    }

    @Test
    void aWrongNestedNameIsInvalidAndNamesBothLevels() {
        OperationFailedException e = assertThrows(OperationFailedException.class,
                () -> ReparseTree.resolve("rf{rq{W1r1}}+1"));
        assertEquals(OperationFailedReason.INVALID, e.reason());
        assertEquals("constituent 'rq{W1r1}' of reparse pathpoint 'rf{rq{W1r1}}+1' is wrong: reparse pathpoint 'rq{W1r1}'"
                + " at position 1: type letter 'q' is unknown (expected one of B W w f d u)", e.getMessage());
        e = assertThrows(OperationFailedException.class, () -> ReparseTree.resolve("rf{rW{rf{W1r1}*}}+1"));
        assertEquals("constituent 'rf{W1r1}*' of reparse pathpoint 'rf{rW{rf{W1r1}*}}+1' -> 'rW{rf{W1r1}*}' is wrong:"
                + " reparse pathpoint 'rf{W1r1}*' at position 9: expected a value but found the end of the name", e.getMessage());
    }

    @Test
    void theRootMustBeAReparsePathpoint() {
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> ReparseTree.resolve("W1r1"));
        assertEquals(OperationFailedReason.INVALID, e.reason());
        assertEquals("pathpoint 'W1r1' is not a reparse pathpoint", e.getMessage());
        e = assertThrows(OperationFailedException.class, () -> ReparseTree.resolve("rf{W1r1"));
        assertEquals("reparse pathpoint 'rf{W1r1' at position 2: '{' is never closed by '}'", e.getMessage());
    }

    @Test
    void failuresBelowKeepTheirReasonAndNameEachLevel() throws Exception {
        ReparseTree tree = ReparseTree.resolve("rf{rW{a}/{b}}+{c}");
        Map<String, PathpointValue> values = Map.of("a", PathpointValue.of(1), "b", PathpointValue.of(0), "c", PathpointValue.of(1));
        OperationFailedException e = assertThrows(OperationFailedException.class, () -> tree.evaluate(values::get));
        assertEquals(OperationFailedReason.TYPE, e.reason());
        assertEquals("reparse pathpoint 'rf{rW{a}/{b}}+{c}': constituent 'rW{a}/{b}' failed: reparse pathpoint"
                + " 'rW{a}/{b}' at position 5: division by zero", e.getMessage());

        e = assertThrows(OperationFailedException.class, () -> tree.evaluate(pathpoint -> {
            throw new OperationFailedException(OperationFailedReason.MALFORMED, "bad CRC");
        }));
        assertEquals(OperationFailedReason.MALFORMED, e.reason());
        assertEquals("reparse pathpoint 'rf{rW{a}/{b}}+{c}': constituent 'rW{a}/{b}' failed: reparse pathpoint"
                + " 'rW{a}/{b}': constituent 'a' failed: bad CRC", e.getMessage());
    }

    /** Definitions by a table of name to expression text: names can refer to each other in any shape. */
    private static ReparseDefinitions aliases(Map<String, String> texts) {
        return pathpoint -> texts.containsKey(pathpoint) ? ReparseExpression.parse(texts.get(pathpoint)) : null;
    }
}
