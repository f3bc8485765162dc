package dev.pathpoint.benchmarks;

import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.engine.internal.dispatch.Engine;
import dev.pathpoint.engine.internal.registry.DriverRegistry;
import dev.pathpoint.engine.internal.registry.ServiceProperties;
import dev.pathpoint.engine.internal.registry.Whiteboard;
import dev.pathpoint.engine.internal.time.SystemTimeSource;
import dev.pathpoint.modbus.internal.ConnectionSettings;
import dev.pathpoint.modbus.internal.name.Area;
import dev.pathpoint.modbus.internal.sim.SimulatorImage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/** What the benchmarks share: an engine built as the DS component builds it, workloads, a plan. */
final class Fixtures {
    /** The seed of every scattered address set, so each run measures the same workload. */
    static final long SEED = 20_260_501L;
    private static final AtomicLong SERVICE_IDS = new AtomicLong(1000);

    private Fixtures() {
    }

    /** The engine's shipped defaults, without the periodic statistics log line. */
    static EngineSettings defaultSettings() {
        return settings();
    }

    /** The shipped defaults without the statistics log line, changed by property name and value pairs. */
    static EngineSettings settings(Object... overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("statisticsLogIntervalSeconds", 0L);
        for (int i = 0; i < overrides.length; i += 2) {
            properties.put((String) overrides[i], overrides[i + 1]);
        }
        return EngineSettings.from(properties);
    }

    /** An engine on real time, with its own driver registry, started. */
    static final class RunningEngine implements AutoCloseable {
        final Whiteboard whiteboard = Whiteboard.driversOnly();
        final DriverRegistry drivers = whiteboard.drivers();
        final SystemTimeSource time;
        final Engine engine;

        RunningEngine(String name, EngineSettings settings) {
            time = new SystemTimeSource(Clock.systemUTC(), name + "-timer");
            engine = new Engine(settings, whiteboard, time, name).start();
        }

        /** Registers a driver as the whiteboard does: pattern, name, ranking 0, a fresh service id. */
        RunningEngine add(PathpointDriver driver, String pattern, String name) {
            Map<String, Object> properties = new HashMap<>();
            properties.put(PathpointDriver.PATHPOINT_PATTERN, pattern);
            properties.put(PathpointDriver.DRIVER_NAME, name);
            properties.put(ServiceProperties.SERVICE_RANKING, 0);
            properties.put(ServiceProperties.SERVICE_ID, SERVICE_IDS.incrementAndGet());
            drivers.add(driver, properties);
            return this;
        }

        @Override
        public void close() {
            engine.close();
            time.close();
        }
    }

    /** {@code count} distinct addresses drawn from 0..range-1 with the fixed seed, in drawn (not address) order. */
    static int[] scatteredAddresses(int count, int range, long seed) {
        if (count > range) {
            throw new IllegalArgumentException("cannot draw " + count + " distinct addresses from " + range);
        }
        int[] all = new int[range];
        Arrays.setAll(all, i -> i);
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(range - i);
            int swap = all[i];
            all[i] = all[j];
            all[j] = swap;
        }
        return Arrays.copyOf(all, count);
    }

    /** Unsigned 16-bit holding-register pathpoint names on unit 1. */
    static String[] holdingRegisterNames(int[] addresses) {
        String[] names = new String[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            names[i] = "W1r" + addresses[i];
        }
        return names;
    }

    /** Holding registers 0..count-1 on the simulator, register n holding n % 65536 (so reads can be checked). */
    static SimulatorImage holdingRegisterImage(int count) {
        SimulatorImage image = new SimulatorImage().define(Area.HOLDING_REGISTER, "0-" + (count - 1));
        StringBuilder values = new StringBuilder("0=");
        for (int n = 0; n < count; n++) {
            values.append(n == 0 ? "" : ",").append(n % 65536);
        }
        return image.load(Area.HOLDING_REGISTER, values.toString());
    }

    /**
     * The fewest FC3 requests that cover single registers at {@code addresses} when a request spans at
     * most {@code maxCount} registers and at most {@code maxGap} unrequested registers between two
     * wanted ones. Written here independently of the driver's planner: a greedy walk over the sorted
     * addresses, which is optimal for single-register items (the first request may as well start at
     * the lowest address and take as many as the rules allow). Each entry is {start, count}.
     */
    static List<int[]> minimalRequests(int[] addresses, int maxCount, int maxGap) {
        int[] sorted = addresses.clone();
        Arrays.sort(sorted);
        List<int[]> requests = new ArrayList<>();
        int start = sorted[0];
        int last = sorted[0];
        for (int i = 1; i < sorted.length; i++) {
            int address = sorted[i];
            if (address - last - 1 <= maxGap && address - start + 1 <= maxCount) {
                last = address;
            } else {
                requests.add(new int[] {start, last - start + 1});
                start = address;
                last = address;
            }
        }
        requests.add(new int[] {start, last - start + 1});
        return requests;
    }

    /**
     * The same connection with room for {@code batches} queued batches (Config Admin property
     * queueCapacity; the shipped default is 1,000).
     */
    static ConnectionSettings withQueueCapacity(ConnectionSettings s, int batches) {
        return s.withQueueCapacity(batches);
    }

    /** Waits for a section, failing the benchmark if it did not succeed. */
    static SectionResult await(Section section, long seconds) {
        try {
            SectionResult result = section.future().get(seconds, TimeUnit.SECONDS);
            if (!result.succeeded()) {
                throw new IllegalStateException("section failed: " + result.outcomes().stream()
                        .filter(outcome -> !outcome.succeeded()).findFirst().orElseThrow());
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("section did not complete: " + e, e);
        }
    }

    /** Waits for every section, failing the benchmark if one did not succeed. */
    static void awaitAll(Section[] sections, long seconds) {
        CompletableFuture<?>[] futures = new CompletableFuture<?>[sections.length];
        for (int i = 0; i < sections.length; i++) {
            futures[i] = sections[i].future();
        }
        try {
            CompletableFuture.allOf(futures).get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("sections did not complete: " + e, e);
        }
        for (Section section : sections) {
            if (!section.future().join().succeeded()) {
                throw new IllegalStateException("section failed: " + section.future().join());
            }
        }
    }
}
