package dev.pathpoint.api.store;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told when the reading of a pathpoint changes (the seed's {@code callable_on_change}). Register it as
 * a service; the {@link #PATHPOINT_PATTERN} property (a regular expression over pathpoint names)
 * selects the pathpoints, all of them if absent. Called once per change, never for a reading that
 * says the same as the one before; keep it short, it runs on the store's notification thread.
 */
@ConsumerType
public interface PathpointListener {

    /** Service property: a regular expression the pathpoint names must match entirely. */
    String PATHPOINT_PATTERN = "pathpoint.pattern";

    /**
     * @param previous the reading before, empty for the first reading of the pathpoint
     * @param current the new reading
     */
    void readingChanged(Optional<Reading> previous, Reading current);

    /**
     * The store forgot the pathpoint's reading, to stay within its capacity (the pathpoint recorded
     * least recently goes first). A later reading of it is told as a first reading again.
     *
     * @param last the reading it held
     */
    default void readingRemoved(Reading last) {
    }
}
