package dev.pathpoint.distribution.fleet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.remote.GatewayPresence;
import dev.pathpoint.api.remote.RemoteExecutor;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.modbus.internal.name.Area;
import dev.pathpoint.modbus.internal.sim.ModbusTcpSimulator;
import dev.pathpoint.modbus.internal.sim.SimulatorImage;
import dev.pathpoint.mqtt.internal.central.CentralLink;
import dev.pathpoint.mqtt.internal.central.CentralSettings;
import dev.pathpoint.mqtt.internal.link.LinkSettings.TlsSettings;
import dev.pathpoint.mqtt.testing.Mosquitto;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.After;
import org.junit.Test;

/**
 * The fleet: {@code pathpoint.fleet.gateways} gateways (default 20; the soak 100) packed into
 * {@code pathpoint.fleet.hosts} JVMs ({@link FleetHost}: engines and links without OSGi), each with its
 * device, a {@link ModbusTcpSimulator} in this JVM that outlives the hosts; one mosquitto; a central
 * {@link CentralLink} sending {@code pathpoint.fleet.sections} sections (default 4,000; the soak
 * 100,000) across them, at most {@code pathpoint.fleet.window} unanswered, while
 * {@code pathpoint.fleet.kills} times (default 2; the soak 10) a random gateway's host JVM is killed
 * with SIGKILL and started again on the same journals.
 *
 * <p>Section n of a gateway writes {@code W1r<2n>} (its own register, every other one so that no two
 * writes merge into one request) with a value of its own, or reads {@code W1r1} (fixed). Checked:
 * every section answered, none failed (lost: 0), every write's value on its register, and the
 * simulator's count of write requests: one per write section on a gateway whose host was never
 * killed, otherwise at most one more per section in flight at a kill (run again from the journal).
 * Reported: throughput, latency from execute to result (median, p99), the broker's CPU time.
 */
public class FleetIT {
    private static final int GATEWAYS = Integer.getInteger("pathpoint.fleet.gateways", 20);
    private static final int HOSTS = Integer.getInteger("pathpoint.fleet.hosts", 4);
    private static final int SECTIONS = Integer.getInteger("pathpoint.fleet.sections", 4_000);
    private static final int KILLS = Integer.getInteger("pathpoint.fleet.kills", 2);
    private static final int WINDOW = Integer.getInteger("pathpoint.fleet.window", 2_000);
    private static final Duration LIMIT = Duration.ofMinutes(Math.max(3, SECTIONS / 10_000));
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private Mosquitto broker;
    private final List<ModbusTcpSimulator> devices = new ArrayList<>();
    private final List<Process> hosts = new ArrayList<>();
    private CentralLink central;

    @After
    public void tearDown() throws Exception {
        if (central != null) {
            central.close();
        }
        for (Process host : hosts) {
            host.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        devices.forEach(ModbusTcpSimulator::close);
        if (broker != null) {
            broker.close();
        }
    }

    private static String gatewayId(int g) {
        return String.format("fleet-%03d", g);
    }

    private int hostOf(int gateway) {
        return gateway % HOSTS;
    }

    private Process startHost(int host, Path journals) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), FleetHost.class.getName(),
                Integer.toString(broker.port()), journals.toString()));
        for (int g = 0; g < GATEWAYS; g++) {
            if (hostOf(g) == host) {
                command.add(gatewayId(g) + "=" + devices.get(g).port());
            }
        }
        File log = journals.resolve("host-" + host + ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .start();
    }

    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
    }

    /** A host that ended by itself (it only ends when killed) fails the run at once, with what it printed. */
    private void assertHostsAlive(Path journals) throws Exception {
        for (int h = 0; h < hosts.size(); h++) {
            if (!hosts.get(h).isAlive()) {
                Path log = journals.resolve("host-" + h + ".log");
                throw new AssertionError("fleet host " + h + " exited with " + hosts.get(h).exitValue() + ":\n"
                        + (Files.exists(log) ? Files.readString(log) : "(no output)"));
            }
        }
    }

    @Test
    public void aFleetAnswersEverySectionOnceWhileHostsAreKilledAndRestarted() throws Exception {
        broker = Mosquitto.start(new Mosquitto.Options().maxInflight(1000));
        Path journals = Files.createTempDirectory("pathpoint-fleet");
        for (int g = 0; g < GATEWAYS; g++) {
            SimulatorImage image = new SimulatorImage().define(Area.HOLDING_REGISTER, "0-65535")
                    .load(Area.HOLDING_REGISTER, "1=4711");
            devices.add(new ModbusTcpSimulator(image, ModbusTcpSimulator.Options.loopback()));
        }
        for (int h = 0; h < HOSTS; h++) {
            hosts.add(startHost(h, journals));
        }
        CentralSettings settings = new CentralSettings("fleet-central", "127.0.0.1", broker.port(), "pathpoint", List.of(),
                "", "", TlsSettings.OFF, Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofMinutes(5),
                Duration.ofMinutes(10), 1000, 1_000_000, Duration.ofMillis(100), Duration.ofSeconds(1));
        central = new CentralLink(settings, "fleet", Clock.systemUTC()).start();
        RemoteExecutor[] gateways = new RemoteExecutor[GATEWAYS];
        for (int g = 0; g < GATEWAYS; g++) {
            gateways[g] = central.forGateway(gatewayId(g));
        }
        long deadline = System.nanoTime() + LIMIT.toNanos();
        for (RemoteExecutor gateway : gateways) {
            while (gateway.presence() != GatewayPresence.ONLINE) {
                assertHostsAlive(journals);
                assertTrue(gateway.gatewayId() + " did not come online", System.nanoTime() < deadline);
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }

        Random random = new Random(20_261_201L);
        int[] killAt = new int[KILLS];
        for (int k = 0; k < KILLS; k++) {
            killAt[k] = (int) ((long) SECTIONS * (k + 1) / (KILLS + 1));
        }
        Semaphore window = new Semaphore(WINDOW);
        Section[] sections = new Section[SECTIONS];
        int[] gatewayOf = new int[SECTIONS];
        int[] writeValue = new int[SECTIONS];
        int[] register = new int[SECTIONS];
        long[] latency = new long[SECTIONS];
        int[] perGateway = new int[GATEWAYS];
        boolean[] killedGateway = new boolean[GATEWAYS];
        long[] inFlightAtKills = new long[GATEWAYS];
        Set<String> killedIds = ConcurrentHashMap.newKeySet();
        AtomicLong completions = new AtomicLong();
        long brokerTicksBefore = cpuTicks(broker.pid());
        long start = System.nanoTime();
        int nextKill = 0;
        for (int n = 0; n < SECTIONS; n++) {
            if (nextKill < KILLS && n == killAt[nextKill]) {
                int victim = random.nextInt(GATEWAYS);
                int host = hostOf(victim);
                hosts.get(host).destroyForcibly().waitFor(20, TimeUnit.SECONDS);
                for (int g = 0; g < GATEWAYS; g++) {
                    if (hostOf(g) == host) {
                        killedGateway[g] = true;
                        killedIds.add(gatewayId(g));
                        inFlightAtKills[g] += gateways[g].statistics().runningSections();
                    }
                }
                hosts.set(host, startHost(host, journals));
                nextKill++;
            }
            int g = n % GATEWAYS;
            int index = perGateway[g]++;
            gatewayOf[n] = g;
            if (index % 2 == 0) {
                register[n] = 2 * index + 2;
                writeValue[n] = (n % 60_000) + 1;
                sections[n] = Section.of(new WriteOrder("W1r" + register[n], PathpointValue.of(writeValue[n]),
                        AdviseLevel.FORCE));
            } else {
                register[n] = 1;
                sections[n] = Section.of(new ReadOrder("W1r1", AdviseLevel.FORCE));
            }
            assertTrue("the window did not open within " + LIMIT, window.tryAcquire(LIMIT.toMillis(), TimeUnit.MILLISECONDS));
            long executed = System.nanoTime();
            int slot = n;
            sections[n].future().whenComplete((result, failure) -> {
                latency[slot] = System.nanoTime() - executed;
                completions.incrementAndGet();
                window.release();
            });
            gateways[g].execute(sections[n]);
        }
        List<String> problems = new ArrayList<>();
        for (int n = 0; n < SECTIONS; n++) {
            SectionResult result;
            try {
                result = sections[n].future().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                problems.add("section " + n + " (" + gatewayId(gatewayOf[n]) + "): no result (lost)");
                continue;
            }
            OrderOutcome outcome = result.outcome(0);
            if (!(outcome instanceof OrderOutcome.Done done)) {
                problems.add("section " + n + " (" + gatewayId(gatewayOf[n]) + "): " + outcome);
            } else if (sections[n].orders().get(0) instanceof ReadOrder
                    && !done.value().orElseThrow().equals(PathpointValue.of(4711))) {
                problems.add("section " + n + ": read " + done.value());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long brokerTicks = cpuTicks(broker.pid()) - brokerTicksBefore;
        long writeSections = 0;
        long extraWrites = 0;
        long[] writesSent = new long[GATEWAYS];
        for (int n = 0; n < SECTIONS; n++) {
            if (sections[n].orders().get(0) instanceof WriteOrder) {
                writesSent[gatewayOf[n]]++;
                writeSections++;
                int value = devices.get(gatewayOf[n]).image().get(Area.HOLDING_REGISTER, register[n]);
                if (value != writeValue[n]) {
                    problems.add("section " + n + ": register " + register[n] + " of " + gatewayId(gatewayOf[n]) + " holds "
                            + value + ", not " + writeValue[n]);
                }
            }
        }
        for (int g = 0; g < GATEWAYS; g++) {
            long requests = devices.get(g).requests(6) + devices.get(g).requests(16);
            long extra = requests - writesSent[g];
            extraWrites += Math.max(0, extra);
            long allowed = killedGateway[g] ? inFlightAtKills[g] : 0;
            if (extra < 0 || extra > allowed) {
                problems.add(gatewayId(g) + ": " + requests + " write requests for " + writesSent[g] + " write sections"
                        + (killedGateway[g] ? " (at most " + allowed + " more allowed: in flight at a kill)" : ""));
            }
        }
        long[] sorted = latency.clone();
        Arrays.sort(sorted);
        System.out.printf("fleet: %d gateways in %d JVMs, %d sections (%d writes), %d kills (%s): lost %d, writes run again"
                + " after a kill %d, throughput %.0f sections/s, latency median %.1f ms p99 %.1f ms, broker CPU %.1f s"
                + " (%.0f%% of one core)%n", GATEWAYS, HOSTS, SECTIONS, writeSections, KILLS, killedIds.size() + " gateways",
                SECTIONS - completions.get(), extraWrites, SECTIONS / seconds, sorted[SECTIONS / 2] / 1e6,
                sorted[(int) (SECTIONS * 0.99)] / 1e6, (double) brokerTicks / TICKS_PER_SECOND,
                100.0 * brokerTicks / TICKS_PER_SECOND / seconds);
        System.out.println("fleet central: " + central.report().counters());
        assertTrue(problems.size() + " problems, first: " + problems.subList(0, Math.min(10, problems.size())),
                problems.isEmpty());
        assertEquals(SECTIONS, completions.get());
    }
}
