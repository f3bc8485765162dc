package dev.pathpoint.api.driver;

import dev.pathpoint.api.value.PathpointType;

/** Read a pathpoint; complete with a value of its type. */
public final class ReadOperation extends DriverOperation {

    public ReadOperation(String pathpoint, PathpointType type) {
        super(pathpoint, type);
    }

    @Override
    public String toString() {
        return "read " + pathpoint();
    }
}
