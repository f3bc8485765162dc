package dev.pathpoint.modbus.internal.name;

import dev.pathpoint.api.driver.PathpointGrammar;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.value.PathpointType;
import org.osgi.service.component.annotations.Component;

/**
 * The Modbus pathpoint grammar: claims every name that starts with a Modbus type letter (never a
 * reparse name, which starts with {@code r}), so that a name no connection could ever serve fails
 * {@code INVALID} at once, naming the wrong part, instead of waiting for a driver; and tells the
 * executor the type to convert written values to ({@code W1r0:64} is {@link PathpointType#UNSIGNED_64}).
 */
@Component(service = PathpointGrammar.class, property = PathpointGrammar.PATHPOINT_PATTERN + "=" + ModbusGrammar.PATTERN)
public final class ModbusGrammar implements PathpointGrammar {
    /** Every name starting with a Modbus type letter, however wrong the rest is. */
    public static final String PATTERN = "[BWwfdu].*";

    @Override
    public PathpointType typeOf(String pathpoint) throws OperationFailedException {
        return ModbusPathpoint.parse(pathpoint).type();
    }
}
