/**
 * Reparse pathpoints: values computed from other pathpoints, named by their expression.
 *
 * <h2>For the engine</h2>
 * <ul>
 * <li>{@link dev.pathpoint.engine.internal.reparse.ReparseTree#resolve(String)} checks a whole name, nested
 * levels included, and tells its {@code type()} and its {@code leaves()}: the pathpoints to read, which
 * can join the batch of everything else (a leaf used twice, at any level, is listed once). Failures are
 * {@code INVALID} with a message naming the position, at once, before anything is read.</li>
 * <li>{@link dev.pathpoint.engine.internal.reparse.ReparseTree#evaluate} takes the leaves' values and gives
 * the reparse value, coerced to its type; {@code TYPE} if the values give no result. The leaves'
 * readings' newest timestamp is the reading's, as in the seed.</li>
 * <li>{@link dev.pathpoint.engine.internal.reparse.ReparseExpression} is one level (parse, constituents,
 * evaluate); {@link dev.pathpoint.engine.internal.reparse.ReparseDefinitions} lets the engine plug in a
 * bounded cache of parsed expressions. Everything here is immutable, thread-safe and free of I/O.</li>
 * </ul>
 *
 * <h2>The language</h2>
 * <p>{@code r}, the result's type letter ({@code B W w f d u}), then a Python expression, the dialect of
 * the seed library (smok-client, which evaluates it with Python's {@code eval}). A pathpoint is written
 * in braces: {@code rf{W1r4002}*0.1+2}. Braces nest, so a reference may name a reparse pathpoint:
 * {@code rf{rW{W1r1}+{W1r2}}/2}.
 * <ul>
 * <li>Values: whole numbers ({@code 42}, {@code 0x1F}, {@code 0o17}, {@code 0b101}, {@code 1_000}),
 * floats ({@code 2.5}, {@code .5}, {@code 1e-3}), text ({@code 'on'}, {@code "it's"}, with Python's
 * escapes, {@code r'...'} raw), {@code True}, {@code False}. A constituent's value is a whole number,
 * float or text as its pathpoint gives it.</li>
 * <li>Operators, loosest first: {@code x if c else y}; {@code or}; {@code and}; {@code not};
 * comparisons {@code < <= > >= == != in}, {@code not in}, chained as in Python ({@code 1 < x < 5});
 * {@code |}; {@code ^}; {@code &}; {@code << >>}; {@code + -}; {@code * / // %}; prefix {@code - + ~};
 * {@code **} (right-associative: {@code 2**3**2} is 512, {@code -2**2} is -4); indexing and slicing of
 * text ({@code t[0]}, {@code t[1:3]}, {@code t[::-1]}); parentheses.</li>
 * <li>Whole numbers stay whole and exact under {@code + - * // % ** << >> & | ^} (a negative power gives a
 * float); {@code /} always gives a float; {@code //} and {@code %} round towards minus infinity;
 * {@code and}/{@code or} give the deciding operand, not a bool. Whole numbers are 64-bit: a result
 * beyond is an error (Python would grow the number).</li>
 * <li>Functions: {@code min max float int str bool} (Python's), and the seed's conversions:
 * {@code d(real, ref)} relative error, {@code D(real, ref)} absolute error, {@code ked(real, ref)}
 * relative error or 0 below 20, {@code huba505(volts)} HUBA 505 pressure in bar, {@code negz(x)}
 * negative to 0, {@code kty81(ohms)} and {@code pt1000(ohms)} temperatures in C, {@code mkflt(a, b)} a
 * float from two registers (in the seed's byte order), {@code mkint32(high, low)} a signed 32-bit
 * integer from two registers.</li>
 * </ul>
 *
 * <h2>Where it differs from the seed</h2>
 * <ul>
 * <li>Only the expression forms above: no attribute access, lambdas, comprehensions, lists or
 * {@code %}-formatting of text, which the seed's {@code eval} would also run.</li>
 * <li>Braces inside a text literal are text: {@code ru'{x}'} is the text {@code {x}}, where the seed
 * would make it a reference.</li>
 * <li>{@code kty81} gives the table's temperature for a resistance exactly on a table point, where the
 * seed gives no value (None).</li>
 * <li>Errors are reasons, not Python exceptions: a wrong name {@code INVALID}, values without a result
 * {@code TYPE}.</li>
 * </ul>
 */
package dev.pathpoint.engine.internal.reparse;
