package dev.pathpoint.sysctl.internal.update;

/** A bundle source cannot be read, or holds something that is not a valid bundle. */
final class BundleSourceException extends Exception {
    private static final long serialVersionUID = 1L;

    BundleSourceException(String message) {
        super(message);
    }
}
