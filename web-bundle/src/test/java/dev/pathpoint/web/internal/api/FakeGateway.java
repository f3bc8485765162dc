package dev.pathpoint.web.internal.api;

import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.api.executor.ExecutorStatistics;
import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.SysctlOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.store.PathpointListener;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.api.store.ValueStore;
import dev.pathpoint.api.value.PathpointValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory gateway for the API's tests: an executor that runs each section on a thread of its own
 * against a map of device values, a value store that tells its listener of every changed reading, and
 * the driver and connection monitor listings. Reads of a pathpoint in {@link #held} wait until
 * {@link #release()}.
 */
final class FakeGateway implements OrderExecutor, ValueStore, Sources {
    final Map<String, PathpointValue> device = new ConcurrentHashMap<>();
    final Map<String, Reading> readings = new ConcurrentHashMap<>();
    final Set<String> held = ConcurrentHashMap.newKeySet();
    final List<Section> executed = new CopyOnWriteArrayList<>();
    final List<DriverService> drivers = new CopyOnWriteArrayList<>();
    final List<Monitor> monitors = new CopyOnWriteArrayList<>();
    final AtomicInteger running = new AtomicInteger();
    volatile PathpointListener listener;
    private volatile CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-gateway");
        thread.setDaemon(true);
        return thread;
    });

    void release() {
        release.countDown();
        release = new CountDownLatch(1);
    }

    void close() {
        release.countDown();
        threads.shutdownNow();
    }

    /** Records a reading as the engine's store would, telling the listener if it changed. */
    void record(Reading reading) {
        Reading previous = readings.put(reading.pathpoint(), reading);
        PathpointListener current = listener;
        if (current != null && (previous == null || !previous.sameContentAs(reading))) {
            current.readingChanged(Optional.ofNullable(previous), reading);
        }
    }

    @Override
    public void execute(Section... sections) {
        for (Section section : sections) {
            executed.add(section);
            running.incrementAndGet();
            threads.execute(() -> run(section));
        }
    }

    private void run(Section section) {
        try {
            if (section.orders().stream().anyMatch(order -> order instanceof ReadOrder read && held.contains(read.pathpoint()))) {
                CountDownLatch latch = release;
                latch.await(60, TimeUnit.SECONDS);
            }
            if (!section.markAsBeingExecuted()) {
                return;
            }
            List<OrderOutcome> outcomes = new ArrayList<>();
            for (Order order : section.orders()) {
                outcomes.add(outcome(order));
            }
            section.markAsDone(new SectionResult(outcomes));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running.decrementAndGet();
        }
    }

    private OrderOutcome outcome(Order order) {
        if (order instanceof WriteOrder write) {
            device.put(write.pathpoint(), write.value());
            return OrderOutcome.done(order, write.value());
        }
        if (order instanceof ReadOrder read) {
            PathpointValue value = device.get(read.pathpoint());
            if (value == null) {
                return new OrderOutcome.Failed(order, OperationFailedReason.NO_DRIVER, "no driver serves " + read.pathpoint());
            }
            record(new Reading.Success(read.pathpoint(), Instant.now(), value));
            return OrderOutcome.done(order, value);
        }
        if (order instanceof SysctlOrder sysctl) {
            return OrderOutcome.done(order, PathpointValue.of("ran " + sysctl.opType() + " [" + sysctl.opArgs() + "]"));
        }
        return OrderOutcome.done(order);
    }

    @Override
    public ExecutorStatistics statistics() {
        return new ExecutorStatistics(0, running.get(), Map.of("simulator", 2), executed.size(), 1,
                Map.of(OperationFailedReason.TIMEOUT, 3L), Duration.ofMillis(4), Duration.ofMillis(40));
    }

    @Override
    public Optional<Reading> reading(String pathpoint) {
        return Optional.ofNullable(readings.get(pathpoint));
    }

    @Override
    public Map<String, Reading> readings() {
        return Map.copyOf(readings);
    }

    @Override
    public OrderExecutor executor() {
        return this;
    }

    @Override
    public ValueStore store() {
        return this;
    }

    @Override
    public List<DriverService> drivers() {
        return drivers;
    }

    @Override
    public List<Monitor> monitors() {
        return monitors;
    }

    static Monitor monitor(String source, ConnectionReport... reports) {
        return new Monitor() {
            @Override
            public String source() {
                return source;
            }

            @Override
            public List<ConnectionReport> connections() {
                return List.of(reports);
            }
        };
    }

    static ConnectionReport report(String name, String kind, ConnectionState state) {
        return new ConnectionReport(name, kind, kind + "://127.0.0.1:1", "dev.pathpoint." + kind + "~" + name, state,
                Instant.parse("2026-01-01T00:00:00Z"), Optional.empty(),
                state == ConnectionState.BACKING_OFF ? Optional.of("connection refused") : Optional.empty(),
                Map.of("requests", 7L));
    }
}
