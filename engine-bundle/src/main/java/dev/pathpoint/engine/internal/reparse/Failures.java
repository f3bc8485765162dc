package dev.pathpoint.engine.internal.reparse;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;

/** Messages in one form: {@code reparse pathpoint 'NAME' at position N: WHAT}. */
final class Failures {
    /** Names longer than this are shortened in messages (the position still locates the problem). */
    private static final int SHOWN_NAME_LENGTH = 120;

    private Failures() {
    }

    /** {@code reparse pathpoint 'NAME'}, the name shortened if very long. */
    static String describe(String name) {
        String shown = name.length() > SHOWN_NAME_LENGTH
                ? name.substring(0, SHOWN_NAME_LENGTH) + "... (" + name.length() + " characters)"
                : name;
        return "reparse pathpoint '" + shown + "'";
    }

    /** A problem with the name itself (syntax, unknown function, a limit): {@code INVALID}. */
    static OperationFailedException invalid(String name, int position, String what) {
        return new OperationFailedException(OperationFailedReason.INVALID,
                describe(name) + " at position " + position + ": " + what);
    }

    /** A problem with the values the expression met while evaluating: {@code TYPE}. */
    static OperationFailedException type(String name, int position, String what) {
        return new OperationFailedException(OperationFailedReason.TYPE,
                describe(name) + " at position " + position + ": " + what);
    }
}
