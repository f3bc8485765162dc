package dev.pathpoint.engine.internal.reparse;

import java.util.function.Function;

/** The prefix operators of arithmetic: {@code -x}, {@code +x}, {@code ~x}. */
enum UnaryOperator {
    NEGATE("-", Arithmetic::negate),
    PLUS("+", Arithmetic::plus),
    INVERT("~", Arithmetic::invert);

    private final String symbol;
    private final Function<Value, Value> operation;

    UnaryOperator(String symbol, Function<Value, Value> operation) {
        this.symbol = symbol;
        this.operation = operation;
    }

    String symbol() {
        return symbol;
    }

    /** @throws ValueProblem if the operand has no result */
    Value apply(Value operand) {
        return operation.apply(operand);
    }

    static UnaryOperator withSymbol(String symbol) {
        for (UnaryOperator operator : values()) {
            if (operator.symbol.equals(symbol)) {
                return operator;
            }
        }
        return null;
    }
}
