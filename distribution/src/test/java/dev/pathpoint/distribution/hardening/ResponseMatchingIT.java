package dev.pathpoint.distribution.hardening;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.distribution.it.RuntimeOptions;
import dev.pathpoint.distribution.it.TestConfig;
import dev.pathpoint.testing.FreePorts;
import dev.pathpoint.testing.PymodbusServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Many concurrent sections, from several producer threads, read random holding registers across
 * three pymodbus devices with two unit ids each (six units), some addresses close enough to be merged
 * into one request and scattered back, others far apart. Every device holds unit * 1000 + address at
 * each address, so a value read says which unit and address answered: every read must get exactly
 * the value of its own unit and address, never another request's. Run once with one transaction at a
 * time per connection, and once pipelined ({@code maxOutstandingRequests} 8, answers matched by MBAP
 * transaction id) with the embedded simulator as a fourth device (unit 8).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ResponseMatchingIT {
    private static final int[][] PYMODBUS_UNITS = {{2, 3}, {4, 5}, {6, 7}};
    private static final int SIMULATOR_UNIT = 8;
    private static final int ADDRESSES = 300;
    private static final int PRODUCERS = 4;
    private static final int SECTIONS_PER_PRODUCER = 150;
    private static final int MAX_READS_PER_SECTION = 12;
    private static final Duration COMPLETION_LIMIT = Duration.ofSeconds(120);

    @Inject
    BundleContext context;
    @Inject
    ConfigurationAdmin configurationAdmin;

    private final List<PymodbusServer> devices = new ArrayList<>();
    private final List<org.osgi.service.cm.Configuration> connections = new ArrayList<>();
    private org.osgi.service.cm.Configuration simulator;
    private int[][] unitsByDevice = PYMODBUS_UNITS;
    private ExecutorService producers;

    @Configuration
    public Option[] config() {
        return new Option[] {RuntimeOptions.runtime(TestConfig.copyOfDefaultConfig())};
    }

    @After
    public void tearDown() throws Exception {
        if (producers != null) {
            producers.shutdownNow();
        }
        Rig rig = new Rig(context, configurationAdmin);
        for (int i = 0; i < connections.size(); i++) {
            rig.removeConnection(connections.get(i), "matching-" + i);
        }
        devices.forEach(PymodbusServer::close);
        if (simulator != null) {
            simulator.delete();
        }
    }

    @Test
    public void everyReadGetsTheValueOfItsOwnUnitAndAddress() throws Exception {
        matchResponses(Map.of(), false, 0.5);
    }

    @Test
    public void everyPipelinedReadGetsTheValueOfItsOwnUnitAndAddress() throws Exception {
        matchResponses(Map.of("maxOutstandingRequests", 8), true, 0.5);
    }

    private void matchResponses(Map<String, Object> connectionSettings, boolean withSimulator, double soakShare) throws Exception {
        Rig rig = new Rig(context, configurationAdmin);
        // a small gap limit and read size, so that some reads merge and others split
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("maxRegisterGap", 4, "maxReadRegisters", 16,
                "responseTimeoutMillis", 2000));
        settings.putAll(connectionSettings);
        for (int d = 0; d < PYMODBUS_UNITS.length; d++) {
            int[] units = PYMODBUS_UNITS[d];
            PymodbusServer device = ModbusDevice.start(units);
            devices.add(device);
            connections.add(rig.addConnection("matching-" + d, device.port(), units[0] + "," + units[1], settings));
        }
        if (withSimulator) {
            int port = FreePorts.pick();
            simulator = configurationAdmin.getFactoryConfiguration("dev.pathpoint.modbus.simulator", "matching", "?");
            java.util.Hashtable<String, Object> image = new java.util.Hashtable<>();
            image.put("port", port);
            image.put("unitIds", String.valueOf(SIMULATOR_UNIT));
            StringBuilder values = new StringBuilder("0=");
            for (int address = 0; address < ADDRESSES; address++) {
                values.append(address == 0 ? "" : ",").append(ModbusDevice.valueAt(SIMULATOR_UNIT, address));
            }
            image.put("holdingRegisterValues", new String[] {values.toString()});
            simulator.update(image);
            connections.add(rig.addConnection("matching-" + PYMODBUS_UNITS.length, port, String.valueOf(SIMULATOR_UNIT), settings));
            unitsByDevice = new int[][] {PYMODBUS_UNITS[0], PYMODBUS_UNITS[1], PYMODBUS_UNITS[2], {SIMULATOR_UNIT, SIMULATOR_UNIT}};
        }
        OrderExecutor executor = rig.executor();
        producers = Executors.newFixedThreadPool(PRODUCERS);
        long soakEnd = Soak.until(soakShare);
        long reads = 0;
        int rounds = 0;
        do {
            reads += runRound(executor, rounds++);
        } while (System.nanoTime() < soakEnd);
        System.out.printf("%d rounds, %d reads, every value matched its unit and address%n", rounds, reads);
    }

    private long runRound(OrderExecutor executor, int round) throws Exception {
        List<Future<List<Section>>> issued = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            Random random = new Random(round * 31L + p);
            issued.add(producers.submit(() -> {
                List<Section> sections = new ArrayList<>();
                for (int s = 0; s < SECTIONS_PER_PRODUCER; s++) {
                    Section section = new Section(randomReads(random));
                    sections.add(section);
                    executor.execute(section);
                }
                return sections;
            }));
        }
        List<Section> all = new ArrayList<>();
        for (Future<List<Section>> producer : issued) {
            all.addAll(producer.get(COMPLETION_LIMIT.toSeconds(), TimeUnit.SECONDS));
        }
        Await.until("every section future to complete", COMPLETION_LIMIT, () -> all.stream().allMatch(s -> s.future().isDone()));
        long reads = 0;
        for (Section section : all) {
            SectionResult result = section.future().get();
            for (int i = 0; i < section.orders().size(); i++) {
                String pathpoint = ((ReadOrder) section.orders().get(i)).pathpoint();
                OrderOutcome outcome = result.outcome(i);
                assertTrue(pathpoint + ": " + outcome, outcome instanceof OrderOutcome.Done);
                assertEquals(pathpoint, expected(pathpoint), ((OrderOutcome.Done) outcome).value().orElseThrow());
                reads++;
            }
        }
        return reads;
    }

    private List<Order> randomReads(Random random) {
        int count = 1 + random.nextInt(MAX_READS_PER_SECTION);
        List<Order> reads = new ArrayList<>();
        int[] units = unitsByDevice[random.nextInt(unitsByDevice.length)];
        int base = random.nextInt(250);
        for (int i = 0; i < count; i++) {
            // mostly one device and a cluster of nearby addresses (merged reads), sometimes anywhere
            boolean scattered = random.nextInt(4) == 0;
            int[] deviceUnits = scattered ? unitsByDevice[random.nextInt(unitsByDevice.length)] : units;
            int unit = deviceUnits[random.nextInt(2)];
            int address = scattered ? random.nextInt(ADDRESSES) : base + random.nextInt(50);
            reads.add(new ReadOrder("W" + unit + "r" + address, AdviseLevel.FORCE));
        }
        Collections.shuffle(reads, random);
        return reads;
    }

    private static PathpointValue expected(String pathpoint) {
        int area = pathpoint.indexOf('r');
        int unit = Integer.parseInt(pathpoint.substring(1, area));
        int address = Integer.parseInt(pathpoint.substring(area + 1));
        return PathpointValue.of(ModbusDevice.valueAt(unit, address));
    }
}
