package dev.pathpoint.engine.internal.testing;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.driver.ReadOperation;
import dev.pathpoint.api.driver.WriteOperation;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory driver: a map of pathpoint values. It records every batch; in automatic mode it
 * completes operations at once, in manual mode it holds them until the test completes or fails them
 * (a hanging device). Scripted failures fail the next operations on a pathpoint.
 */
public final class TestDriver implements PathpointDriver {
    private final String name;
    private final Map<String, PathpointValue> device;
    private final List<List<DriverOperation>> batches = new CopyOnWriteArrayList<>();
    private final List<String> applied = new CopyOnWriteArrayList<>();
    private final List<DriverOperation> held = new ArrayList<>();
    private final Map<String, Deque<OperationFailedReason>> scriptedFailures = new ConcurrentHashMap<>();
    private final List<Thread> callingThreads = new CopyOnWriteArrayList<>();
    private volatile boolean manual;

    public TestDriver(String name) {
        this(name, new ConcurrentHashMap<>());
    }

    /** A driver over a shared device map (a replacement driver for the same device). */
    public TestDriver(String name, Map<String, PathpointValue> device) {
        this.name = name;
        this.device = device;
    }

    public String name() {
        return name;
    }

    public TestDriver manual() {
        manual = true;
        return this;
    }

    public TestDriver automatic() {
        manual = false;
        return this;
    }

    /** The next operations on the pathpoint fail with these reasons, one each, before any succeeds. */
    public TestDriver failNext(String pathpoint, OperationFailedReason... reasons) {
        Deque<OperationFailedReason> queue = scriptedFailures.computeIfAbsent(pathpoint, p -> new ArrayDeque<>());
        synchronized (queue) {
            queue.addAll(List.of(reasons));
        }
        return this;
    }

    public TestDriver set(String pathpoint, PathpointValue value) {
        device.put(pathpoint, value);
        return this;
    }

    public PathpointValue value(String pathpoint) {
        return device.get(pathpoint);
    }

    @Override
    public void execute(List<DriverOperation> batch) {
        callingThreads.add(Thread.currentThread());
        batches.add(List.copyOf(batch));
        for (DriverOperation operation : batch) {
            OperationFailedReason failure = nextFailure(operation.pathpoint());
            if (failure != null) {
                operation.fail(new OperationFailedException(failure, name + ": scripted " + failure + " on " + operation));
            } else if (manual) {
                synchronized (held) {
                    held.add(operation);
                }
            } else {
                apply(operation);
            }
        }
    }

    private OperationFailedReason nextFailure(String pathpoint) {
        Deque<OperationFailedReason> queue = scriptedFailures.get(pathpoint);
        if (queue == null) {
            return null;
        }
        synchronized (queue) {
            return queue.poll();
        }
    }

    private void apply(DriverOperation operation) {
        if (operation instanceof WriteOperation write) {
            device.put(write.pathpoint(), write.value());
            applied.add(write.pathpoint() + "=" + write.value().asText());
            operation.complete(write.value());
        } else {
            operation.complete(device.getOrDefault(operation.pathpoint(), zero(operation.type())));
        }
    }

    private static PathpointValue zero(PathpointType type) {
        return switch (type) {
            case FLOAT_32, FLOAT_64 -> PathpointValue.of(0.0);
            case TEXT -> PathpointValue.of("");
            default -> PathpointValue.of(0L);
        };
    }

    /** Completes every held operation (applies writes, answers reads); returns how many. */
    public int completeHeld() {
        List<DriverOperation> operations = takeHeld();
        operations.forEach(this::apply);
        return operations.size();
    }

    /** Fails every held operation with the reason; returns how many. */
    public int failHeld(OperationFailedReason reason) {
        List<DriverOperation> operations = takeHeld();
        operations.forEach(op -> op.fail(new OperationFailedException(reason, name + ": " + reason + " on " + op)));
        return operations.size();
    }

    public List<DriverOperation> held() {
        synchronized (held) {
            return List.copyOf(held);
        }
    }

    private List<DriverOperation> takeHeld() {
        synchronized (held) {
            List<DriverOperation> taken = List.copyOf(held);
            held.clear();
            return taken;
        }
    }

    public List<List<DriverOperation>> batches() {
        return batches;
    }

    /** Every operation received, in order. */
    public List<DriverOperation> operations() {
        List<DriverOperation> all = new ArrayList<>();
        batches.forEach(all::addAll);
        return all;
    }

    public List<String> operationNames() {
        return operations().stream().map(Object::toString).toList();
    }

    /** Writes applied to the device, in order, as {@code pathpoint=value}. */
    public List<String> applied() {
        return applied;
    }

    public List<Thread> callingThreads() {
        return callingThreads;
    }

    public int readCount() {
        return (int) operations().stream().filter(ReadOperation.class::isInstance).count();
    }

    @Override
    public String toString() {
        return name;
    }
}
