package dev.pathpoint.api.value;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A value read from or written to a pathpoint: a whole number, a floating-point number or text.
 * Whole numbers are exact at any size a pathpoint can hold: {@link Whole} in the range of a
 * {@code long}, {@link BigWhole} beyond it (unsigned 64-bit values from 2^63 up). One number has one
 * form: {@link #of(BigInteger)} picks it, so equal numbers are equal values.
 */
public sealed interface PathpointValue
        permits PathpointValue.Whole, PathpointValue.BigWhole, PathpointValue.Real, PathpointValue.Text {

    static Whole of(long value) {
        return new Whole(value);
    }

    /** A whole number of any size: a {@link Whole} if it fits a {@code long}, else a {@link BigWhole}. */
    static PathpointValue of(BigInteger value) {
        Objects.requireNonNull(value, "value");
        return value.bitLength() < Long.SIZE ? new Whole(value.longValue()) : new BigWhole(value);
    }

    static Real of(double value) {
        return new Real(value);
    }

    static Text of(String value) {
        return new Text(value);
    }

    /** The value as text, as a user would type it. */
    String asText();

    /** A whole number in the range of a {@code long}: bits and 16-, 32- and 64-bit integers. */
    record Whole(long value) implements PathpointValue {
        @Override
        public String asText() {
            return Long.toString(value);
        }
    }

    /**
     * A whole number outside the range of a {@code long}, such as an unsigned 64-bit value of 2^63 or
     * more. Numbers that fit a {@code long} are always {@link Whole}: use {@link PathpointValue#of(BigInteger)}.
     */
    record BigWhole(BigInteger value) implements PathpointValue {
        public BigWhole {
            Objects.requireNonNull(value, "value");
            if (value.bitLength() < Long.SIZE) {
                throw new IllegalArgumentException(value + " fits a long: it is a Whole, not a BigWhole");
            }
        }

        @Override
        public String asText() {
            return value.toString();
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
