package dev.pathpoint.engine.internal.reparse;

import dev.pathpoint.api.value.PathpointValue;

/**
 * A value inside an expression. The four kinds are Python's ({@code int}, {@code float}, {@code str},
 * {@code bool}) because reparse expressions are written in the seed library's Python dialect: their
 * names appear in error messages as users of the seed know them.
 */
sealed interface Value permits Value.Int, Value.Real, Value.Text, Value.Bool {

    Bool TRUE = new Bool(true);
    Bool FALSE = new Bool(false);

    /** Python's name of the kind, for messages. */
    String typeName();

    /** Python's truth value: zero, 0.0 and the empty text are false. */
    boolean truthy();

    /** Python's {@code str()} of the value. */
    String str();

    /** The value as a pathpoint value, before coercion to a pathpoint type. */
    PathpointValue toPathpointValue();

    /** A constituent's value; a {@link PathpointValue.BigWhole} is refused before (beyond 64 bits). */
    static Value of(PathpointValue value) {
        if (value instanceof PathpointValue.Whole whole) {
            return new Int(whole.value());
        }
        if (value instanceof PathpointValue.Real real) {
            return new Real(real.value());
        }
        if (value instanceof PathpointValue.Text text) {
            return new Text(text.value());
        }
        throw new IllegalArgumentException(value.asText() + " is beyond the 64-bit whole numbers expressions compute with");
    }

    static Bool of(boolean value) {
        return value ? TRUE : FALSE;
    }

    /** A 64-bit integer (Python's unbounded {@code int}, bounded here; overflow is an error). */
    record Int(long value) implements Value {
        @Override
        public String typeName() {
            return "int";
        }

        @Override
        public boolean truthy() {
            return value != 0;
        }

        @Override
        public String str() {
            return Long.toString(value);
        }

        @Override
        public PathpointValue toPathpointValue() {
            return PathpointValue.of(value);
        }
    }

    /** A 64-bit IEEE 754 number (Python's {@code float}). */
    record Real(double value) implements Value {
        @Override
        public String typeName() {
            return "float";
        }

        @Override
        public boolean truthy() {
            return value != 0.0;
        }

        @Override
        public String str() {
            return PythonNumbers.repr(value);
        }

        @Override
        public PathpointValue toPathpointValue() {
            return PathpointValue.of(value);
        }
    }

    /** Text (Python's {@code str}). */
    record Text(String value) implements Value {
        @Override
        public String typeName() {
            return "str";
        }

        @Override
        public boolean truthy() {
            return !value.isEmpty();
        }

        @Override
        public String str() {
            return value;
        }

        @Override
        public PathpointValue toPathpointValue() {
            return PathpointValue.of(value);
        }
    }

    /** {@code True} or {@code False}; in arithmetic it counts as 1 or 0, as in Python. */
    record Bool(boolean value) implements Value {
        @Override
        public String typeName() {
            return "bool";
        }

        @Override
        public boolean truthy() {
            return value;
        }

        @Override
        public String str() {
            return value ? "True" : "False";
        }

        @Override
        public PathpointValue toPathpointValue() {
            return PathpointValue.of(value ? 1L : 0L);
        }
    }
}
