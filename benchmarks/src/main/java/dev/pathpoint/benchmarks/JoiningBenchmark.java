package dev.pathpoint.benchmarks;

import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.Disposition;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.modbus.internal.ConnectionSettings;
import dev.pathpoint.modbus.internal.ModbusDriver;
import dev.pathpoint.modbus.internal.sim.ModbusTcpSimulator;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Comparison 4: the same 10,000 single-read sections (10,000 distinct holding registers scattered,
 * seeded, over 0..19,999 of the embedded simulator) submitted in one execute call as JOINABLE, and as
 * CANNOT_JOIN, through the engine and the Modbus driver; awaited. One
 * operation = all 10,000 sections done.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
public class JoiningBenchmark {
    static final int SECTIONS = 10_000;
    static final int REGISTERS = 20_000;

    @Param({"JOINABLE", "CANNOT_JOIN"})
    public Disposition disposition;

    /**
     * defaults: the shipped engine settings; every joinable section that can start does, and the
     * driver, which declares no batch size, gets everything ready in one batch.
     */
    @Param({"defaults"})
    public String settings;

    private ModbusTcpSimulator simulator;
    private ModbusDriver driver;
    private Fixtures.RunningEngine engine;
    private String[] names;

    /** Modbus requests sent and rounds of 10,000 sections, per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Requests {
        public long requests;
        public long rounds;

        @Setup(Level.Iteration)
        public void reset() {
            requests = 0;
            rounds = 0;
        }
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        simulator = new ModbusTcpSimulator(Fixtures.holdingRegisterImage(REGISTERS), ModbusTcpSimulator.Options.loopback());
        // the shipped queueCapacity (1,000 batches): the engine's window of batches per driver keeps it from overflowing
        ConnectionSettings connection = ConnectionSettings.tcp("bench", "127.0.0.1", simulator.port()).withUnits(Set.of(1));
        driver = new ModbusDriver(connection);
        EngineSettings engineSettings = switch (settings) {
            case "defaults" -> Fixtures.defaultSettings();
            default -> throw new IllegalArgumentException("settings must be defaults, was " + settings);
        };
        engine = new Fixtures.RunningEngine("bench-joining", engineSettings)
                .add(driver, connection.pathpointPattern(), "bench");
        names = Fixtures.holdingRegisterNames(Fixtures.scatteredAddresses(SECTIONS, REGISTERS, Fixtures.SEED));
    }

    @TearDown(Level.Trial)
    public void stop() {
        engine.close();
        driver.close();
        simulator.close();
    }

    @Benchmark
    public Section[] tenThousandSections(Requests counters) {
        Section[] sections = new Section[SECTIONS];
        for (int i = 0; i < SECTIONS; i++) {
            sections[i] = new Section(List.of(new ReadOrder(names[i], AdviseLevel.ADVISE)), disposition);
        }
        long before = driver.connection().transactions();
        engine.engine.execute(sections);
        Fixtures.awaitAll(sections, 120);
        counters.requests += driver.connection().transactions() - before;
        counters.rounds++;
        return sections;
    }
}
