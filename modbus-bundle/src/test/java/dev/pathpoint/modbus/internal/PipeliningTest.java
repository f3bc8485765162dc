package dev.pathpoint.modbus.internal;

import static dev.pathpoint.modbus.internal.Ops.failure;
import static dev.pathpoint.modbus.internal.Ops.read;
import static dev.pathpoint.modbus.internal.Ops.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.ReadOperation;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.modbus.internal.name.Area;
import dev.pathpoint.modbus.internal.plan.PlanningLimits;
import dev.pathpoint.modbus.internal.sim.ModbusTcpSimulator;
import dev.pathpoint.modbus.internal.sim.SimulatorImage;
import dev.pathpoint.testing.FreePorts;
import dev.pathpoint.testing.PymodbusServer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several MBAP transactions outstanding on one TCP connection, answers matched by transaction id. */
class PipeliningTest {
    private static final PlanningLimits NO_MASK_WRITE = new PlanningLimits(125, 2000, 10, 64, 123, 1968, true, false);
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        Collections.reverse(resources);
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private ModbusDriver driver(ConnectionSettings settings) {
        ModbusDriver driver = new ModbusDriver(settings);
        resources.add(driver);
        return driver;
    }

    /** Reads registers far apart (one request each) in one batch. */
    private static List<ReadOperation> farApart(int unit, int... addresses) {
        List<ReadOperation> reads = new ArrayList<>();
        for (int address : addresses) {
            reads.add(read("W" + unit + "r" + address));
        }
        return reads;
    }

    private static void execute(ModbusDriver driver, List<? extends DriverOperation> operations) {
        driver.execute(List.copyOf(operations));
    }

    /** A device that answers only once 8 requests wait, and then in reverse order: only a pipelined, id-matching driver gets through. */
    @Test
    void answersInAnyOrderAreMatchedToTheirRequestsByTransactionId() throws Exception {
        List<byte[]> waiting = new ArrayList<>();
        ScriptedServer server = new ScriptedServer(request -> {
            int address = ((request[8] & 0xFF) << 8) | (request[9] & 0xFF);
            waiting.add(ScriptedServer.reply(request, (byte) 3, (byte) 2, (byte) (address >> 8), (byte) (address + 1)));
            if (waiting.size() < 8) {
                return null;
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = waiting.size() - 1; i >= 0; i--) {
                all.writeBytes(waiting.get(i));
            }
            waiting.clear();
            return all.toByteArray();
        });
        resources.add(server);
        ModbusDriver driver = driver(ConnectionSettings.tcp("reversing", "127.0.0.1", server.port()).withMaxOutstandingRequests(8));
        List<ReadOperation> reads = farApart(1, 0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000, 2200, 2400, 2600, 2800, 3000);
        execute(driver, reads);
        for (ReadOperation operation : reads) {
            int address = Integer.parseInt(operation.pathpoint().substring(3));
            assertEquals(PathpointValue.of(((address >> 8) << 8) | ((address + 1) & 0xFF)), value(operation), operation.pathpoint());
        }
        assertEquals(16, driver.connection().transactions());
        assertEquals(0, driver.connection().staleFrames());
        assertEquals(1, server.accepted());
    }

    @Test
    void concurrentBatchesGetTheValuesOfTheirOwnAddressesFromTheSimulator() throws Exception {
        IntUnaryOperator valueAt = address -> (address * 7 + 3) & 0xFFFF;
        SimulatorImage image = new SimulatorImage().define(Area.HOLDING_REGISTER, "0-4999").define(Area.INPUT_REGISTER, "0-4999");
        for (int address = 0; address < 5000; address++) {
            image.write(Area.HOLDING_REGISTER, address, new int[] {valueAt.applyAsInt(address)});
            image.write(Area.INPUT_REGISTER, address, new int[] {valueAt.applyAsInt(address) ^ 0x5555});
        }
        ModbusTcpSimulator simulator = new ModbusTcpSimulator(image, ModbusTcpSimulator.Options.loopback());
        resources.add(simulator);
        ModbusDriver driver = driver(ConnectionSettings.tcp("sim", "127.0.0.1", simulator.port()).withMaxOutstandingRequests(8));
        matchUnderConcurrency(driver, 5000, valueAt, address -> valueAt.applyAsInt(address) ^ 0x5555);
        assertTrue(driver.connection().transactions() > 0);
    }

    @Test
    void concurrentBatchesGetTheValuesOfTheirOwnAddressesFromPymodbus() throws Exception {
        int port = FreePorts.pick();
        PymodbusServer server = PymodbusDevice.tcp("tcp", port);
        resources.add(server);
        ModbusDriver driver = driver(ConnectionSettings.tcp("pymodbus", "127.0.0.1", port).withLimits(NO_MASK_WRITE)
                .withMaxOutstandingRequests(8));
        // pymodbus_server.py: holding registers 0-99 hold address * 3, input registers 0-99 hold 1000 + address
        matchUnderConcurrency(driver, 100, address -> address * 3, address -> 1000 + address);
    }

    /**
     * pymodbus 3.0.0 serves pipelined requests: with no register gap allowed, every other register is a
     * request of its own, so one batch puts 8 on the wire at a time, and every answer is the right one.
     */
    @Test
    void pymodbusAnswersRequestsPipelinedEightDeep() throws Exception {
        int port = FreePorts.pick();
        PymodbusServer server = PymodbusDevice.tcp("tcp", port);
        resources.add(server);
        PlanningLimits noGap = new PlanningLimits(125, 2000, 0, 0, 123, 1968, true, false);
        ModbusDriver driver = driver(ConnectionSettings.tcp("pymodbus", "127.0.0.1", port).withLimits(noGap)
                .withMaxOutstandingRequests(8));
        List<ReadOperation> reads = new ArrayList<>();
        for (int address = 0; address < 100; address += 2) {
            reads.add(read("W1r" + address));
        }
        execute(driver, reads);
        for (ReadOperation operation : reads) {
            assertEquals(PathpointValue.of(Integer.parseInt(operation.pathpoint().substring(3)) * 3), value(operation),
                    operation.pathpoint());
        }
        assertEquals(50, driver.connection().transactions(), "one request per register");
        assertEquals(0, driver.connection().staleFrames());
    }

    /** 4 threads, 50 batches each of up to 40 scattered reads of both register areas; every value must be its address's. */
    private static void matchUnderConcurrency(ModbusDriver driver, int registers, IntUnaryOperator holding, IntUnaryOperator input)
            throws Exception {
        ExecutorService producers = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<ReadOperation>>> issued = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                Random random = new Random(17L * p + 1);
                issued.add(producers.submit(() -> {
                    List<ReadOperation> all = new ArrayList<>();
                    for (int batch = 0; batch < 50; batch++) {
                        List<ReadOperation> reads = new ArrayList<>();
                        java.util.Set<String> names = new java.util.HashSet<>();
                        int count = 1 + random.nextInt(40);
                        for (int i = 0; i < count; i++) {
                            String name = (random.nextBoolean() ? "W1r" : "W1i") + random.nextInt(registers);
                            if (names.add(name)) {
                                reads.add(read(name)); // a batch never holds one pathpoint twice
                            }
                        }
                        execute(driver, reads);
                        all.addAll(reads);
                    }
                    return all;
                }));
            }
            int checked = 0;
            for (Future<List<ReadOperation>> producer : issued) {
                for (ReadOperation operation : producer.get(60, TimeUnit.SECONDS)) {
                    int address = Integer.parseInt(operation.pathpoint().substring(3));
                    int expected = operation.pathpoint().charAt(2) == 'r' ? holding.applyAsInt(address) : input.applyAsInt(address);
                    assertEquals(PathpointValue.of(expected), value(operation), operation.pathpoint());
                    checked++;
                }
            }
            assertTrue(checked > 1000, checked + " reads checked");
            assertEquals(0, driver.connection().staleFrames(), "no answer went unclaimed");
        } finally {
            producers.shutdownNow();
        }
    }

    /** Every way a pipelined request can end maps to the same reason as one at a time, and its neighbours are not affected. */
    @Test
    void failuresMapToTheSameReasonsWhenPipelined() throws Exception {
        List<byte[]> lateAnswers = new ArrayList<>();
        ScriptedServer server = new ScriptedServer(request -> {
            int unit = request[6] & 0xFF;
            int address = ((request[8] & 0xFF) << 8) | (request[9] & 0xFF);
            byte[] good = ScriptedServer.reply(request, (byte) 3, (byte) 2, (byte) 0, (byte) (address / 100));
            if (unit == 9) {
                lateAnswers.add(good); // answered only before the answer to register 800, long after its time-out
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (address == 800) {
                lateAnswers.forEach(out::writeBytes);
                lateAnswers.clear();
            }
            out.writeBytes(switch (address) {
                case 200 -> ScriptedServer.reply(request, (byte) 0x83, (byte) 0x02);
                case 300 -> ScriptedServer.reply(request, (byte) 0x83, (byte) 0x04);
                case 400 -> ScriptedServer.reply(request, (byte) 0x83, (byte) 0x01);
                case 500 -> ScriptedServer.reply(request, (byte) 4, (byte) 2, (byte) 0, (byte) 5);
                case 600 -> ScriptedServer.reply(request, (byte) 3, (byte) 2, (byte) 0);
                default -> good;
            });
            return out.toByteArray();
        });
        resources.add(server);
        ModbusDriver driver = driver(ConnectionSettings.tcp("failing", "127.0.0.1", server.port()).withTimeouts(300, 0, 0)
                .withMaxOutstandingRequests(8));
        ReadOperation silent = read("W9r100");
        List<ReadOperation> reads = farApart(1, 100, 200, 300, 400, 500, 600, 700);
        List<DriverOperation> batch = new ArrayList<>(reads);
        batch.add(0, silent);
        execute(driver, batch);
        assertEquals(PathpointValue.of(1), value(reads.get(0)));
        assertTrue(failure(reads.get(1), OperationFailedReason.INVALID).getMessage().contains("exception 02"));
        assertTrue(failure(reads.get(2), OperationFailedReason.TIMEOUT).getMessage().contains("exception 04"));
        assertTrue(failure(reads.get(3), OperationFailedReason.INVALID).getMessage().contains("exception 01"));
        assertTrue(failure(reads.get(4), OperationFailedReason.MALFORMED).getMessage().contains("function code"));
        assertTrue(failure(reads.get(5), OperationFailedReason.MALFORMED).getMessage().contains("cut short"));
        assertEquals(PathpointValue.of(7), value(reads.get(6)));
        assertTrue(failure(silent, OperationFailedReason.TIMEOUT).getMessage().contains("no answer within 300 ms"));

        ReadOperation after = read("W1r800");
        execute(driver, List.of(after));
        assertEquals(PathpointValue.of(8), value(after));
        assertEquals(1, driver.connection().staleFrames(), "the late answer for unit 9 arrived and was dropped");
        assertEquals(1, server.accepted(), "nothing closed the connection");
    }
}
