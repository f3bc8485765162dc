package dev.pathpoint.modbus.internal.name;

import dev.pathpoint.api.driver.PathpointGrammar;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.value.PathpointType;
import org.osgi.service.component.annotations.Component;

/**
 * The Modbus pathpoint grammar: claims every name that starts like a Modbus name, a Modbus type letter
 * and then a digit (the unit id), however wrong the rest is, so that such a name no connection could
 * ever serve fails {@code INVALID} at once, naming the wrong part, instead of waiting for a driver; and
 * tells the executor the type to convert written values to ({@code W1r0:64} is
 * {@link PathpointType#UNSIGNED_64}). Names with a type letter and then no digit ({@code Wchatty0}) are
 * left to other drivers, which share the seed's type letters; reparse names start with {@code r}.
 */
@Component(service = PathpointGrammar.class, property = PathpointGrammar.PATHPOINT_PATTERN + "=" + ModbusGrammar.PATTERN)
public final class ModbusGrammar implements PathpointGrammar {
    /** Every name starting with a Modbus type letter and a digit, however wrong the rest is. */
    public static final String PATTERN = "[BWwfdu][0-9].*";

    @Override
    public PathpointType typeOf(String pathpoint) throws OperationFailedException {
        return ModbusPathpoint.parse(pathpoint).type();
    }
}
