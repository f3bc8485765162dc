package dev.pathpoint.benchmarks;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.ReadOperation;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.value.PathpointType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Comparison 2: 10,000 reads of distinct pathpoints, submitted as 1,000 joinable sections of 10 reads
 * in one execute call and awaited, through the engine into a driver that completes at once; against
 * the same 10,000 operations handed to that driver directly, in the one batch the engine makes of
 * them (a driver that declares no batch size gets everything ready at once), each completion
 * observed by a callback as the engine observes it. One operation = 10,000 orders; the difference per order is the engine's added cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class EngineOverheadBenchmark {
    static final int SECTIONS = 1_000;
    static final int READS_PER_SECTION = 10;
    static final int ORDERS = SECTIONS * READS_PER_SECTION;

    private String[] names;
    private int batchSize;
    private Fixtures.RunningEngine engine;
    private InMemoryDriver engineDriver;
    private InMemoryDriver directDriver;

    /** Batches and operations the driver received, and orders submitted, per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Batches {
        public long batches;
        public long operations;
        public long orders;

        @Setup(Level.Iteration)
        public void reset() {
            batches = 0;
            operations = 0;
            orders = 0;
        }
    }

    @Setup(Level.Trial)
    public void start() {
        names = new String[ORDERS];
        for (int i = 0; i < ORDERS; i++) {
            names[i] = "W1r" + i;
        }
        batchSize = ORDERS;
        engineDriver = new InMemoryDriver();
        directDriver = new InMemoryDriver();
        engine = new Fixtures.RunningEngine("bench-overhead", Fixtures.defaultSettings())
                .add(engineDriver, "W1r[0-9]+", "memory");
    }

    @TearDown(Level.Trial)
    public void stop() {
        engine.close();
    }

    @Benchmark
    public Section[] throughEngine(Batches counters) {
        long batchesBefore = engineDriver.batches.get();
        long operationsBefore = engineDriver.operations.get();
        Section[] sections = new Section[SECTIONS];
        int next = 0;
        for (int s = 0; s < SECTIONS; s++) {
            List<Order> orders = new ArrayList<>(READS_PER_SECTION);
            for (int r = 0; r < READS_PER_SECTION; r++) {
                orders.add(new ReadOrder(names[next++], AdviseLevel.ADVISE));
            }
            sections[s] = new Section(orders);
        }
        engine.engine.execute(sections);
        Fixtures.awaitAll(sections, 60);
        counters.batches += engineDriver.batches.get() - batchesBefore;
        counters.operations += engineDriver.operations.get() - operationsBefore;
        counters.orders += ORDERS;
        return sections;
    }

    @Benchmark
    public long direct(Batches counters) throws InterruptedException {
        long batchesBefore = directDriver.batches.get();
        long operationsBefore = directDriver.operations.get();
        CountDownLatch done = new CountDownLatch(ORDERS);
        long[] sum = new long[1];
        List<DriverOperation> pending = new ArrayList<>(batchSize);
        for (int i = 0; i < ORDERS; i++) {
            ReadOperation operation = new ReadOperation(names[i], PathpointType.UNSIGNED_16);
            operation.completion().whenComplete((value, failure) -> {
                if (failure == null) {
                    sum[0] += 1;
                }
                done.countDown();
            });
            pending.add(operation);
            if (pending.size() == batchSize) {
                directDriver.execute(List.copyOf(pending));
                pending.clear();
            }
        }
        if (!pending.isEmpty()) {
            directDriver.execute(List.copyOf(pending));
        }
        if (!done.await(60, TimeUnit.SECONDS) || sum[0] != ORDERS) {
            throw new IllegalStateException("the driver completed " + sum[0] + " of " + ORDERS + " reads");
        }
        counters.batches += directDriver.batches.get() - batchesBefore;
        counters.operations += directDriver.operations.get() - operationsBefore;
        counters.orders += ORDERS;
        return sum[0];
    }
}
