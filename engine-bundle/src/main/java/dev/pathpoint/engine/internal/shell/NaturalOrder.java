package dev.pathpoint.engine.internal.shell;

import java.util.Comparator;

/**
 * Orders names by their parts: runs of digits compare as numbers, the rest as text, so that
 * {@code W1r2} comes before {@code W1r10000} and {@code plc9} before {@code plc10}.
 */
final class NaturalOrder implements Comparator<String> {
    static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            boolean digitA = isDigit(a.charAt(i));
            boolean digitB = isDigit(b.charAt(j));
            int endA = runEnd(a, i, digitA);
            int endB = runEnd(b, j, digitB);
            int order = digitA && digitB ? compareNumbers(a, i, endA, b, j, endB)
                    : a.substring(i, endA).compareTo(b.substring(j, endB));
            if (order != 0) {
                return order;
            }
            i = endA;
            j = endB;
        }
        int byLength = Integer.compare(a.length() - i, b.length() - j);
        // names equal by their parts (W1r02, W1r2) still get one stable order
        return byLength != 0 ? byLength : a.compareTo(b);
    }

    /** Compares digit runs by value, however long, without parsing them. */
    private static int compareNumbers(String a, int from, int to, String b, int fromB, int toB) {
        int startA = skipZeros(a, from, to);
        int startB = skipZeros(b, fromB, toB);
        int byDigits = Integer.compare(to - startA, toB - startB);
        if (byDigits != 0) {
            return byDigits;
        }
        int byValue = a.substring(startA, to).compareTo(b.substring(startB, toB));
        return byValue != 0 ? byValue : Integer.compare(to - from, toB - fromB);
    }

    private static int skipZeros(String text, int from, int to) {
        int at = from;
        while (at < to - 1 && text.charAt(at) == '0') {
            at++;
        }
        return at;
    }

    private static int runEnd(String text, int from, boolean digits) {
        int at = from;
        while (at < text.length() && isDigit(text.charAt(at)) == digits) {
            at++;
        }
        return at;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
