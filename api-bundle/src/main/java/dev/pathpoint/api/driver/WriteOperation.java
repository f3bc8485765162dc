package dev.pathpoint.api.driver;

import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import java.util.Objects;

/** Write a value, already converted to the pathpoint's type; complete with that value once written. */
public final class WriteOperation extends DriverOperation {
    private final PathpointValue value;

    public WriteOperation(String pathpoint, PathpointType type, PathpointValue value) {
        super(pathpoint, type);
        this.value = Objects.requireNonNull(value, "value");
    }

    public PathpointValue value() {
        return value;
    }

    @Override
    public String toString() {
        return "write " + pathpoint() + " = " + value.asText();
    }
}
