package dev.pathpoint.engine.internal.reparse;

/** Python's {@code text[i]} and {@code text[start:stop:step]}, counting characters as code points. */
final class Subscripts {
    private Subscripts() {
    }

    static Value index(Value target, Value index) {
        int[] characters = characters(target);
        long i = position(index, "index");
        if (i < 0) {
            i += characters.length;
        }
        if (i < 0 || i >= characters.length) {
            throw new ValueProblem("text index " + Arithmetic.whole(index) + " is out of range (the text has "
                    + characters.length + " characters)");
        }
        return new Value.Text(new String(characters, (int) i, 1));
    }

    /** Absent bounds or step are null. */
    static Value slice(Value target, Value start, Value stop, Value step) {
        int[] characters = characters(target);
        long length = characters.length;
        long stride = step == null ? 1 : position(step, "step");
        if (stride == 0) {
            throw new ValueProblem("the slice step cannot be zero");
        }
        long lower = stride < 0 ? -1 : 0;
        long upper = stride < 0 ? length - 1 : length;
        long from = start == null ? (stride < 0 ? upper : lower) : bound(position(start, "bound"), length, lower, upper);
        long to = stop == null ? (stride < 0 ? lower : upper) : bound(position(stop, "bound"), length, lower, upper);
        // counted first, so that a huge step cannot overflow the index
        long count;
        if (stride > 0) {
            count = from < to ? (to - from - 1) / stride + 1 : 0;
        } else {
            count = from > to ? (stride == Long.MIN_VALUE ? 1 : (from - to - 1) / -stride + 1) : 0;
        }
        StringBuilder result = new StringBuilder();
        for (long k = 0; k < count; k++) {
            result.appendCodePoint(characters[(int) (from + k * stride)]);
        }
        return new Value.Text(result.toString());
    }

    private static long bound(long value, long length, long lower, long upper) {
        long bound = value < 0 ? value + length : value;
        return Math.max(lower, Math.min(upper, bound));
    }

    private static int[] characters(Value target) {
        if (!(target instanceof Value.Text text)) {
            throw new ValueProblem("only text can be indexed or sliced, not " + target.typeName());
        }
        return text.value().codePoints().toArray();
    }

    private static long position(Value value, String what) {
        if (!Arithmetic.isWhole(value)) {
            throw new ValueProblem("a text " + what + " must be a whole number, not " + value.typeName());
        }
        return Arithmetic.whole(value);
    }
}
