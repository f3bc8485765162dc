package dev.pathpoint.benchmarks;

import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.modbus.internal.ConnectionSettings;
import dev.pathpoint.modbus.internal.ModbusDriver;
import dev.pathpoint.modbus.internal.sim.ModbusTcpSimulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * Comparison 6: 1,000 reparse reads ({@code rf{W1r<n>}*0.1+2}) over the same 1,000 scattered holding
 * registers as comparison 1, in one section through the engine and the Modbus driver (embedded
 * simulator), against the 1,000 plain reads of those registers. The constituents join the batch, so
 * the requests must be the same; the time adds parsing (cached) and evaluation. One operation = one
 * section of 1,000 reads, awaited.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ReparseBenchmark {
    private ModbusTcpSimulator simulator;
    private ModbusDriver driver;
    private Fixtures.RunningEngine engine;
    private String[] plain;
    private String[] reparse;

    /** Modbus requests sent and sections read, per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Requests {
        public long requests;
        public long sections;

        @Setup(Level.Iteration)
        public void reset() {
            requests = 0;
            sections = 0;
        }
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        simulator = new ModbusTcpSimulator(Fixtures.holdingRegisterImage(ReadPlanningBenchmark.REGISTERS),
                ModbusTcpSimulator.Options.loopback());
        ConnectionSettings settings = ConnectionSettings.tcp("bench", "127.0.0.1", simulator.port()).withUnits(Set.of(1));
        driver = new ModbusDriver(settings);
        engine = new Fixtures.RunningEngine("bench-reparse", Fixtures.defaultSettings())
                .add(driver, settings.pathpointPattern(), "bench");
        plain = Fixtures.holdingRegisterNames(Fixtures.scatteredAddresses(ReadPlanningBenchmark.PATHPOINTS,
                ReadPlanningBenchmark.REGISTERS, Fixtures.SEED));
        reparse = new String[plain.length];
        for (int i = 0; i < plain.length; i++) {
            reparse[i] = "rf{" + plain[i] + "}*0.1+2";
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        engine.close();
        driver.close();
        simulator.close();
    }

    private Section read(String[] names, Requests counters) {
        List<Order> orders = new ArrayList<>(names.length);
        for (String name : names) {
            orders.add(new ReadOrder(name, AdviseLevel.ADVISE));
        }
        Section section = new Section(orders);
        long before = driver.connection().transactions();
        engine.engine.execute(section);
        Fixtures.awaitAll(new Section[] {section}, 60);
        counters.requests += driver.connection().transactions() - before;
        counters.sections++;
        return section;
    }

    @Benchmark
    public Section plainReads(Requests counters) {
        return read(plain, counters);
    }

    @Benchmark
    public Section reparseReads(Requests counters) {
        return read(reparse, counters);
    }
}
