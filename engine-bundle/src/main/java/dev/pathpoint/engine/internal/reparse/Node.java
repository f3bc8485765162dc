package dev.pathpoint.engine.internal.reparse;

import dev.pathpoint.api.failure.OperationFailedException;

/**
 * A parsed expression. Chains of one precedence level ({@code a + b - c}, {@code a < b < c},
 * {@code a and b and c}) are single nodes evaluated in a loop, so the tree is only as deep as the
 * expression's nesting, which the parser bounds; nothing loops or recurses beyond the tree, so an
 * evaluation visits each node at most once.
 */
sealed interface Node {

    Value evaluate(Evaluation evaluation) throws OperationFailedException;

    record Constant(Value value) implements Node {
        @Override
        public Value evaluate(Evaluation evaluation) {
            return value;
        }
    }

    /** A constituent, by its index in the expression's constituents. */
    record Reference(int index) implements Node {
        @Override
        public Value evaluate(Evaluation evaluation) throws OperationFailedException {
            return evaluation.constituent(index);
        }
    }

    record Prefix(UnaryOperator operator, Node operand, int position) implements Node {
        @Override
        public Value evaluate(Evaluation evaluation) throws OperationFailedException {
            Value value = operand.evaluate(evaluation);
            try {
                return operator.apply(value);
            } catch (ValueProblem problem) {
                throw evaluation.failure(position, problem);
            }
        }
    }

    record Not(Node operand) implements Node {
        @Override
        public Value evaluate(Evaluation evaluation) throws OperationFailedException {
            return Value.of(!operand.evaluate(evaluation).truthy());
        }
    }

    /** {@code first op[0] operands[0] op[1] operands[1] ...}, left to right; positions are the operators'. */
    record Operation(Node first, Operator[] operators, Node[] operands, int[] positions) implements Node {
        @Override
        public Value evaluate(Evaluation evaluation) throws OperationFailedException {
            Value result = first.evaluate(evaluation);
            for (int i = 0; i < operators.length; i++) {
                Value right = operands[i].evaluate(evaluation);
                try {
                    result = operators[i].apply(result, right);
                } catch (ValueProblem problem) {
                    throw evaluation.failure(positions[i], problem);
                }
            }
            return result;
        }
    }

    /** A comparison chain: each inner operand is evaluated once, and the first false link ends it. */
    record Compare(Node first, Comparison[] comparisons, Node[] operands, int[] positions) implements Node {
        @Override
        public Value evaluate(Evaluation evaluation) throws OperationFailedException {
            Value left = first.evaluate(evaluation);
            for (int i = 0; i < comparisons.length; i++) {
                Value right = operands[i].evaluate(evaluation);
                boolean holds;
                try {
                    holds = comparisons[i].test(left, right);
                } catch (ValueProblem problem) {
                    throw evaluation.failure(positions[i], problem);
                }
                if (!holds) {
                    return Value.FALSE;
                }
                left = right;
            }
            return Value.TRUE;
        }
    }

    /** {@code and} / {@code or}: as in Python, the result is the operand that decided, not a bool. */
    record Logic(boolean conjunction, Node[] operands) implements Node {
        @Override
        public Value evaluate(Evaluation evaluation) throws OperationFailedException {
            Value value = null;
            for (Node operand : operands) {
                value = operand.evaluate(evaluation);
                if (value.truthy() != conjunction) {
                    return value;
                }
            }
            return value;
        }
    }

    /** {@code then if condition else otherwise}: only the chosen branch is evaluated. */
    record Conditional(Node condition, Node then, Node otherwise) implements Node {
        @Override
        public Value evaluate(Evaluation evaluation) throws OperationFailedException {
            return condition.evaluate(evaluation).truthy() ? then.evaluate(evaluation) : otherwise.evaluate(evaluation);
        }
    }

    record Call(BuiltinFunction function, Node[] arguments, int position) implements Node {
        @Override
        public Value evaluate(Evaluation evaluation) throws OperationFailedException {
            Value[] values = new Value[arguments.length];
            for (int i = 0; i < arguments.length; i++) {
                values[i] = arguments[i].evaluate(evaluation);
            }
            try {
                return function.apply(values);
            } catch (ValueProblem problem) {
                throw evaluation.failure(position, new ValueProblem(function.functionName() + "(): " + problem.getMessage()));
            }
        }
    }

    /** {@code target[index]}; the position is the bracket's. */
    record Index(Node target, Node index, int position) implements Node {
        @Override
        public Value evaluate(Evaluation evaluation) throws OperationFailedException {
            Value text = target.evaluate(evaluation);
            Value at = index.evaluate(evaluation);
            try {
                return Subscripts.index(text, at);
            } catch (ValueProblem problem) {
                throw evaluation.failure(position, problem);
            }
        }
    }

    /** {@code target[start:stop:step]}, absent parts null; the position is the bracket's. */
    record Slice(Node target, Node start, Node stop, Node step, int position) implements Node {
        @Override
        public Value evaluate(Evaluation evaluation) throws OperationFailedException {
            Value text = target.evaluate(evaluation);
            Value from = start == null ? null : start.evaluate(evaluation);
            Value to = stop == null ? null : stop.evaluate(evaluation);
            Value stride = step == null ? null : step.evaluate(evaluation);
            try {
                return Subscripts.slice(text, from, to, stride);
            } catch (ValueProblem problem) {
                throw evaluation.failure(position, problem);
            }
        }
    }
}
