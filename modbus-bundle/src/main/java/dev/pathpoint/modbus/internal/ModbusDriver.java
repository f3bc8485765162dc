package dev.pathpoint.modbus.internal;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.driver.WriteOperation;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.modbus.internal.name.Area;
import dev.pathpoint.modbus.internal.name.ModbusPathpoint;
import dev.pathpoint.modbus.internal.name.ValueCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver service of one connection. {@link #execute} checks each operation (name, unit, area,
 * and that a written value is of the pathpoint's type) and encodes written values, on the caller's
 * thread without any I/O; it fails the bad ones at once and queues the rest on the connection,
 * returning immediately.
 */
public final class ModbusDriver implements PathpointDriver, AutoCloseable {
    private final ModbusConnection connection;

    public ModbusDriver(ConnectionSettings settings) {
        this.connection = new ModbusConnection(settings);
    }

    public ModbusConnection connection() {
        return connection;
    }

    public ConnectionSettings settings() {
        return connection.settings();
    }

    public void reconfigure(ConnectionSettings settings) {
        connection.reconfigure(settings);
    }

    @Override
    public void execute(List<DriverOperation> batch) {
        ConnectionSettings settings = connection.settings();
        List<Job> jobs = new ArrayList<>(batch.size());
        for (DriverOperation operation : batch) {
            try {
                jobs.add(prepare(settings, operation));
            } catch (OperationFailedException e) {
                operation.fail(e);
            } catch (RuntimeException e) {
                operation.fail(new OperationFailedException(OperationFailedReason.ERROR,
                        "pathpoint '" + operation.pathpoint() + "': " + e, e));
            }
        }
        connection.submit(jobs);
    }

    private static Job prepare(ConnectionSettings settings, DriverOperation operation) throws OperationFailedException {
        ModbusPathpoint pathpoint = ModbusPathpoint.parse(operation.pathpoint());
        // the operation's type is the grammar's (the wide one) or, from an executor without the grammar, the
        // letter's; either way the letter agrees
        if (pathpoint.type().letter() != operation.type().letter()) {
            throw new OperationFailedException(OperationFailedReason.INVALID, "pathpoint '" + pathpoint.name() + "' is of type "
                    + pathpoint.type().letter() + " but the operation says " + operation.type().letter());
        }
        if (!settings.servesUnit(pathpoint.unit())) {
            throw new OperationFailedException(OperationFailedReason.INVALID, "pathpoint '" + pathpoint.name() + "': unit "
                    + pathpoint.unit() + " is not served by connection " + settings.name() + " (units " + settings.unitIds() + ")");
        }
        if (!(operation instanceof WriteOperation write)) {
            return Job.read(operation, pathpoint);
        }
        if (!pathpoint.area().isWritable()) {
            throw new OperationFailedException(OperationFailedReason.INVALID, "pathpoint '" + pathpoint.name() + "': "
                    + pathpoint.area().description() + "s are read-only");
        }
        // the executor converted the value to the pathpoint's type (WriteOperation); one that is not is refused, TYPE
        PathpointValue value = write.value();
        if (pathpoint.area() == Area.COIL || pathpoint.isRegisterBit()) {
            return new Job(operation, pathpoint, value, null, ValueCodec.encodeBit(pathpoint, value));
        }
        return new Job(operation, pathpoint, value, ValueCodec.encode(pathpoint, value, settings.defaultOrder()), false);
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "Modbus driver " + connection.settings().name() + " (" + connection.settings().endpoint() + ")";
    }
}
