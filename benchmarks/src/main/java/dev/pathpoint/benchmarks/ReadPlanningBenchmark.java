package dev.pathpoint.benchmarks;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.Register;
import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.ReadOperation;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.modbus.internal.ConnectionSettings;
import dev.pathpoint.modbus.internal.ModbusDriver;
import dev.pathpoint.modbus.internal.name.Area;
import dev.pathpoint.modbus.internal.plan.HoleMap;
import dev.pathpoint.modbus.internal.plan.PlanningLimits;
import dev.pathpoint.modbus.internal.plan.ReadItem;
import dev.pathpoint.modbus.internal.plan.ReadPlanner;
import dev.pathpoint.modbus.internal.sim.ModbusTcpSimulator;
import dev.pathpoint.testing.FreePorts;
import dev.pathpoint.testing.PymodbusServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Comparison 1: 1,000 pathpoints scattered (seeded) over holding registers 0..4999 of unit 1, read in
 * one section through the engine and the Modbus driver, against one j2mod request per pathpoint
 * (naive) and against the minimal request set issued directly with j2mod (hand-optimal). The engine
 * runs with its shipped defaults, without its dispatch spin, with the widest register gap, and with
 * {@value #PIPELINE_DEPTH} read requests outstanding (maxOutstandingRequests). One operation = reading
 * all 1,000 values once. The pipelined ways and the two anchors run in {@value #GOAL_FORKS} forks: on a
 * small virtual machine forks differ (one fork of enginePipelined on pymodbus read in 3.8-6.5 ms, while
 * three forks of the same code in another run had a median of 3.4 ms).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ReadPlanningBenchmark {
    static final int PATHPOINTS = 1_000;
    static final int REGISTERS = 5_000;
    static final int UNIT = 1;
    /** The widest register gap a read may span (a read covers at most 125 registers). */
    static final int WIDE_GAP = 125;
    /** Read requests outstanding at once on the pipelined connection (maxOutstandingRequests). */
    static final int PIPELINE_DEPTH = 8;
    /** Forks of the ways the pipelining goals compare (each fork starts its own server). */
    static final int GOAL_FORKS = 3;

    /** Where the registers live: the embedded simulator, or pymodbus (skipped by the runner if absent). */
    @Param({"simulator", "pymodbus"})
    public String server;

    private ModbusTcpSimulator simulator;
    private PymodbusServer pymodbus;
    private int[] addresses;
    private String[] names;
    private List<int[]> minimalRequests;
    private Fixtures.RunningEngine defaultEngine;
    private ModbusDriver defaultDriver;
    private Fixtures.RunningEngine noSpinEngine;
    private ModbusDriver noSpinDriver;
    private List<int[]> wideGapRequests;
    private Fixtures.RunningEngine wideGapEngine;
    private ModbusDriver wideGapDriver;
    private Fixtures.RunningEngine pipelinedEngine;
    private ModbusDriver pipelinedDriver;
    private ModbusDriver directDriver;
    private ModbusDriver directPipelinedDriver;
    private ModbusTCPMaster master;

    /** Requests sent and full reads done, per iteration (requests per read = requests / reads). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Requests {
        public long requests;
        public long reads;
        /** The minimal request count, added once per read, so that minimum / reads is the minimum. */
        public long minimum;

        @Setup(Level.Iteration)
        public void reset() {
            requests = 0;
            reads = 0;
            minimum = 0;
        }
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        int port;
        if ("simulator".equals(server)) {
            simulator = new ModbusTcpSimulator(Fixtures.holdingRegisterImage(REGISTERS), ModbusTcpSimulator.Options.loopback());
            port = simulator.port();
        } else if ("pymodbus".equals(server)) {
            // pymodbus_bench_server.py: unit 1 holds holding registers 0..REGISTERS-1, register n = n % 65536
            port = FreePorts.pick();
            pymodbus = PymodbusServer.start(ReadPlanningBenchmark.class.getResource("/pymodbus_bench_server.py"), port, port,
                    REGISTERS);
        } else {
            throw new IllegalArgumentException("server must be simulator or pymodbus, was " + server);
        }
        addresses = Fixtures.scatteredAddresses(PATHPOINTS, REGISTERS, Fixtures.SEED);
        names = Fixtures.holdingRegisterNames(addresses);
        PlanningLimits limits = PlanningLimits.DEFAULTS;
        minimalRequests = Fixtures.minimalRequests(addresses, limits.maxReadRegisters(), limits.maxRegisterGap());
        int plannerCount = plannerRequestCount(limits);
        if (plannerCount != minimalRequests.size()) {
            throw new IllegalStateException("the driver's planner makes " + plannerCount + " requests, the independent plan "
                    + minimalRequests.size());
        }
        System.out.printf("%n%d pathpoints over %d registers: minimal plan %d requests (gap <= %d, <= %d registers)%n",
                PATHPOINTS, REGISTERS, minimalRequests.size(), limits.maxRegisterGap(), limits.maxReadRegisters());

        ConnectionSettings settings = ConnectionSettings.tcp("bench", "127.0.0.1", port).withUnits(Set.of(UNIT));
        defaultDriver = new ModbusDriver(settings);
        defaultEngine = new Fixtures.RunningEngine("bench-default", Fixtures.defaultSettings())
                .add(defaultDriver, settings.pathpointPattern(), "bench");
        noSpinDriver = new ModbusDriver(settings);
        noSpinEngine = new Fixtures.RunningEngine("bench-nospin", Fixtures.settings("dispatchSpinMicros", 0L))
                .add(noSpinDriver, settings.pathpointPattern(), "bench");

        // the widest gap Modbus allows: fewer, longer requests (a device must answer reads of the unwanted
        // registers in between, which is why the shipped gap is 10)
        PlanningLimits wide = new PlanningLimits(limits.maxReadRegisters(), limits.maxReadBits(), WIDE_GAP, limits.maxBitGap(),
                limits.maxWriteRegisters(), limits.maxWriteCoils(), limits.multipleRegisterWrites(), limits.maskWrites());
        wideGapRequests = Fixtures.minimalRequests(addresses, wide.maxReadRegisters(), WIDE_GAP);
        if (plannerRequestCount(wide) != wideGapRequests.size()) {
            throw new IllegalStateException("with gap " + WIDE_GAP + " the driver's planner makes " + plannerRequestCount(wide)
                    + " requests, the independent plan " + wideGapRequests.size());
        }
        wideGapDriver = new ModbusDriver(settings.withLimits(wide));
        wideGapEngine = new Fixtures.RunningEngine("bench-widegap", Fixtures.defaultSettings())
                .add(wideGapDriver, settings.pathpointPattern(), "bench");

        // the shipped gap, several MBAP transactions outstanding (for devices and gateways that accept them)
        pipelinedDriver = new ModbusDriver(settings.withMaxOutstandingRequests(PIPELINE_DEPTH));
        pipelinedEngine = new Fixtures.RunningEngine("bench-pipelined", Fixtures.defaultSettings())
                .add(pipelinedDriver, settings.pathpointPattern(), "bench");

        directDriver = new ModbusDriver(settings);
        directPipelinedDriver = new ModbusDriver(settings.withMaxOutstandingRequests(PIPELINE_DEPTH));

        master = new ModbusTCPMaster("127.0.0.1", port, 3000, false, false);
        master.connect();

        // every way must read the right values before it is timed
        check("engine (defaults)", valuesOf(readThroughEngine(defaultEngine)));
        check("engine (no dispatch spin)", valuesOf(readThroughEngine(noSpinEngine)));
        check("engine (gap " + WIDE_GAP + ")", valuesOf(readThroughEngine(wideGapEngine)));
        check("engine (" + PIPELINE_DEPTH + " requests outstanding)", valuesOf(readThroughEngine(pipelinedEngine)));
        check("driver called directly", driverDirect(new Requests()));
        check("driver called directly, pipelined", driverPipelined(new Requests()));
        check("naive j2mod", naive(new Requests()));
        check("hand-optimal j2mod", handOptimal(new Requests()));
    }

    private int plannerRequestCount(PlanningLimits limits) {
        List<ReadItem<Integer>> items = new ArrayList<>();
        for (int address : addresses) {
            items.add(new ReadItem<>(address, UNIT, Area.HOLDING_REGISTER, address, 1));
        }
        return ReadPlanner.plan(items, limits, new HoleMap(16)).size();
    }

    private void check(String way, int[] values) {
        for (int i = 0; i < addresses.length; i++) {
            if (values[i] != addresses[i] % 65536) {
                throw new IllegalStateException(way + " read " + values[i] + " from register " + addresses[i]);
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        if (master != null) {
            master.disconnect();
        }
        for (AutoCloseable resource : new AutoCloseable[] {defaultEngine, defaultDriver, noSpinEngine, noSpinDriver, wideGapEngine, wideGapDriver,
                pipelinedEngine, pipelinedDriver, directDriver, directPipelinedDriver, simulator, pymodbus}) {
            if (resource != null) {
                resource.close();
            }
        }
    }

    private SectionResult readThroughEngine(Fixtures.RunningEngine engine) {
        List<Order> orders = new ArrayList<>(names.length);
        for (String name : names) {
            orders.add(new ReadOrder(name, AdviseLevel.ADVISE));
        }
        Section section = new Section(orders);
        engine.engine.execute(section);
        return Fixtures.await(section, 60);
    }

    private static int[] valuesOf(SectionResult result) {
        int[] values = new int[result.outcomes().size()];
        for (int i = 0; i < values.length; i++) {
            if (!(result.outcome(i) instanceof OrderOutcome.Done done)
                    || !(done.value().orElseThrow() instanceof PathpointValue.Whole whole)) {
                throw new IllegalStateException("order " + i + " ended " + result.outcome(i));
            }
            values[i] = (int) whole.value();
        }
        return values;
    }

    private SectionResult timedEngineRead(Fixtures.RunningEngine engine, ModbusDriver driver, Requests counters) {
        return timedEngineRead(engine, driver, counters, minimalRequests.size());
    }

    private SectionResult timedEngineRead(Fixtures.RunningEngine engine, ModbusDriver driver, Requests counters, int minimum) {
        long before = driver.connection().transactions();
        SectionResult result = readThroughEngine(engine);
        counters.requests += driver.connection().transactions() - before;
        counters.reads++;
        counters.minimum += minimum;
        return result;
    }

    /** The engine with its shipped defaults (driver batches of at most 1,000 operations, 2 in flight). */
    @Benchmark
    public SectionResult engineDefaults(Requests counters) {
        return timedEngineRead(defaultEngine, defaultDriver, counters);
    }

    /**
     * The engine with dispatchSpinMicros = 0: its dispatch thread parks as soon as it has nothing to do,
     * so every response burst pays a thread wake-up. Shows what the shipped spin buys.
     */
    @Benchmark
    public SectionResult engineNoSpin(Requests counters) {
        return timedEngineRead(noSpinEngine, noSpinDriver, counters);
    }

    /**
     * The engine with its shipped defaults over a connection configured with the widest register gap
     * (maxRegisterGap 125): what a user whose device answers reads of unwanted registers can get.
     */
    @Benchmark
    public SectionResult engineWideGap(Requests counters) {
        return timedEngineRead(wideGapEngine, wideGapDriver, counters, wideGapRequests.size());
    }

    /**
     * The engine with its shipped defaults over a connection with the shipped register gap and
     * maxOutstandingRequests {@value #PIPELINE_DEPTH}: the same 92 requests, several on the wire at once,
     * answers matched by transaction id.
     */
    @Benchmark
    @Fork(GOAL_FORKS)
    public SectionResult enginePipelined(Requests counters) {
        return timedEngineRead(pipelinedEngine, pipelinedDriver, counters);
    }

    /**
     * The Modbus driver called directly with all 1,000 reads in one batch, without the engine: tells the
     * engine's share of the time from the driver's (planning, its own Modbus TCP link, its thread).
     */
    @Benchmark
    public int[] driverDirect(Requests counters) throws InterruptedException {
        return readDirectly(directDriver, counters);
    }

    /** The same with maxOutstandingRequests {@value #PIPELINE_DEPTH}: what pipelining gains without the engine. */
    @Benchmark
    @Fork(GOAL_FORKS)
    public int[] driverPipelined(Requests counters) throws InterruptedException {
        return readDirectly(directPipelinedDriver, counters);
    }

    private int[] readDirectly(ModbusDriver directDriver, Requests counters) throws InterruptedException {
        long before = directDriver.connection().transactions();
        int[] values = new int[addresses.length];
        CountDownLatch done = new CountDownLatch(addresses.length);
        List<DriverOperation> batch = new ArrayList<>(addresses.length);
        for (int i = 0; i < addresses.length; i++) {
            int index = i;
            ReadOperation operation = new ReadOperation(names[i], PathpointType.UNSIGNED_16);
            operation.completion().whenComplete((value, failure) -> {
                values[index] = value instanceof PathpointValue.Whole whole ? (int) whole.value() : -1;
                done.countDown();
            });
            batch.add(operation);
        }
        directDriver.execute(batch);
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the driver did not complete the reads within 60 s");
        }
        counters.requests += directDriver.connection().transactions() - before;
        counters.reads++;
        counters.minimum += minimalRequests.size();
        return values;
    }

    /** One j2mod FC3 request per pathpoint, on one connection. */
    @Benchmark
    @Fork(GOAL_FORKS)
    public int[] naive(Requests counters) throws Exception {
        int[] values = new int[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            Register[] registers = master.readMultipleRegisters(UNIT, addresses[i], 1);
            values[i] = registers[0].getValue();
        }
        counters.requests += addresses.length;
        counters.reads++;
        counters.minimum += minimalRequests.size();
        return values;
    }

    /** The minimal request set (computed independently, checked equal to the planner's count), with j2mod. */
    @Benchmark
    @Fork(GOAL_FORKS)
    public int[] handOptimal(Requests counters) throws Exception {
        int[] image = new int[REGISTERS];
        for (int[] request : minimalRequests) {
            Register[] registers = master.readMultipleRegisters(UNIT, request[0], request[1]);
            for (int i = 0; i < registers.length; i++) {
                image[request[0] + i] = registers[i].getValue();
            }
        }
        int[] values = new int[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            values[i] = image[addresses[i]];
        }
        counters.requests += minimalRequests.size();
        counters.reads++;
        counters.minimum += minimalRequests.size();
        return values;
    }
}
