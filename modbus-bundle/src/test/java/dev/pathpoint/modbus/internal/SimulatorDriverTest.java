package dev.pathpoint.modbus.internal;

import static dev.pathpoint.modbus.internal.Ops.failure;
import static dev.pathpoint.modbus.internal.Ops.read;
import static dev.pathpoint.modbus.internal.Ops.readValue;
import static dev.pathpoint.modbus.internal.Ops.run;
import static dev.pathpoint.modbus.internal.Ops.value;
import static dev.pathpoint.modbus.internal.Ops.write;
import static dev.pathpoint.modbus.internal.Ops.writeValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.driver.ReadOperation;
import dev.pathpoint.api.driver.WriteOperation;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.modbus.internal.link.DeviceException;
import dev.pathpoint.modbus.internal.link.LinkCounters;
import dev.pathpoint.modbus.internal.link.MbapLink;
import dev.pathpoint.modbus.internal.link.Pdus;
import dev.pathpoint.modbus.internal.link.SocketStream;
import dev.pathpoint.modbus.internal.name.Area;
import dev.pathpoint.modbus.internal.name.RegisterOrder;
import dev.pathpoint.modbus.internal.plan.PlanningLimits;
import dev.pathpoint.modbus.internal.sim.ModbusTcpSimulator;
import dev.pathpoint.modbus.internal.sim.SimulatorImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The driver against the embedded simulator over loopback TCP. */
class SimulatorDriverTest {
    private ModbusTcpSimulator simulator;
    private ModbusDriver driver;

    @BeforeEach
    void start() throws Exception {
        SimulatorImage image = new SimulatorImage()
                .define(Area.HOLDING_REGISTER, "0-99,200-299")
                .define(Area.INPUT_REGISTER, "0-99")
                .define(Area.COIL, "0-99")
                .define(Area.DISCRETE_INPUT, "0-99")
                .load(Area.INPUT_REGISTER, "0=65535,0x8001")
                .load(Area.INPUT_REGISTER, "10=0x3FC0,0")
                .load(Area.INPUT_REGISTER, "20=0x3FF0,0,0,1")
                .load(Area.INPUT_REGISTER, "30=0x4142,0x4300")
                .load(Area.DISCRETE_INPUT, "3=1,0,1")
                .load(Area.COIL, "4=1");
        simulator = new ModbusTcpSimulator(image, ModbusTcpSimulator.Options.loopback());
        driver = new ModbusDriver(ConnectionSettings.tcp("sim", "127.0.0.1", simulator.port()).withUnits(Set.of(1, 7)));
    }

    @AfterEach
    void stop() {
        driver.close();
        simulator.close();
    }

    @Test
    void readsEveryAreaAndType() {
        assertEquals(PathpointValue.of(65535), readValue(driver, "W1i0"));
        assertEquals(PathpointValue.of(-1), readValue(driver, "w1i0"));
        assertEquals(PathpointValue.of(1), readValue(driver, "B1i1.15"));
        assertEquals(PathpointValue.of(0), readValue(driver, "B1i1.14"));
        assertEquals(PathpointValue.of(1.5), readValue(driver, "f1i10"));
        assertEquals(PathpointValue.of(Double.longBitsToDouble(0x3FF0000000000001L)), readValue(driver, "d1i20"));
        assertEquals(PathpointValue.of("ABC"), readValue(driver, "u1i30#2"));
        assertEquals(PathpointValue.of(1), readValue(driver, "B1d3"));
        assertEquals(PathpointValue.of(0), readValue(driver, "B1d4"));
        assertEquals(PathpointValue.of(1), readValue(driver, "B1c4"));
        assertEquals(PathpointValue.of(0), readValue(driver, "W1r0"));
    }

    @ParameterizedTest
    @EnumSource(RegisterOrder.class)
    void writesAndReadsInEveryOrder(RegisterOrder order) {
        writeValue(driver, "f1r10@" + order, PathpointValue.of(1.5));
        int[] expected = order.toRegisters(new byte[] {0x3F, (byte) 0xC0, 0, 0});
        assertEquals(expected[0], simulator.image().get(Area.HOLDING_REGISTER, 10));
        assertEquals(expected[1], simulator.image().get(Area.HOLDING_REGISTER, 11));
        assertEquals(PathpointValue.of(1.5), readValue(driver, "f1r10@" + order));
        writeValue(driver, "d1r20@" + order, PathpointValue.of(-2.75e100));
        assertEquals(PathpointValue.of(-2.75e100), readValue(driver, "d1r20@" + order));

        ModbusDriver ordered = new ModbusDriver(driver.settings().withOrder(order));
        try {
            assertEquals(PathpointValue.of(1.5), readValue(ordered, "f1r10"));
            assertEquals(PathpointValue.of(-2.75e100), readValue(ordered, "d1r20"));
        } finally {
            ordered.close();
        }
    }

    @Test
    void writesStringsAndRefusesValuesNotOfThePathpointsType() {
        writeValue(driver, "u1r40#3", PathpointValue.of("Hello"));
        assertEquals(0x4865, simulator.image().get(Area.HOLDING_REGISTER, 40));
        assertEquals(0x6F00, simulator.image().get(Area.HOLDING_REGISTER, 42));
        assertEquals(PathpointValue.of("Hello"), readValue(driver, "u1r40#3"));
        writeValue(driver, "W1r45", PathpointValue.of(65535));
        assertEquals(65535, simulator.image().get(Area.HOLDING_REGISTER, 45));
        // the executor converts written values (70000 becomes 65535 there); a driver called directly converts nothing
        long writesBefore = simulator.requests(5) + simulator.requests(6) + simulator.requests(15) + simulator.requests(16);
        WriteOperation tooLarge = write("W1r45", PathpointValue.of(70000));
        WriteOperation notANumber = write("W1r46", PathpointValue.of("many"));
        WriteOperation notABit = write("B1c3", PathpointValue.of(2));
        WriteOperation fine = write("W1r47", PathpointValue.of(7));
        run(driver, tooLarge, notANumber, notABit, fine);
        assertEquals("pathpoint 'W1r45' takes a whole number 0..65535, not 70000: a written value must arrive converted to "
                + "the pathpoint's type", failure(tooLarge, OperationFailedReason.TYPE).getMessage());
        failure(notANumber, OperationFailedReason.TYPE);
        failure(notABit, OperationFailedReason.TYPE);
        assertEquals(PathpointValue.of(7), value(fine), "the rest of the batch goes on");
        assertEquals(7, simulator.image().get(Area.HOLDING_REGISTER, 47));
        assertEquals(writesBefore + 1, simulator.requests(5) + simulator.requests(6) + simulator.requests(15)
                + simulator.requests(16), "only the good write was sent");
        assertEquals(65535, simulator.image().get(Area.HOLDING_REGISTER, 45));
    }

    @Test
    void bitWritesUseMaskWriteOrReadModifyWrite() {
        writeValue(driver, "B1r50.3", PathpointValue.of(1));
        writeValue(driver, "B1r50.0", PathpointValue.of(1));
        assertEquals(0b1001, simulator.image().get(Area.HOLDING_REGISTER, 50));
        assertEquals(2, simulator.requests(22));
        assertEquals(PathpointValue.of(1), readValue(driver, "B1r50.3"));

        ModbusDriver noMask = new ModbusDriver(driver.settings().withLimits(
                new PlanningLimits(125, 2000, 10, 64, 123, 1968, true, false)));
        try {
            long reads = simulator.requests(3);
            WriteOperation clear = write("B1r50.3", PathpointValue.of(0));
            WriteOperation set = write("B1r50.8", PathpointValue.of(1));
            run(noMask, clear, set);
            value(clear);
            value(set);
            assertEquals(0b1_0000_0001, simulator.image().get(Area.HOLDING_REGISTER, 50));
            assertEquals(2, simulator.requests(22), "no mask write without FC22");
            assertEquals(reads + 1, simulator.requests(3), "one read for both bits of the register");
            assertEquals(1, simulator.requests(6));
        } finally {
            noMask.close();
        }
        writeValue(driver, "B1c7", PathpointValue.of(1));
        assertEquals(1, simulator.image().get(Area.COIL, 7));
        assertEquals(1, simulator.requests(5));
    }

    @Test
    void adjacentWritesAreMergedIntoOneRequest() {
        List<WriteOperation> writes = List.of(write("W1r60", PathpointValue.of(1)), write("w1r61", PathpointValue.of(-2)),
                write("f1r62", PathpointValue.of(0.5)), write("B1c10", PathpointValue.of(1)), write("B1c11", PathpointValue.of(1)));
        driver.execute(new ArrayList<>(writes));
        writes.forEach(Ops::value);
        assertEquals(1, simulator.requests(16));
        assertEquals(0, simulator.requests(6));
        assertEquals(1, simulator.requests(15));
        assertEquals(0xFFFE, simulator.image().get(Area.HOLDING_REGISTER, 61));
        assertEquals(0x3F00, simulator.image().get(Area.HOLDING_REGISTER, 62));
        assertEquals(1, simulator.image().get(Area.COIL, 11));
    }

    @Test
    void readsAreMergedIntoFewRequests() {
        List<ReadOperation> reads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            reads.add(read("W1i" + (i * 3)));
        }
        reads.add(read("B1d3"));
        reads.add(read("B1d5"));
        driver.execute(new ArrayList<>(reads));
        reads.forEach(Ops::value);
        assertEquals(1, simulator.requests(4));
        assertEquals(1, simulator.requests(2));
    }

    @Test
    void holeIsRememberedAfterException02() {
        ReadOperation low = read("W1r95");
        ReadOperation high = read("W1r205");
        driver.reconfigure(driver.settings().withLimits(new PlanningLimits(125, 2000, 125, 64, 123, 1968, true, true)));
        run(driver, low, high);
        assertEquals(PathpointValue.of(0), value(low));
        assertEquals(PathpointValue.of(0), value(high));
        assertEquals(3, simulator.requests(3), "one merged read answered 02, then its two halves");

        ReadOperation lowAgain = read("W1r95");
        ReadOperation highAgain = read("W1r205");
        run(driver, lowAgain, highAgain);
        value(lowAgain);
        value(highAgain);
        assertEquals(5, simulator.requests(3), "the hole is not merged over again");

        ReadOperation bad = read("W1r150");
        ReadOperation good = read("W1r99");
        run(driver, bad, good);
        assertTrue(failure(bad, OperationFailedReason.INVALID).getMessage().contains("illegal data address"));
        assertEquals(PathpointValue.of(0), value(good), "only the truly bad pathpoint fails");
    }

    @Test
    void exceptionAnswersMapToReasons() throws Exception {
        ReadOperation missing = read("W1r150");
        run(driver, missing);
        assertTrue(failure(missing, OperationFailedReason.INVALID).getMessage().contains("exception 02"));

        ReadOperation otherUnit = read("W7r0");
        run(driver, otherUnit);
        assertTrue(failure(otherUnit, OperationFailedReason.TIMEOUT).getMessage().contains("exception 0B"));

        try (MbapLink link = new MbapLink(new SocketStream("127.0.0.1", simulator.port()), 1000, new LinkCounters())) {
            link.open();
            DeviceException tooMany = org.junit.jupiter.api.Assertions.assertThrows(DeviceException.class,
                    () -> Pdus.registers(3, 126, link.exchange(1, new byte[] {3, 0, 0, 0, 126}, 1000)));
            assertEquals(3, tooMany.code());
            assertEquals(OperationFailedReason.INVALID, tooMany.reason());
            DeviceException unknownFunction = org.junit.jupiter.api.Assertions.assertThrows(DeviceException.class,
                    () -> Pdus.parse(0x41, link.exchange(1, new byte[] {0x41}, 1000)));
            assertEquals(1, unknownFunction.code());
            DeviceException tooManyBits = org.junit.jupiter.api.Assertions.assertThrows(DeviceException.class,
                    () -> Pdus.bits(1, 2001, link.exchange(1, new byte[] {1, 0, 0, 0x07, (byte) 0xD1}, 1000)));
            assertEquals(3, tooManyBits.code());
        }

        ModbusTcpSimulator noMask = new ModbusTcpSimulator(new SimulatorImage().define(Area.HOLDING_REGISTER, "0-9"),
                ModbusTcpSimulator.Options.loopback().withMaskWrites(false));
        ModbusDriver toNoMask = new ModbusDriver(ConnectionSettings.tcp("nomask", "127.0.0.1", noMask.port()));
        try {
            WriteOperation bit = write("B1r1.1", PathpointValue.of(1));
            run(toNoMask, bit);
            assertTrue(failure(bit, OperationFailedReason.INVALID).getMessage().contains("exception 01"));
        } finally {
            toNoMask.close();
            noMask.close();
        }
    }

    @Test
    void badOperationsFailInvalidWithoutTouchingTheDevice() {
        WriteOperation readOnly = write("W1i0", PathpointValue.of(1));
        WriteOperation discrete = write("B1d0", PathpointValue.of(1));
        ReadOperation badName = read("W1q0");
        ReadOperation reparse = new ReadOperation("rW1r0", dev.pathpoint.api.value.PathpointType.UNSIGNED_16);
        ReadOperation otherUnit = read("W3r0");
        run(driver, readOnly, discrete, badName, reparse, otherUnit);
        assertTrue(failure(readOnly, OperationFailedReason.INVALID).getMessage().contains("read-only"));
        failure(discrete, OperationFailedReason.INVALID);
        assertTrue(failure(badName, OperationFailedReason.INVALID).getMessage().contains("area letter 'q'"));
        failure(reparse, OperationFailedReason.INVALID);
        assertTrue(failure(otherUnit, OperationFailedReason.INVALID).getMessage().contains("unit 3 is not served"));
        for (int functionCode = 1; functionCode < 128; functionCode++) {
            assertEquals(0, simulator.requests(functionCode));
        }
    }
}
