package dev.pathpoint.api.wire;

/**
 * A wire document was rejected. {@link #location()} says where, as a path into the document such as
 * {@code $[1].orders[3].advise}; the message says what was wrong there. Nothing of a rejected
 * document is queued.
 */
public class WireFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String location;
    private final String problem;

    public WireFormatException(String location, String problem) {
        this(location, problem, null);
    }

    public WireFormatException(String location, String problem, Throwable cause) {
        super(location + ": " + problem, cause);
        this.location = location;
        this.problem = problem;
    }

    /** Where in the document: {@code $} is the document, {@code $[i]} a section of an array, {@code .orders[j]} an order. */
    public String location() {
        return location;
    }

    /** What was wrong there. */
    public String problem() {
        return problem;
    }
}
