package dev.pathpoint.engine.internal.reparse;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The functions an expression may call: exactly the names the seed library's evaluator provides
 * ({@code smok.sensor.reparse_funs.ecre_eval} runs Python's {@code eval} with no other builtins), with
 * Python's meaning. Argument counts are checked when the name is parsed.
 */
enum BuiltinFunction {
    MIN("min", 1, Integer.MAX_VALUE) {
        @Override
        Value apply(Value[] arguments) {
            return extreme(arguments, true);
        }
    },
    MAX("max", 1, Integer.MAX_VALUE) {
        @Override
        Value apply(Value[] arguments) {
            return extreme(arguments, false);
        }
    },
    FLOAT("float", 0, 1) {
        @Override
        Value apply(Value[] arguments) {
            if (arguments.length == 0) {
                return new Value.Real(0.0);
            }
            Value x = arguments[0];
            if (x instanceof Value.Text text) {
                return new Value.Real(PythonNumbers.parseFloat(text.value()));
            }
            return new Value.Real(Arithmetic.real(x));
        }
    },
    INT("int", 0, 2) {
        @Override
        Value apply(Value[] arguments) {
            if (arguments.length == 0) {
                return new Value.Int(0);
            }
            Value x = arguments[0];
            if (arguments.length == 2) {
                Value base = arguments[1];
                if (!Arithmetic.isWhole(base)) {
                    throw new ValueProblem("the base must be a whole number, not " + base.typeName());
                }
                long radix = Arithmetic.whole(base);
                if (radix != 0 && (radix < 2 || radix > 36)) {
                    throw new ValueProblem("the base must be 2..36, or 0 (taken from the prefix), not " + radix);
                }
                if (!(x instanceof Value.Text text)) {
                    throw new ValueProblem("a base is given, so the value must be text, not " + x.typeName());
                }
                return new Value.Int(PythonNumbers.parseInt(text.value(), (int) radix));
            }
            if (x instanceof Value.Text text) {
                return new Value.Int(PythonNumbers.parseInt(text.value(), 10));
            }
            if (x instanceof Value.Real real) {
                return new Value.Int(truncate(real.value()));
            }
            return new Value.Int(Arithmetic.whole(x));
        }
    },
    STR("str", 0, 1) {
        @Override
        Value apply(Value[] arguments) {
            return new Value.Text(arguments.length == 0 ? "" : arguments[0].str());
        }
    },
    BOOL("bool", 0, 1) {
        @Override
        Value apply(Value[] arguments) {
            return Value.of(arguments.length != 0 && arguments[0].truthy());
        }
    },
    RELATIVE_ERROR("d", 2, 2) {
        @Override
        Value apply(Value[] arguments) {
            return SensorConversions.relativeError(arguments[0], arguments[1]);
        }
    },
    ABSOLUTE_ERROR("D", 2, 2) {
        @Override
        Value apply(Value[] arguments) {
            return SensorConversions.absoluteError(arguments[0], arguments[1]);
        }
    },
    KED("ked", 2, 2) {
        @Override
        Value apply(Value[] arguments) {
            return SensorConversions.kedError(arguments[0], arguments[1]);
        }
    },
    HUBA505("huba505", 1, 1) {
        @Override
        Value apply(Value[] arguments) {
            return SensorConversions.huba505(arguments[0]);
        }
    },
    NEGZ("negz", 1, 1) {
        @Override
        Value apply(Value[] arguments) {
            return SensorConversions.negativeToZero(arguments[0]);
        }
    },
    KTY81("kty81", 1, 1) {
        @Override
        Value apply(Value[] arguments) {
            return SensorConversions.kty81(arguments[0]);
        }
    },
    PT1000("pt1000", 1, 1) {
        @Override
        Value apply(Value[] arguments) {
            return SensorConversions.pt1000(arguments[0]);
        }
    },
    MKFLT("mkflt", 2, 2) {
        @Override
        Value apply(Value[] arguments) {
            return SensorConversions.makeFloat(arguments[0], arguments[1]);
        }
    },
    MKINT32("mkint32", 2, 2) {
        @Override
        Value apply(Value[] arguments) {
            return SensorConversions.makeInt32(arguments[0], arguments[1]);
        }
    };

    /** The names, for a message about an unknown one. */
    static final String NAMES = Arrays.stream(values()).map(BuiltinFunction::functionName)
            .collect(Collectors.joining(", "));

    private final String functionName;
    private final int minArguments;
    private final int maxArguments;

    BuiltinFunction(String functionName, int minArguments, int maxArguments) {
        this.functionName = functionName;
        this.minArguments = minArguments;
        this.maxArguments = maxArguments;
    }

    String functionName() {
        return functionName;
    }

    /**
     * Runs the function on evaluated arguments (their count already checked).
     *
     * @throws ValueProblem if the arguments give no value
     */
    abstract Value apply(Value[] arguments);

    /** Null if the count is right, else what is wrong with it. */
    String checkArgumentCount(int count) {
        if (count >= minArguments && count <= maxArguments) {
            return null;
        }
        String expected;
        if (maxArguments == Integer.MAX_VALUE) {
            expected = "at least " + minArguments + plural(minArguments);
        } else if (minArguments == maxArguments) {
            expected = minArguments + plural(minArguments);
        } else {
            expected = minArguments + " to " + maxArguments + " arguments";
        }
        return functionName + "() takes " + expected + ", not " + count;
    }

    private static String plural(int count) {
        return count == 1 ? " argument" : " arguments";
    }

    /** The function with this name (case matters: {@code d} and {@code D} differ), or null. */
    static BuiltinFunction named(String name) {
        for (BuiltinFunction function : values()) {
            if (function.functionName.equals(name)) {
                return function;
            }
        }
        return null;
    }

    private static Value extreme(Value[] arguments, boolean smallest) {
        if (arguments.length == 1) {
            if (!(arguments[0] instanceof Value.Text text)) {
                throw new ValueProblem("a single argument must be text (its characters are compared), not "
                        + arguments[0].typeName() + "; give two or more values to compare them");
            }
            if (text.value().isEmpty()) {
                throw new ValueProblem("the text is empty");
            }
            int best = text.value().codePointAt(0);
            for (int i = 0; i < text.value().length(); i += Character.charCount(text.value().codePointAt(i))) {
                int character = text.value().codePointAt(i);
                best = smallest ? Math.min(best, character) : Math.max(best, character);
            }
            return new Value.Text(Character.toString(best));
        }
        // Python keeps the first of equal values, and replaces only on a strict < (min) or > (max)
        Value best = arguments[0];
        for (int i = 1; i < arguments.length; i++) {
            if (smallest ? Arithmetic.less(arguments[i], best) : Arithmetic.greater(arguments[i], best)) {
                best = arguments[i];
            }
        }
        return best;
    }

    private static long truncate(double value) {
        if (Double.isNaN(value)) {
            throw new ValueProblem("cannot convert float NaN to an integer");
        }
        if (Double.isInfinite(value)) {
            throw new ValueProblem("cannot convert float infinity to an integer");
        }
        if (value >= 0x1p63 || value < -0x1p63) {
            throw new ValueProblem("the float " + PythonNumbers.repr(value) + " is beyond the 64-bit integer range");
        }
        return (long) value;
    }
}
