package dev.pathpoint.api.driver;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.value.PathpointType;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The naming rules of a family of pathpoints (every Modbus name, say), known whether or not a driver
 * serves a given name right now. Register it as a service with a {@link #PATHPOINT_PATTERN} property
 * that every name of the family matches, however wrong the rest of the name is (for Modbus: every
 * name starting with a Modbus type letter).
 *
 * <p>Before it routes a read or write, the executor asks the highest-ranked grammar whose pattern
 * matches the name. A name the grammar refuses ends {@code INVALID} at once, without waiting for a
 * driver; only a name it accepts waits for a driver to serve it. The type it tells is the one a
 * written value is converted to before a driver sees it. Names no grammar claims keep the type of
 * their first letter.
 */
@ConsumerType
public interface PathpointGrammar {

    /** Service property (required): a regular expression every name of the family matches entirely. */
    String PATHPOINT_PATTERN = "pathpoint.pattern";

    /**
     * Checks a name and tells its type. Called on the executor's dispatch thread, once per name while
     * the executor keeps state for it: it must only parse the name, quickly, and never block.
     *
     * @return the type values of this pathpoint have
     * @throws OperationFailedException {@code INVALID}, with a message that names the wrong part of the
     *         name and its position (e.g. {@code at position 2: area letter 'q' is unknown})
     */
    PathpointType typeOf(String pathpoint) throws OperationFailedException;
}
