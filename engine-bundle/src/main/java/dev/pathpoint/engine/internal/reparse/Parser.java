package dev.pathpoint.engine.internal.reparse;

import dev.pathpoint.api.failure.OperationFailedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recursive-descent parser for Python's expression grammar, restricted to what reparse expressions
 * use, with Python's precedence from loosest to tightest:
 * <pre>
 * expression  := disjunction [ 'if' disjunction 'else' expression ]
 * disjunction := conjunction ( 'or' conjunction )*
 * conjunction := inversion ( 'and' inversion )*
 * inversion   := 'not' inversion | comparison
 * comparison  := bit_or ( ( '&lt;' | '&lt;=' | '&gt;' | '&gt;=' | '==' | '!=' | 'in' | 'not' 'in' ) bit_or )*
 * bit_or      := bit_xor ( '|' bit_xor )*
 * bit_xor     := bit_and ( '^' bit_and )*
 * bit_and     := shift ( '&amp;' shift )*
 * shift       := sum ( ( '&lt;&lt;' | '&gt;&gt;' ) sum )*
 * sum         := term ( ( '+' | '-' ) term )*
 * term        := factor ( ( '*' | '/' | '//' | '%' ) factor )*
 * factor      := ( '+' | '-' | '~' ) factor | power
 * power       := postfix [ '**' factor ]
 * postfix     := primary ( '[' subscript ']' )*
 * subscript   := expression | [ expression ] ':' [ expression ] [ ':' [ expression ] ]
 * primary     := number | text+ | 'True' | 'False' | '{' pathpoint '}' | function '(' [ arguments ] ')'
 *              | '(' expression ')'
 * </pre>
 * So {@code 2**3**2} is {@code 2**(3**2)} and {@code -2**2} is {@code -(2**2)}, as in Python. Every
 * nesting construct (parentheses, a call's or subscript's brackets, a prefix operator, {@code not},
 * {@code **}, {@code if}) counts against {@link ReparseExpression#MAX_DEPTH} and every node against
 * {@link ReparseExpression#MAX_NODES}.
 */
final class Parser {
    private static final String[][] BINARY_LEVELS = {
        {"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "//", "%"},
    };

    private final String name;
    private final List<Token> tokens;
    private final Map<String, Integer> constituents = new LinkedHashMap<>();
    private int next;
    private int depth;
    private int nodes;

    /** The parsed expression and its distinct constituents in first-use order. */
    record Result(Node root, List<String> constituents) {
    }

    private Parser(String name, List<Token> tokens) {
        this.name = name;
        this.tokens = tokens;
    }

    /** Parses the expression of {@code name} that starts at {@code start}. */
    static Result parse(String name, int start) throws OperationFailedException {
        Parser parser = new Parser(name, Lexer.tokens(name, start));
        if (parser.peek().kind() == Token.Kind.END) {
            throw Failures.invalid(name, start, "the expression is missing (e.g. rf{W1r4002}*0.1)");
        }
        Node root = parser.expression();
        Token rest = parser.peek();
        if (rest.kind() != Token.Kind.END) {
            throw parser.fail(rest, "expected an operator or the end of the name but found " + rest.describe());
        }
        return new Result(root, List.copyOf(parser.constituents.keySet()));
    }

    private Node expression() throws OperationFailedException {
        Node value = disjunction();
        if (peek().isName("if")) {
            Token condition = take();
            enter(condition);
            Node test = disjunction();
            Token otherwise = peek();
            if (!otherwise.isName("else")) {
                throw fail(otherwise, "expected 'else' (of the 'if' at position " + condition.position() + ") but found "
                        + otherwise.describe());
            }
            take();
            Node alternative = expression();
            depth--;
            value = count(new Node.Conditional(test, value, alternative), condition);
        }
        return value;
    }

    private Node disjunction() throws OperationFailedException {
        return logic("or", this::conjunction);
    }

    private Node conjunction() throws OperationFailedException {
        return logic("and", this::inversion);
    }

    /** {@code operand (keyword operand)*} for {@code or} and {@code and}. */
    private Node logic(String keyword, Level operand) throws OperationFailedException {
        Node first = operand.parse();
        if (!peek().isName(keyword)) {
            return first;
        }
        Token operator = peek();
        List<Node> operands = new ArrayList<>(List.of(first));
        while (peek().isName(keyword)) {
            take();
            operands.add(operand.parse());
        }
        return count(new Node.Logic(keyword.equals("and"), operands.toArray(Node[]::new)), operator);
    }

    /** The parser of the next tighter level. */
    @FunctionalInterface
    private interface Level {
        Node parse() throws OperationFailedException;
    }

    private Node inversion() throws OperationFailedException {
        if (peek().isName("not")) {
            Token not = take();
            enter(not);
            Node operand = inversion();
            depth--;
            return count(new Node.Not(operand), not);
        }
        return comparison();
    }

    private Node comparison() throws OperationFailedException {
        Node first = binary(0);
        List<Comparison> comparisons = new ArrayList<>();
        List<Node> operands = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        Token firstOperator = peek();
        Token operator = firstOperator;
        Comparison comparison;
        while ((comparison = comparisonAt(operator)) != null) {
            take();
            if (comparison == Comparison.NOT_IN) {
                take();
            }
            comparisons.add(comparison);
            positions.add(operator.position());
            operands.add(binary(0));
            operator = peek();
        }
        if (comparisons.isEmpty()) {
            return first;
        }
        return count(new Node.Compare(first, comparisons.toArray(Comparison[]::new), operands.toArray(Node[]::new),
                positions.stream().mapToInt(Integer::intValue).toArray()), firstOperator);
    }

    private Comparison comparisonAt(Token token) throws OperationFailedException {
        if (token.kind() == Token.Kind.SYMBOL) {
            return Comparison.withSymbol(token.text());
        }
        if (token.isName("in")) {
            return Comparison.IN;
        }
        if (token.isName("not") && tokens.get(next + 1).isName("in")) {
            return Comparison.NOT_IN;
        }
        if (token.isName("is")) {
            throw fail(token, "'is' is not supported (compare values with == or !=)");
        }
        return null;
    }

    private Node binary(int level) throws OperationFailedException {
        if (level == BINARY_LEVELS.length) {
            return factor();
        }
        Node first = binary(level + 1);
        Operator operator = operatorAt(peek(), level);
        if (operator == null) {
            return first;
        }
        List<Operator> operators = new ArrayList<>();
        List<Node> operands = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        Token start = peek();
        while (operator != null) {
            positions.add(take().position());
            operators.add(operator);
            operands.add(binary(level + 1));
            operator = operatorAt(peek(), level);
        }
        return count(new Node.Operation(first, operators.toArray(Operator[]::new), operands.toArray(Node[]::new),
                positions.stream().mapToInt(Integer::intValue).toArray()), start);
    }

    private static Operator operatorAt(Token token, int level) {
        if (token.kind() != Token.Kind.SYMBOL) {
            return null;
        }
        for (String symbol : BINARY_LEVELS[level]) {
            if (token.text().equals(symbol)) {
                return Operator.withSymbol(symbol);
            }
        }
        return null;
    }

    private Node factor() throws OperationFailedException {
        Token token = peek();
        UnaryOperator operator = token.kind() == Token.Kind.SYMBOL ? UnaryOperator.withSymbol(token.text()) : null;
        if (operator != null) {
            take();
            enter(token);
            Node operand = factor();
            depth--;
            return count(new Node.Prefix(operator, operand, token.position()), token);
        }
        return power();
    }

    private Node power() throws OperationFailedException {
        Node base = postfix();
        if (!peek().isSymbol("**")) {
            return base;
        }
        Token operator = take();
        enter(operator);
        Node exponent = factor(); // right-associative, and allows 2**-1
        depth--;
        return count(new Node.Operation(base, new Operator[] {Operator.POWER}, new Node[] {exponent},
                new int[] {operator.position()}), operator);
    }

    private Node postfix() throws OperationFailedException {
        Node value = primary();
        while (peek().isSymbol("[")) {
            value = subscript(value);
        }
        return value;
    }

    private Node subscript(Node target) throws OperationFailedException {
        Token open = take();
        enter(open);
        Node start = null;
        Node stop = null;
        Node step = null;
        boolean slice = false;
        if (!peek().isSymbol(":")) {
            start = expression();
        }
        if (peek().isSymbol(":")) {
            slice = true;
            take();
            if (!peek().isSymbol(":") && !peek().isSymbol("]")) {
                stop = expression();
            }
            if (peek().isSymbol(":")) {
                take();
                if (!peek().isSymbol("]")) {
                    step = expression();
                }
            }
        }
        expectClosing("]", open);
        depth--;
        return slice ? count(new Node.Slice(target, start, stop, step, open.position()), open)
                : count(new Node.Index(target, start, open.position()), open);
    }

    private Node primary() throws OperationFailedException {
        Token token = peek();
        switch (token.kind()) {
            case LITERAL:
                take();
                if (token.value() instanceof Value.Text text && peek().kind() == Token.Kind.LITERAL
                        && peek().value() instanceof Value.Text) {
                    // Python joins adjacent texts: 'a' 'b' is 'ab'
                    StringBuilder joined = new StringBuilder(text.value());
                    while (peek().kind() == Token.Kind.LITERAL && peek().value() instanceof Value.Text more) {
                        joined.append(more.value());
                        take();
                    }
                    return count(new Node.Constant(new Value.Text(joined.toString())), token);
                }
                return count(new Node.Constant(token.value()), token);
            case REFERENCE:
                take();
                int index = constituents.computeIfAbsent(token.reference(), pathpoint -> constituents.size());
                return count(new Node.Reference(index), token);
            case NAME:
                return named(token);
            case SYMBOL:
                if (token.isSymbol("(")) {
                    take();
                    enter(token);
                    Node inner = expression();
                    if (peek().isSymbol(",")) {
                        throw fail(peek(), "tuples are not supported: parentheses hold one value (to test for one of"
                                + " several values, write {x} == 1 or {x} == 2)");
                    }
                    expectClosing(")", token);
                    depth--;
                    return inner;
                }
                if (token.isSymbol("[")) {
                    throw fail(token, "lists are not supported: brackets only index or slice a text");
                }
                throw fail(token, "expected a value but found " + token.describe());
            default:
                throw fail(token, "expected a value but found " + token.describe());
        }
    }

    private Node named(Token token) throws OperationFailedException {
        switch (token.text()) {
            case "True":
                take();
                return count(new Node.Constant(Value.TRUE), token);
            case "False":
                take();
                return count(new Node.Constant(Value.FALSE), token);
            case "None":
                throw fail(token, "None is not supported: an expression must give a number, text or bool");
            case "and":
            case "or":
            case "not":
            case "if":
            case "else":
            case "in":
            case "is":
                throw fail(token, "expected a value but found " + token.describe());
            default:
                break;
        }
        take();
        if (!peek().isSymbol("(")) {
            throw fail(token, "unknown name " + token.describe()
                    + " (pathpoints are written in braces, e.g. {W1r4002}, and functions are called with parentheses)");
        }
        BuiltinFunction function = BuiltinFunction.named(token.text());
        if (function == null) {
            throw fail(token, "unknown function " + token.describe() + " (the functions are " + BuiltinFunction.NAMES + ")");
        }
        Node[] arguments = arguments();
        String wrongCount = function.checkArgumentCount(arguments.length);
        if (wrongCount != null) {
            throw fail(token, wrongCount);
        }
        return count(new Node.Call(function, arguments, token.position()), token);
    }

    private Node[] arguments() throws OperationFailedException {
        Token open = take();
        enter(open);
        List<Node> arguments = new ArrayList<>();
        while (!peek().isSymbol(")")) {
            arguments.add(expression());
            if (!peek().isSymbol(",")) {
                break;
            }
            take(); // a trailing comma is allowed, as in Python
        }
        Token close = peek();
        if (!close.isSymbol(")")) {
            throw fail(close, "expected ',' or ')' (closing the '(' at position " + open.position() + ") but found "
                    + close.describe());
        }
        take();
        depth--;
        return arguments.toArray(Node[]::new);
    }

    private void expectClosing(String symbol, Token open) throws OperationFailedException {
        Token token = peek();
        if (!token.isSymbol(symbol)) {
            throw fail(token, "expected '" + symbol + "' (closing the '" + open.text() + "' at position "
                    + open.position() + ") but found " + token.describe());
        }
        take();
    }

    private void enter(Token at) throws OperationFailedException {
        if (++depth > ReparseExpression.MAX_DEPTH) {
            throw fail(at, "the expression is nested more than " + ReparseExpression.MAX_DEPTH + " levels deep");
        }
    }

    private Node count(Node node, Token at) throws OperationFailedException {
        if (++nodes > ReparseExpression.MAX_NODES) {
            throw fail(at, "the expression has more than " + ReparseExpression.MAX_NODES
                    + " parts (values, references, operators and calls)");
        }
        return node;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token token = tokens.get(next);
        if (token.kind() != Token.Kind.END) {
            next++;
        }
        return token;
    }

    private OperationFailedException fail(Token at, String what) {
        return Failures.invalid(name, at.position(), what);
    }
}
