package dev.pathpoint.benchmarks;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.ReadOperation;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.modbus.internal.ConnectionSettings;
import dev.pathpoint.modbus.internal.ModbusDriver;
import dev.pathpoint.modbus.internal.sim.ModbusTcpSimulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The anchor of comparison 4: the same 10,000 reads as {@link JoiningBenchmark}, handed to the Modbus
 * driver directly as one batch (no engine, no sections): what "the driver sees everything runnable
 * at once" costs at best. One operation = all 10,000 reads done.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
public class JoiningAnchorBenchmark {
    private ModbusTcpSimulator simulator;
    private ModbusDriver driver;
    private String[] names;

    @Setup
    public void start() throws Exception {
        simulator = new ModbusTcpSimulator(Fixtures.holdingRegisterImage(JoiningBenchmark.REGISTERS),
                ModbusTcpSimulator.Options.loopback());
        driver = new ModbusDriver(ConnectionSettings.tcp("anchor", "127.0.0.1", simulator.port()).withUnits(Set.of(1)));
        names = Fixtures.holdingRegisterNames(Fixtures.scatteredAddresses(JoiningBenchmark.SECTIONS,
                JoiningBenchmark.REGISTERS, Fixtures.SEED));
    }

    @TearDown
    public void stop() {
        driver.close();
        simulator.close();
    }

    @Benchmark
    public long driverOneBatch(JoiningBenchmark.Requests counters) throws Exception {
        List<DriverOperation> batch = new ArrayList<>(names.length);
        CompletableFuture<?>[] done = new CompletableFuture<?>[names.length];
        for (int i = 0; i < names.length; i++) {
            ReadOperation read = new ReadOperation(names[i], PathpointType.UNSIGNED_16);
            batch.add(read);
            done[i] = read.completion().toCompletableFuture();
        }
        long before = driver.connection().transactions();
        driver.execute(batch);
        CompletableFuture.allOf(done).get(120, TimeUnit.SECONDS);
        counters.requests += driver.connection().transactions() - before;
        counters.rounds++;
        return counters.requests;
    }
}
