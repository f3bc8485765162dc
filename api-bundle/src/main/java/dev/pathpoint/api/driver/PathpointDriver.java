package dev.pathpoint.api.driver;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Carries out reads and writes on devices. Register it as a service with a
 * {@link #PATHPOINT_PATTERN} property; the executor routes each pathpoint to the highest-ranked
 * driver whose pattern matches it, and waits for one to appear if none does.
 */
@ConsumerType
public interface PathpointDriver {

    /** Service property (required): a regular expression the served pathpoint names match entirely. */
    String PATHPOINT_PATTERN = "pathpoint.pattern";

    /** Service property (optional): a name for this driver in statistics and logs. */
    String DRIVER_NAME = "pathpoint.driver.name";

    /**
     * Service property (optional, Integer): the most operations the driver wants in one batch, i.e. as
     * many as it can plan together. Absent: no limit, the executor hands it everything ready at once.
     */
    String MAX_BATCH_SIZE = "pathpoint.driver.maxBatchSize";

    /**
     * Starts a batch of operations and returns at once, without waiting on device I/O. Each
     * operation is completed later, from any thread. A batch never holds two operations on one
     * pathpoint; the driver may coalesce operations on neighbouring addresses.
     */
    void execute(List<DriverOperation> batch);
}
