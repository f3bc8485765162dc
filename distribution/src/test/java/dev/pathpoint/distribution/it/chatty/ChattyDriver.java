package dev.pathpoint.distribution.it.chatty;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.value.PathpointValue;
import java.util.List;

/**
 * A driver that prints to {@code System.out}, as careless third-party bundles do, before it answers
 * every read with 7. Packaged by the test into a bundle of its own.
 */
public class ChattyDriver implements PathpointDriver {
    /** What it prints for each batch. */
    public static final String CHATTER = "chatty driver: batch of ";

    @Override
    public void execute(List<DriverOperation> batch) {
        System.out.println(CHATTER + batch.size());
        for (DriverOperation operation : batch) {
            operation.complete(PathpointValue.of(7));
        }
    }
}
