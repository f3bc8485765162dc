package dev.pathpoint.engine.internal.reparse;

import java.util.function.BinaryOperator;

/** The arithmetic and bitwise operators, by their symbol. */
enum Operator {
    ADD("+", Arithmetic::add),
    SUBTRACT("-", Arithmetic::subtract),
    MULTIPLY("*", Arithmetic::multiply),
    DIVIDE("/", Arithmetic::divide),
    FLOOR_DIVIDE("//", Arithmetic::floorDivide),
    MODULO("%", Arithmetic::modulo),
    POWER("**", Arithmetic::power),
    SHIFT_LEFT("<<", Arithmetic::shiftLeft),
    SHIFT_RIGHT(">>", Arithmetic::shiftRight),
    BIT_AND("&", Arithmetic::bitAnd),
    BIT_XOR("^", Arithmetic::bitXor),
    BIT_OR("|", Arithmetic::bitOr);

    private final String symbol;
    private final BinaryOperator<Value> operation;

    Operator(String symbol, BinaryOperator<Value> operation) {
        this.symbol = symbol;
        this.operation = operation;
    }

    String symbol() {
        return symbol;
    }

    /** @throws ValueProblem if the operands have no result */
    Value apply(Value left, Value right) {
        return operation.apply(left, right);
    }

    /** The operator with this symbol, or null. */
    static Operator withSymbol(String symbol) {
        for (Operator operator : values()) {
            if (operator.symbol.equals(symbol)) {
                return operator;
            }
        }
        return null;
    }
}
