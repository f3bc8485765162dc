package dev.pathpoint.benchmarks;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.Section;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Comparison 5: heap used (after full GCs) by 100,000 single-read sections (reads of 1,000
 * pathpoints, round robin) queued behind a driver that never completes anything, with the engine's
 * queue raised to 200,000 and its operation timeout to an hour so nothing drains while measured. The
 * heap is read three times: engine idle; sections built (held by the producer, not queued); sections
 * queued. So the engine's own share and the whole cost per section are told apart. One operation =
 * build and queue the 100,000 sections (the time includes the forced GCs; memory is the result).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class MemoryBenchmark {
    static final int SECTIONS = 100_000;
    static final int PATHPOINTS = 1_000;

    /** Never completes an operation (the engine's timeout is set beyond the measurement). */
    static final class StalledDriver implements PathpointDriver {
        final AtomicLong received = new AtomicLong();

        @Override
        public void execute(List<DriverOperation> batch) {
            received.addAndGet(batch.size());
        }
    }

    private Fixtures.RunningEngine engine;
    private StalledDriver driver;

    /** Heap bytes per section: built only, queued (built + engine), and the engine's share, summed per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Heap {
        public long builtBytesPerSection;
        public long queuedBytesPerSection;
        public long engineBytesPerSection;
        public long queuedMegabytes;
    }

    @Setup(Level.Iteration)
    public void start() {
        driver = new StalledDriver();
        var settings = Fixtures.settings("queueCapacity", 2 * SECTIONS, "operationTimeoutMillis", Duration.ofHours(1).toMillis());
        engine = new Fixtures.RunningEngine("bench-memory", settings).add(driver, "W1r[0-9]+", "stalled");
    }

    @TearDown(Level.Iteration)
    public void stop() {
        engine.close();
    }

    @Benchmark
    public Section[] queueBehindStalledDriver(Heap heap) {
        long idle = usedHeapAfterGc();
        Section[] sections = new Section[SECTIONS];
        for (int i = 0; i < SECTIONS; i++) {
            sections[i] = Section.of(new ReadOrder("W1r" + (i % PATHPOINTS), AdviseLevel.ADVISE));
        }
        long built = usedHeapAfterGc();
        engine.engine.execute(sections);
        awaitStarted();
        int queued = engine.engine.statistics().queuedSections() + engine.engine.statistics().runningSections();
        if (queued != SECTIONS) {
            throw new IllegalStateException("expected " + SECTIONS + " sections queued or running, found " + queued);
        }
        long afterQueue = usedHeapAfterGc();
        heap.builtBytesPerSection = (built - idle) / SECTIONS;
        heap.queuedBytesPerSection = (afterQueue - idle) / SECTIONS;
        heap.engineBytesPerSection = (afterQueue - built) / SECTIONS;
        heap.queuedMegabytes = (afterQueue - idle) >> 20;
        return sections;
    }

    /**
     * Waits (bounded) until the engine has started every section (joinable, they all start at once)
     * and the driver holds its batch.
     */
    private void awaitStarted() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int expectedRunning = SECTIONS;
        while (driver.received.get() == 0 || engine.engine.statistics().runningSections() < expectedRunning) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("within 30 s the stalled driver received " + driver.received.get()
                        + " reads and " + engine.engine.statistics().runningSections() + " of " + expectedRunning
                        + " sections started");
            }
            Thread.onSpinWait();
        }
    }

    /** Used heap once repeated full GCs stop freeing anything. */
    static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 64 * 1024) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}
