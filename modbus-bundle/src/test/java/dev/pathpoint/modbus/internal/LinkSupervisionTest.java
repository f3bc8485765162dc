package dev.pathpoint.modbus.internal;

import static dev.pathpoint.modbus.internal.Ops.failure;
import static dev.pathpoint.modbus.internal.Ops.read;
import static dev.pathpoint.modbus.internal.Ops.run;
import static dev.pathpoint.modbus.internal.Ops.value;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.connection.ConnectionState;
import dev.pathpoint.api.driver.ReadOperation;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.modbus.internal.LinkSupervisor.Status;
import dev.pathpoint.modbus.internal.link.LinkFailure;
import dev.pathpoint.modbus.internal.link.Pdus;
import dev.pathpoint.modbus.internal.name.Area;
import dev.pathpoint.modbus.internal.sim.ModbusTcpSimulator;
import dev.pathpoint.modbus.internal.sim.SimulatorImage;
import dev.pathpoint.testing.FreePorts;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link LinkSupervisor} on its own, against real loopback sockets (the embedded simulator as the
 * device, a port bound and never listened on as a device that is down) and on a manual clock, so that
 * backoff, pacing and what the status says are exact: a wait of the supervisor is recorded and moves
 * the clock to its end. The last tests close a supervisor (and a driver) that waits on the real clock.
 */
class LinkSupervisionTest {
    private static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
    /** FC3, holding register 0, one register. */
    private static final byte[] READ_REGISTER_0 = Pdus.readRequest(3, 0, 1);

    private final ManualTime time = new ManualTime();
    private final ConnectionCounters counters = new ConnectionCounters();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private LinkSupervisor supervisor = new LinkSupervisor(counters, time);

    @AfterEach
    void closeAll() throws Exception {
        supervisor.close();
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void failedConnectsBackOffDoublingUpToTheLimitAndRequestsMeanwhileFailAtOnce() throws Exception {
        Socket down = refusingPort();
        int port = down.getLocalPort();
        // the response timeout (50 ms) is shorter than any backoff: no request waits for an attempt
        supervisor.use(ConnectionSettings.tcp("down", "127.0.0.1", port).withTimeouts(50, 100, 350));
        assertEquals(new Status(ConnectionState.IDLE, START, null), supervisor.status());
        assertNull(supervisor.lastError());

        LinkFailure refused = assertThrows(LinkFailure.class, this::readRegister0);
        assertEquals(OperationFailedReason.TIMEOUT, refused.reason());
        assertTrue(refused.getMessage().startsWith("cannot connect to 127.0.0.1:" + port + ": "), refused.getMessage());
        assertEquals(new Status(ConnectionState.BACKING_OFF, START, START.plusMillis(100)), supervisor.status());
        assertEquals(START + ": " + refused.getMessage(), supervisor.lastError());

        assertEquals("not connected to tcp://127.0.0.1:" + port + "; next connect attempt in 100 ms",
                assertThrows(LinkFailure.class, this::readRegister0).getMessage());
        time.advance(Duration.ofMillis(40));
        assertEquals("not connected to tcp://127.0.0.1:" + port + "; next connect attempt in 60 ms",
                assertThrows(LinkFailure.class, this::readRegister0).getMessage());
        assertEquals(1, counters.connectFailures.get(), "no connect attempt within the backoff");
        assertEquals(START + ": " + refused.getMessage(), supervisor.lastError(), "a request refused meanwhile is no new error");

        List<Long> backoffs = new ArrayList<>();
        for (int attempt = 2; attempt <= 5; attempt++) {
            time.advanceTo(supervisor.status().nextAttempt());
            Instant attemptedAt = time.now();
            assertThrows(LinkFailure.class, this::readRegister0);
            Status status = supervisor.status();
            assertEquals(ConnectionState.BACKING_OFF, status.state());
            assertEquals(attemptedAt, status.since());
            backoffs.add(Duration.between(attemptedAt, status.nextAttempt()).toMillis());
        }
        assertEquals(List.of(200L, 350L, 350L, 350L), backoffs, "doubling, up to maxReconnectDelayMillis");
        assertEquals(5, counters.connectFailures.get());
        assertEquals(0, counters.connects.get());
        assertEquals(List.of(), time.waits, "nothing waited: the attempts were never due within a response timeout");

        Instant nextAttempt = supervisor.status().nextAttempt();
        time.advanceTo(nextAttempt.plusMillis(1));
        assertEquals(new Status(ConnectionState.IDLE, nextAttempt, null), supervisor.status(),
                "the backoff is over: it connects again when work comes");
    }

    @Test
    void aConnectionThatWorkedStartsTheBackoffAfresh() throws Exception {
        Socket down = refusingPort();
        int port = down.getLocalPort();
        supervisor.use(ConnectionSettings.tcp("again", "127.0.0.1", port).withTimeouts(50, 100, 10_000));
        assertThrows(LinkFailure.class, this::readRegister0);
        time.advanceTo(supervisor.status().nextAttempt());
        assertThrows(LinkFailure.class, this::readRegister0);
        assertEquals(time.now().plusMillis(200), supervisor.status().nextAttempt());

        down.close();
        ModbusTcpSimulator device = simulator(port);
        time.advanceTo(supervisor.status().nextAttempt());
        assertArrayEquals(new int[] {7}, readRegister0());
        assertEquals(new Status(ConnectionState.CONNECTED, time.now(), null), supervisor.status());
        assertEquals(1, counters.connects.get());

        device.close();
        time.advance(Duration.ofMillis(5));
        LinkFailure lost = assertThrows(LinkFailure.class, this::readRegister0);
        assertTrue(lost.linkClosed(), lost.getMessage());
        assertEquals(new Status(ConnectionState.IDLE, time.now(), null), supervisor.status());
        assertEquals(time.now() + ": " + lost.getMessage(), supervisor.lastError());

        time.advance(Duration.ofMillis(5));
        LinkFailure refused = assertThrows(LinkFailure.class, this::readRegister0);
        assertTrue(refused.getMessage().startsWith("cannot connect to "), refused.getMessage());
        assertEquals(new Status(ConnectionState.BACKING_OFF, time.now(), time.now().plusMillis(100)), supervisor.status(),
                "the first failure after a connect waits reconnectDelayMillis again");
    }

    @Test
    void oneFailedConnectIsWaitedOutWhenTheNextAttemptIsDueWithinTheResponseTimeout() throws Exception {
        Socket down = refusingPort();
        int port = down.getLocalPort();
        supervisor.use(ConnectionSettings.tcp("coming-up", "127.0.0.1", port).withTimeouts(500, 100, 10_000));
        assertThrows(LinkFailure.class, this::readRegister0);
        time.advance(Duration.ofMillis(30));

        down.close();
        simulator(port);
        assertArrayEquals(new int[] {7}, readRegister0(), "the device came up during the wait");
        assertEquals(List.of(Duration.ofMillis(70)), time.waits, "waited for the attempt, 70 ms away");
        assertEquals(new Status(ConnectionState.CONNECTED, START.plusMillis(100), null), supervisor.status());
        assertEquals(1, counters.connectFailures.get());
        assertEquals(1, counters.connects.get());
    }

    @Test
    void aSecondFailedConnectMakesRequestsFailAtOnce() throws Exception {
        int port = refusingPort().getLocalPort();
        supervisor.use(ConnectionSettings.tcp("down-twice", "127.0.0.1", port).withTimeouts(500, 100, 10_000));
        assertThrows(LinkFailure.class, this::readRegister0);
        LinkFailure second = assertThrows(LinkFailure.class, this::readRegister0);
        assertTrue(second.getMessage().startsWith("cannot connect to "), "the second attempt was made: " + second.getMessage());
        assertEquals(List.of(Duration.ofMillis(100)), time.waits);

        assertEquals("not connected to tcp://127.0.0.1:" + port + "; next connect attempt in 200 ms",
                assertThrows(LinkFailure.class, this::readRegister0).getMessage(), "a device that failed twice is down");
        assertEquals(List.of(Duration.ofMillis(100)), time.waits, "no second wait");
        assertEquals(2, counters.connectFailures.get());
    }

    @Test
    void theQuietTimeSeparatesRequests() throws Exception {
        ModbusTcpSimulator device = simulator(0);
        supervisor.use(ConnectionSettings.tcp("paced", "127.0.0.1", device.port()).withCloseAfterEachRequest(false, 150));
        for (int request = 0; request < 3; request++) {
            assertArrayEquals(new int[] {7}, readRegister0());
        }
        assertEquals(List.of(Duration.ofMillis(150), Duration.ofMillis(150)), time.waits, "none before the first request");

        time.advance(Duration.ofMillis(100));
        readRegister0();
        time.advance(Duration.ofMillis(150));
        readRegister0();
        assertEquals(List.of(Duration.ofMillis(150), Duration.ofMillis(150), Duration.ofMillis(50)), time.waits,
                "the rest of the quiet time after 100 ms, none after 150 ms");
        assertEquals(5, counters.requests.get());
        assertEquals(1, counters.connects.get(), "one connection for all of them");
        assertEquals(ConnectionState.CONNECTED, supervisor.status().state());
    }

    @Test
    void closeAfterEachRequestOpensALinkForEveryRequest() throws Exception {
        ModbusTcpSimulator device = simulator(0);
        supervisor.use(ConnectionSettings.tcp("one-per-request", "127.0.0.1", device.port()).withCloseAfterEachRequest(true, 20));
        for (int request = 1; request <= 3; request++) {
            assertArrayEquals(new int[] {7}, readRegister0());
            assertEquals(request, counters.connects.get(), "a connection of its own for request " + request);
            assertEquals(new Status(ConnectionState.IDLE, time.now(), null), supervisor.status(), "closed after the request");
        }
        assertEquals(List.of(Duration.ofMillis(20), Duration.ofMillis(20)), time.waits, "the quiet time holds across connections");
        await("the device to see the last connection closed").atMost(Duration.ofSeconds(10))
                .until(() -> device.connectedClients() == 0);
    }

    @Test
    void aCloseWhileTheLinkIsOpeningClosesTheLinkItOpened() throws Exception {
        ModbusTcpSimulator device = simulator(0);
        supervisor.use(ConnectionSettings.tcp("racing", "127.0.0.1", device.port()));
        // the supervisor takes the time for CONNECTING after its closed check and before the open:
        // a close() from another thread lands exactly there
        time.atNextNow = supervisor::close;
        LinkFailure closed = assertThrows(LinkFailure.class, this::readRegister0);
        assertEquals("connection racing is closed", closed.getMessage());
        assertEquals(0, counters.requests.get(), "nothing was sent on the link opened after the close");
        await("the device to see the link closed again").atMost(Duration.ofSeconds(10))
                .until(() -> device.connectedClients() == 0);
        assertEquals(ConnectionState.IDLE, supervisor.status().state());
    }

    @Test
    void closeEndsAWaitForTheQuietTimeAndRefusesFurtherRequests() throws Exception {
        supervisor = new LinkSupervisor(counters, LinkSupervisor.Time.SYSTEM);
        ModbusTcpSimulator device = simulator(0);
        supervisor.use(ConnectionSettings.tcp("quiet", "127.0.0.1", device.port()).withCloseAfterEachRequest(false, 60_000));
        assertArrayEquals(new int[] {7}, readRegister0());

        CompletableFuture<int[]> second = new CompletableFuture<>();
        Thread connectionThread = new Thread(() -> {
            try {
                second.complete(readRegister0());
            } catch (Throwable e) {
                second.completeExceptionally(e);
            }
        }, "link-supervision-test");
        connectionThread.start();
        await("the second request to wait out the quiet minute").atMost(Duration.ofSeconds(10))
                .until(() -> LockSupport.getBlocker(connectionThread) == supervisor);

        supervisor.close();
        ExecutionException ended = assertThrows(ExecutionException.class, () -> second.get(10, TimeUnit.SECONDS),
                "close() ends the wait, long before the minute is over");
        LinkFailure closed = assertInstanceOf(LinkFailure.class, ended.getCause());
        assertEquals("connection quiet is closed", closed.getMessage());
        assertEquals(1, counters.requests.get(), "the waiting request was never sent");
        assertEquals(ConnectionState.IDLE, supervisor.status().state());
        assertEquals("connection quiet is closed", assertThrows(LinkFailure.class, this::readRegister0).getMessage());
        connectionThread.join(TimeUnit.SECONDS.toMillis(10));
    }

    @Test
    void closingTheDriverFailsTheOperationWaitingOutTheQuietTime() throws Exception {
        ModbusTcpSimulator device = simulator(0);
        ModbusDriver driver = new ModbusDriver(ConnectionSettings.tcp("quiet-driver", "127.0.0.1", device.port())
                .withCloseAfterEachRequest(false, 60_000));
        resources.add(driver);
        // 0 and 90 are too far apart to share a request (the default gap limit is 10)
        ReadOperation first = read("W1r0");
        ReadOperation waiting = read("W1r90");
        run(driver, first, waiting);
        assertEquals(PathpointValue.of(7), value(first));
        await("the connection's thread to wait out the quiet minute").atMost(Duration.ofSeconds(10))
                .until(() -> connectionThreadWaiting("modbus-quiet-driver-").isPresent());
        Thread connectionThread = connectionThreadWaiting("modbus-quiet-driver-").orElseThrow();

        driver.close();
        String closed = failure(waiting, OperationFailedReason.TIMEOUT).getMessage();
        assertTrue(closed.endsWith(": connection quiet-driver is closed"), closed);
        connectionThread.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals(Thread.State.TERMINATED, connectionThread.getState(), "the connection's thread ended with the close");
        assertEquals(1, driver.connection().transactions());
    }

    private int[] readRegister0() throws Exception {
        return Pdus.registers(3, 1, supervisor.transact(1, READ_REGISTER_0));
    }

    /** A device holding 7 in holding register 0, on the given port (0: any). */
    private ModbusTcpSimulator simulator(int port) throws Exception {
        ModbusTcpSimulator device = new ModbusTcpSimulator(new SimulatorImage().define(Area.HOLDING_REGISTER, "0-99")
                .load(Area.HOLDING_REGISTER, "0=7"), ModbusTcpSimulator.Options.loopback().withPort(port));
        resources.add(device);
        return device;
    }

    private Socket refusingPort() {
        Socket socket = FreePorts.refusing();
        resources.add(socket);
        return socket;
    }

    private static Optional<Thread> connectionThreadWaiting(String namePrefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().startsWith(namePrefix))
                .filter(thread -> LockSupport.getBlocker(thread) instanceof LinkSupervisor).findFirst();
    }

    /** A clock that moves when the test moves it, or when the supervisor waits: the wait is recorded and moves it to the wait's end. */
    private static final class ManualTime implements LinkSupervisor.Time {
        final List<Duration> waits = new ArrayList<>();
        private long nanos;
        /** Runs once, at the next {@link #now()}: a way into the moment the supervisor takes the time. */
        private Runnable atNextNow;

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public Instant now() {
            Runnable hook = atNextNow;
            if (hook != null) {
                atNextNow = null;
                hook.run();
            }
            return START.plusNanos(nanos);
        }

        @Override
        public void park(Object blocker, long waitNanos) {
            waits.add(Duration.ofNanos(waitNanos));
            nanos += waitNanos;
        }

        void advance(Duration duration) {
            nanos += duration.toNanos();
        }

        void advanceTo(Instant instant) {
            nanos = Duration.between(START, instant).toNanos();
        }
    }
}
