package dev.pathpoint.modbus.internal;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.modbus.internal.name.Area;
import dev.pathpoint.modbus.internal.name.ModbusPathpoint;
import dev.pathpoint.modbus.internal.plan.ReadItem;
import dev.pathpoint.modbus.internal.plan.WriteItem;

/**
 * One operation ready for the connection thread: its parsed pathpoint and, for a write, the value and
 * its encoding: the registers to write, or for a coil or a register bit the bit value.
 */
record Job(DriverOperation operation, ModbusPathpoint pathpoint, PathpointValue value, int[] registers, boolean bitValue) {

    static Job read(DriverOperation operation, ModbusPathpoint pathpoint) {
        return new Job(operation, pathpoint, null, null, false);
    }

    boolean isWrite() {
        return value != null;
    }

    /** What the read planner merges. */
    ReadItem<Job> readItem() {
        return new ReadItem<>(this, pathpoint.unit(), pathpoint.area(), pathpoint.address(), pathpoint.width());
    }

    /** What the write planner merges. */
    WriteItem<Job> writeItem() {
        if (pathpoint.area() == Area.COIL) {
            return new WriteItem.Coil<>(this, pathpoint.unit(), pathpoint.address(), bitValue);
        }
        if (pathpoint.isRegisterBit()) {
            return new WriteItem.RegisterBit<>(this, pathpoint.unit(), pathpoint.address(), pathpoint.bitIndex(), bitValue);
        }
        return new WriteItem.Registers<>(this, pathpoint.unit(), pathpoint.address(), registers);
    }

    @Override
    public String toString() {
        return operation.toString();
    }
}
