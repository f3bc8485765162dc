package dev.pathpoint.benchmarks;

import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.modbus.internal.ConnectionSettings;
import dev.pathpoint.modbus.internal.ModbusDriver;
import dev.pathpoint.modbus.internal.sim.ModbusTcpSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Comparison 3: sections of 10 reads to a healthy device (the embedded simulator, unit 1, its own
 * connection) one after another, alone, and while a second device (unit 2, its own connection to a
 * server that never answers) is kept busy with 50 outstanding single-read sections of registers too far
 * apart to be merged, so they queue on that connection and end in timeouts (Modbus response timeout
 * 1 s, engine operation timeout 1.5 s, 3 tries under ADVISE). One
 * operation = one healthy section read and awaited.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class IsolationBenchmark {
    static final int HEALTHY_READS = 10;
    static final int DEAD_OUTSTANDING = 50;

    /** Whether the second device is dead and loaded while the healthy one is measured. */
    @Param({"false", "true"})
    public boolean deadDevice;

    private ModbusTcpSimulator healthyServer;
    private SilentServer deadServer;
    private ModbusDriver healthyDriver;
    private ModbusDriver deadDriver;
    private Fixtures.RunningEngine engine;
    private String[] healthyNames;
    private Thread deadLoad;
    private volatile boolean stopping;
    private final Semaphore deadSlots = new Semaphore(DEAD_OUTSTANDING);
    private final AtomicLong deadTimeouts = new AtomicLong();
    private final AtomicLong deadOtherOutcomes = new AtomicLong();

    /** Dead-device orders that ended TIMEOUT (so the load was real), per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class DeadLoad {
        public long deadTimeouts;
        private long base;
        private IsolationBenchmark owner;

        @Setup(Level.Iteration)
        public void reset(IsolationBenchmark benchmark) {
            owner = benchmark;
            base = benchmark.deadTimeouts.get();
            deadTimeouts = 0;
        }

        void update() {
            deadTimeouts = owner.deadTimeouts.get() - base;
        }
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        healthyServer = new ModbusTcpSimulator(Fixtures.holdingRegisterImage(100), ModbusTcpSimulator.Options.loopback());
        deadServer = new SilentServer();
        ConnectionSettings healthy = ConnectionSettings.tcp("healthy", "127.0.0.1", healthyServer.port()).withUnits(Set.of(1));
        ConnectionSettings dead = ConnectionSettings.tcp("dead", "127.0.0.1", deadServer.port()).withUnits(Set.of(2))
                .withTimeouts(1000, 250, 2000);
        healthyDriver = new ModbusDriver(healthy);
        deadDriver = new ModbusDriver(dead);
        EngineSettings settings = Fixtures.settings("operationTimeoutMillis", 1500L);
        engine = new Fixtures.RunningEngine("bench-isolation", settings)
                .add(healthyDriver, healthy.pathpointPattern(), "healthy")
                .add(deadDriver, dead.pathpointPattern(), "dead");
        healthyNames = new String[HEALTHY_READS];
        for (int i = 0; i < HEALTHY_READS; i++) {
            healthyNames[i] = "W1r" + i;
        }
        if (deadDevice) {
            deadLoad = new Thread(this::loadDeadDevice, "dead-device-load");
            deadLoad.setDaemon(true);
            deadLoad.start();
        }
    }

    /** Keeps DEAD_OUTSTANDING single-read sections on the dead device, replacing each as it ends. */
    private void loadDeadDevice() {
        int next = 0;
        try {
            while (!stopping) {
                if (!deadSlots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                // 200 registers apart: never merged, so each read is a request of its own that times out
                Section section = Section.of(new ReadOrder("W2r" + 200 * (next++ % DEAD_OUTSTANDING), AdviseLevel.ADVISE));
                section.future().whenComplete((result, failure) -> {
                    countDeadOutcome(result);
                    deadSlots.release();
                });
                engine.engine.execute(section);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void countDeadOutcome(SectionResult result) {
        if (result != null && result.outcome(0) instanceof OrderOutcome.Failed failed
                && failed.reason() == OperationFailedReason.TIMEOUT) {
            deadTimeouts.incrementAndGet();
        } else {
            deadOtherOutcomes.incrementAndGet();
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        stopping = true;
        if (deadLoad != null) {
            deadLoad.join(5_000);
            System.out.printf("%ndead device: %d reads ended TIMEOUT, %d otherwise; %d request bytes left unanswered%n",
                    deadTimeouts.get(), deadOtherOutcomes.get(), deadServer.bytesIgnored());
        }
        engine.close();
        healthyDriver.close();
        deadDriver.close();
        healthyServer.close();
        deadServer.close();
    }

    @Benchmark
    public SectionResult healthyReads(DeadLoad load) {
        List<Order> orders = new ArrayList<>(HEALTHY_READS);
        for (String name : healthyNames) {
            orders.add(new ReadOrder(name, AdviseLevel.ADVISE));
        }
        Section section = new Section(orders);
        engine.engine.execute(section);
        SectionResult result = Fixtures.await(section, 30);
        load.update();
        return result;
    }
}
