package dev.pathpoint.api.value;

import java.util.Objects;

/**
 * A value read from or written to a pathpoint: a whole number, a floating-point number or text.
 */
public sealed interface PathpointValue permits PathpointValue.Whole, PathpointValue.Real, PathpointValue.Text {

    static Whole of(long value) {
        return new Whole(value);
    }

    static Real of(double value) {
        return new Real(value);
    }

    static Text of(String value) {
        return new Text(value);
    }

    /** The value as text, as a user would type it. */
    String asText();

    /** A whole number: bits and 16-bit registers. */
    record Whole(long value) implements PathpointValue {
        @Override
        public String asText() {
            return Long.toString(value);
        }
    }

    /** A floating-point number: 32- and 64-bit floats. */
    record Real(double value) implements PathpointValue {
        @Override
        public String asText() {
            return Double.toString(value);
        }
    }

    /** Text: string pathpoints. */
    record Text(String value) implements PathpointValue {
        public Text {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String asText() {
            return value;
        }
    }
}
