package dev.pathpoint.engine.internal.reparse;

import java.util.function.BiPredicate;

/** The comparison operators; like Python's they chain: {@code a < b < c} is {@code a < b and b < c}. */
enum Comparison {
    LESS("<", Arithmetic::less),
    LESS_OR_EQUAL("<=", Arithmetic::lessOrEqual),
    GREATER(">", Arithmetic::greater),
    GREATER_OR_EQUAL(">=", Arithmetic::greaterOrEqual),
    EQUAL("==", Arithmetic::equal),
    NOT_EQUAL("!=", (a, b) -> !Arithmetic.equal(a, b)),
    IN("in", (item, container) -> Arithmetic.contains(container, item)),
    NOT_IN("not in", (item, container) -> !Arithmetic.contains(container, item));

    private final String symbol;
    private final BiPredicate<Value, Value> test;

    Comparison(String symbol, BiPredicate<Value, Value> test) {
        this.symbol = symbol;
        this.test = test;
    }

    String symbol() {
        return symbol;
    }

    /** @throws ValueProblem if the operands cannot be compared this way */
    boolean test(Value left, Value right) {
        return test.test(left, right);
    }

    /** The comparison written with this operator symbol ({@code in} and {@code not in} are keywords), or null. */
    static Comparison withSymbol(String symbol) {
        for (Comparison comparison : values()) {
            if (comparison.symbol.equals(symbol)) {
                return comparison;
            }
        }
        return null;
    }
}
