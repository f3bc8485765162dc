package dev.pathpoint.modbus.internal;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.modbus.internal.name.ModbusPathpoint;

/**
 * One operation ready for the connection thread: its parsed pathpoint and, for a write, the value
 * coerced to the pathpoint's type and encoded (registers, or one bit).
 */
record Job(DriverOperation operation, ModbusPathpoint pathpoint, PathpointValue value, int[] registers, boolean bit) {

    static Job read(DriverOperation operation, ModbusPathpoint pathpoint) {
        return new Job(operation, pathpoint, null, null, false);
    }

    boolean isWrite() {
        return value != null;
    }

    @Override
    public String toString() {
        return operation.toString();
    }
}
