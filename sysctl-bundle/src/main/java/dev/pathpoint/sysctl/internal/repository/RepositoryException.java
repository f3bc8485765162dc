package dev.pathpoint.sysctl.internal.repository;

/** A repository could not deliver a verified artifact; the message names the artifact and the problem. */
public final class RepositoryException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Whether the repository said it does not have the thing (HTTP 404), as opposed to failing. */
    private final boolean notFound;
    private boolean timedOut;

    RepositoryException(String message) {
        this(message, false, null);
    }

    RepositoryException(String message, Throwable cause) {
        this(message, false, cause);
    }

    RepositoryException(String message, boolean notFound, Throwable cause) {
        super(message, cause);
        this.notFound = notFound;
    }

    static RepositoryException timeout(String message) {
        RepositoryException exception = new RepositoryException(message);
        exception.timedOut = true;
        return exception;
    }

    boolean notFound() {
        return notFound;
    }

    /** Whether the repository was too slow (no answer, silence mid-download, download too long). */
    public boolean timedOut() {
        return timedOut;
    }
}
