package dev.pathpoint.modbus.internal;

import static dev.pathpoint.modbus.internal.Ops.failure;
import static dev.pathpoint.modbus.internal.Ops.read;
import static dev.pathpoint.modbus.internal.Ops.readValue;
import static dev.pathpoint.modbus.internal.Ops.run;
import static dev.pathpoint.modbus.internal.Ops.value;
import static dev.pathpoint.modbus.internal.Ops.write;
import static dev.pathpoint.modbus.internal.Ops.writeValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import dev.pathpoint.modbus.internal.name.RegisterOrder;
import dev.pathpoint.modbus.internal.plan.PlanningLimits;
import dev.pathpoint.testing.FreePorts;
import dev.pathpoint.testing.PymodbusServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The driver against pymodbus 3.0.0 over Modbus TCP. pymodbus 3.0.0 does not answer FC22, so the
 * connection is configured as for a device without mask write (bits by read-modify-write).
 */
class PymodbusDriverTest {
    /** pymodbus' image: see pymodbus_server.py. */
    private static final PlanningLimits NO_MASK_WRITE = new PlanningLimits(125, 2000, 10, 64, 123, 1968, true, false);
    private static PymodbusServer server;
    private static int port;
    private ModbusDriver driver;

    @BeforeAll
    static void startServer() throws Exception {
        port = FreePorts.pick();
        server = PymodbusDevice.tcp("tcp", port);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void connect() {
        driver = new ModbusDriver(ConnectionSettings.tcp("pymodbus", "127.0.0.1", port).withLimits(NO_MASK_WRITE));
    }

    @AfterEach
    void disconnect() {
        driver.close();
    }

    @Test
    void readsEveryAreaAndType() {
        assertEquals(PathpointValue.of(15), readValue(driver, "W1r5"));
        assertEquals(PathpointValue.of(15), readValue(driver, "w2r5"));
        assertEquals(PathpointValue.of(1), readValue(driver, "B1r5.3"));
        assertEquals(PathpointValue.of(0), readValue(driver, "B1r5.4"));
        assertEquals(PathpointValue.of(1007), readValue(driver, "W1i7"));
        assertEquals(PathpointValue.of(1), readValue(driver, "B1i7.0"));
        // input registers 8-9 = 1008, 1009 = 0x03F0 0x03F1
        assertEquals(PathpointValue.of((double) Float.intBitsToFloat(0x03F003F1)), readValue(driver, "f1i8"));
        assertEquals(PathpointValue.of(Double.longBitsToDouble(0x03F003F103F203F3L)), readValue(driver, "d1i8"));
        assertEquals(PathpointValue.of("\u0003\u00f0\u0003\u00f1"), readValue(driver, "u1i8#2"));
        assertEquals(PathpointValue.of(1), readValue(driver, "B1c3"));
        assertEquals(PathpointValue.of(0), readValue(driver, "B1c4"));
        assertEquals(PathpointValue.of(1), readValue(driver, "B1d3"));
        assertEquals(PathpointValue.of(0), readValue(driver, "B1d4"));
    }

    @ParameterizedTest
    @EnumSource(RegisterOrder.class)
    void writesAndReadsInEveryOrder(RegisterOrder order) {
        int base = 10 + order.ordinal() * 6;
        writeValue(driver, "f1r" + base + "@" + order, PathpointValue.of(-1.5));
        int[] expected = order.toRegisters(new byte[] {(byte) 0xBF, (byte) 0xC0, 0, 0});
        assertEquals(PathpointValue.of(expected[0]), readValue(driver, "W1r" + base));
        assertEquals(PathpointValue.of(expected[1]), readValue(driver, "W1r" + (base + 1)));
        assertEquals(PathpointValue.of(-1.5), readValue(driver, "f1r" + base + "@" + order));
        writeValue(driver, "d1r" + (base + 2) + "@" + order, PathpointValue.of(Math.PI));
        assertEquals(PathpointValue.of(Math.PI), readValue(driver, "d1r" + (base + 2) + "@" + order));
    }

    /** 32- and 64-bit integers through pymodbus, in each order, exact beyond 2^53 and beyond the signed 64-bit range. */
    @ParameterizedTest
    @EnumSource(RegisterOrder.class)
    void wideIntegersRoundTripInEveryOrder(RegisterOrder order) {
        int base = 64 + order.ordinal() * 8;
        String u32 = "W1r" + base + ":32@" + order;
        writeValue(driver, u32, PathpointValue.of(0xFFFF_FFFAL));
        assertEquals(PathpointValue.of(0xFFFF_FFFAL), readValue(driver, u32));
        int[] registers = order.toRegisters(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFA});
        assertEquals(PathpointValue.of(registers[0]), readValue(driver, "W1r" + base), "register by register on the device");
        assertEquals(PathpointValue.of(registers[1]), readValue(driver, "W1r" + (base + 1)));
        assertEquals(PathpointValue.of(-6), readValue(driver, "w1r" + base + ":32@" + order), "the same bits, signed");

        java.math.BigInteger nearTop = java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.TWO);
        String u64 = "W1r" + base + ":64@" + order;
        writeValue(driver, u64, PathpointValue.of(nearTop));
        assertEquals(PathpointValue.of(nearTop), readValue(driver, u64), "2^64 - 2 exactly");
        assertEquals(PathpointValue.of(-2), readValue(driver, "w1r" + base + ":64@" + order));

        String s64 = "w1r" + (base + 4) + ":64@" + order;
        writeValue(driver, s64, PathpointValue.of(-9007199254740993L));
        assertEquals(PathpointValue.of(-9007199254740993L), readValue(driver, s64), "-(2^53 + 1), which no double holds");
        writeValue(driver, s64, PathpointValue.of(Long.MIN_VALUE));
        assertEquals(PathpointValue.of(Long.MIN_VALUE), readValue(driver, s64), "the bottom of the signed 64-bit range");
    }

    @Test
    void writesStringsBitsAndCoils() {
        writeValue(driver, "u1r40#4", PathpointValue.of("pymodbus"));
        assertEquals(PathpointValue.of("pymodbus"), readValue(driver, "u1r40#4"));
        assertEquals(PathpointValue.of(0x7079), readValue(driver, "W1r40"));
        // register 50 holds 150 = 0b1001_0110
        writeValue(driver, "B1r50.0", PathpointValue.of(1));
        writeValue(driver, "B1r50.1", PathpointValue.of(0));
        assertEquals(PathpointValue.of(149), readValue(driver, "W1r50"));
        writeValue(driver, "B1c50", PathpointValue.of(1));
        assertEquals(PathpointValue.of(1), readValue(driver, "B1c50"));
    }

    @Test
    void mergedWritesAreOneTransaction() {
        List<WriteOperation> writes = List.of(write("W1r60", PathpointValue.of(1)), write("W1r61", PathpointValue.of(2)),
                write("w1r62", PathpointValue.of(-3)), write("B1c60", PathpointValue.of(1)), write("B1c61", PathpointValue.of(1)));
        driver.execute(List.copyOf(writes));
        writes.forEach(Ops::value);
        assertEquals(2, driver.connection().transactions(), "one FC16 and one FC15");
        ReadOperation a = read("W1r60");
        ReadOperation b = read("w1r62");
        ReadOperation c = read("B1c61");
        run(driver, a, b, c);
        assertEquals(PathpointValue.of(1), value(a));
        assertEquals(PathpointValue.of(-3), value(b));
        assertEquals(PathpointValue.of(1), value(c));
        assertEquals(4, driver.connection().transactions(), "one FC3 and one FC1");
    }

    @Test
    void exceptionAnswersMapToReasons() throws Exception {
        ReadOperation missing = read("W1r150");
        run(driver, missing);
        assertTrue(failure(missing, OperationFailedReason.INVALID).getMessage().contains("exception 02"));
        ReadOperation readOnly = read("W1i150");
        run(driver, readOnly);
        failure(readOnly, OperationFailedReason.INVALID);
        try (MbapLink link = new MbapLink(new SocketStream("127.0.0.1", port), 1000, new LinkCounters())) {
            link.open();
            DeviceException tooMany = assertThrows(DeviceException.class,
                    () -> Pdus.registers(3, 126, link.exchange(1, new byte[] {3, 0, 0, 0, 126}, 2000)));
            assertEquals(3, tooMany.code());
            assertEquals(OperationFailedReason.INVALID, tooMany.reason());
        }
        ModbusDriver shortTimeout = new ModbusDriver(driver.settings().withTimeouts(300, 0, 0));
        try {
            ReadOperation unknownUnit = read("W7r0");
            run(shortTimeout, unknownUnit);
            failure(unknownUnit, OperationFailedReason.TIMEOUT);
        } finally {
            shortTimeout.close();
        }
    }

    /**
     * Unit 3 holds registers 200-201, 210-211, 220-223 and 230 only: the first read of them all is merged,
     * refused, split and learns every hole in between; every later read is the four clean requests.
     */
    @ParameterizedTest(name = "maxOutstandingRequests {0}")
    @ValueSource(ints = {1, 8})
    void everyHoleTheSplittingFindsIsRememberedAfterTheFirstFailure(int outstanding) {
        driver.close();
        driver = new ModbusDriver(driver.settings().withMaxOutstandingRequests(outstanding));
        int[] addresses = {200, 201, 210, 211, 220, 221, 222, 223, 230};
        long firstRead = readAll(addresses);
        assertTrue(firstRead > 4, "the first read merges, is refused and splits: " + firstRead + " requests");
        long exceptions = driver.connection().counters().get("deviceExceptions");
        for (int round = 2; round <= 3; round++) {
            assertEquals(4, readAll(addresses), "read " + round + ": 200-201, 210-211, 220-223, 230 and nothing merged over a hole");
            assertEquals(exceptions, driver.connection().counters().get("deviceExceptions"), "no exception 02 after the first read");
        }
    }

    /**
     * Reads the sparse unit's registers in one batch, checks every value, and returns the requests it took,
     * gap probes included (they may follow the last value: a read of another unit queued behind the batch
     * marks its end).
     */
    private long readAll(int[] addresses) {
        long before = driver.connection().transactions();
        List<ReadOperation> reads = new java.util.ArrayList<>();
        for (int address : addresses) {
            reads.add(read("W3r" + address));
        }
        driver.execute(List.copyOf(reads));
        assertEquals(PathpointValue.of(15), readValue(driver, "W1r5"), "the read behind the batch");
        for (int i = 0; i < addresses.length; i++) {
            assertEquals(PathpointValue.of(addresses[i] * 3), value(reads.get(i)), "W3r" + addresses[i]);
        }
        return driver.connection().transactions() - before - 1;
    }

    @Test
    void holeIsRememberedAfterException02() {
        driver.reconfigure(driver.settings().withLimits(new PlanningLimits(125, 2000, 125, 64, 123, 1968, true, false)));
        ReadOperation low = read("W1r95");
        ReadOperation high = read("W1r205");
        run(driver, low, high);
        assertEquals(PathpointValue.of(285), value(low));
        assertEquals(PathpointValue.of(615), value(high));
        assertEquals(3, driver.connection().transactions(), "merged read, exception 02, both halves");
        ReadOperation lowAgain = read("W1r95");
        ReadOperation highAgain = read("W1r205");
        run(driver, lowAgain, highAgain);
        value(lowAgain);
        value(highAgain);
        assertEquals(5, driver.connection().transactions(), "two reads, no merge over the hole");
    }
}
