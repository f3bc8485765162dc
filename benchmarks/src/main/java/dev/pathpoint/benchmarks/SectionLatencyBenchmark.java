package dev.pathpoint.benchmarks;

import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.modbus.internal.ConnectionSettings;
import dev.pathpoint.modbus.internal.ModbusDriver;
import dev.pathpoint.modbus.internal.sim.ModbusTcpSimulator;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * An idle engine's latency for one section: one read of the embedded simulator, through the engine
 * with its shipped defaults and the Modbus driver, queued and awaited one at a time, so the engine
 * has nothing else to do. The same source runs against earlier versions of the engine, to compare.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SectionLatencyBenchmark {
    private ModbusTcpSimulator simulator;
    private ModbusDriver driver;
    private Fixtures.RunningEngine engine;

    @Setup(Level.Trial)
    public void start() throws Exception {
        simulator = new ModbusTcpSimulator(Fixtures.holdingRegisterImage(100), ModbusTcpSimulator.Options.loopback());
        ConnectionSettings settings = ConnectionSettings.tcp("bench", "127.0.0.1", simulator.port()).withUnits(Set.of(1));
        driver = new ModbusDriver(settings);
        engine = new Fixtures.RunningEngine("bench-latency", Fixtures.defaultSettings())
                .add(driver, settings.pathpointPattern(), "bench");
    }

    @TearDown(Level.Trial)
    public void stop() {
        engine.close();
        driver.close();
        simulator.close();
    }

    @Benchmark
    public Section oneReadSection() {
        Section section = Section.of(new ReadOrder("W1r7", AdviseLevel.ADVISE));
        engine.engine.execute(section);
        Fixtures.awaitAll(new Section[] {section}, 10);
        return section;
    }
}
