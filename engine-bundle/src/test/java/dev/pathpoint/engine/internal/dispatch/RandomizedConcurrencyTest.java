package dev.pathpoint.engine.internal.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.driver.WriteOperation;
import dev.pathpoint.api.executor.ExecutorStatistics;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.SysctlOrder;
import dev.pathpoint.api.order.WaitOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.Disposition;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.engine.internal.registry.DriverRegistry;
import dev.pathpoint.engine.internal.registry.HandlerRegistry;
import dev.pathpoint.engine.internal.registry.GrammarRegistry;
import dev.pathpoint.engine.internal.registry.ListenerRegistry;
import dev.pathpoint.engine.internal.registry.Whiteboard;
import dev.pathpoint.engine.internal.testing.ServiceList;
import dev.pathpoint.engine.internal.registry.ServiceProperties;
import dev.pathpoint.engine.internal.time.SystemTimeSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many producers queue random joinable and cannot-join sections while drivers with random latencies,
 * failures and hangs are removed and replaced. After each run: every future completed, writes were
 * applied per pathpoint in queue order, reads saw what queue order allows, barriers held, nothing
 * was lost. The workload is seeded (system property {@code pathpoint.engine.seed}); thread
 * interleavings are not, which is the point.
 *
 * <p>Write values encode their place in the queue: section index * 10 + order index, so they increase
 * per pathpoint in queue order and tell which section an operation a driver received belongs to.
 */
class RandomizedConcurrencyTest {
    private static final int PRODUCERS = 6;
    private static final int SECTIONS_PER_PRODUCER = 150;
    private static final int GROUPS = 3;
    private static final int PATHPOINTS_PER_GROUP = 6;

    @Test
    void randomWorkloadsKeepEveryGuarantee() throws Exception {
        long base = Long.getLong("pathpoint.engine.seed", System.nanoTime());
        System.out.println("RandomizedConcurrencyTest seed: " + base + " (rerun with -Dpathpoint.engine.seed=" + base + ")");
        for (int run = 0; run < 3; run++) {
            new Run(base + run).execute();
        }
    }

    /** A device shared by the successive drivers of one group: values and the order writes landed. */
    private static final class Device {
        final Object lock = new Object();
        final Map<String, PathpointValue> values = new HashMap<>();
        final Map<String, List<Double>> applied = new HashMap<>();
    }

    private record Received(long sequence, int section) {
    }

    private static final class Run {
        final long seed;
        final AtomicLong events = new AtomicLong();
        final List<Received> received = java.util.Collections.synchronizedList(new ArrayList<>());
        /** Operations of traced (write) orders as they finished: answered, failed or timed out. */
        final List<Received> finished = java.util.Collections.synchronizedList(new ArrayList<>());
        final Device[] devices = new Device[GROUPS];
        final ScheduledExecutorService latency = Executors.newScheduledThreadPool(2);
        final List<Section> queue = new ArrayList<>();
        final Object queueLock = new Object();
        final DriverRegistry drivers = new DriverRegistry();
        final AtomicLong serviceIds = new AtomicLong(1);

        Run(long seed) {
            this.seed = seed;
            for (int g = 0; g < GROUPS; g++) {
                devices[g] = new Device();
            }
        }

        void execute() throws Exception {
            ServiceList<dev.pathpoint.api.sysctl.SysctlHandler> sysctls = new ServiceList<>();
            sysctls.add((op, args) -> "ok", Map.of(dev.pathpoint.api.sysctl.SysctlHandler.OP, "noop"));
            HandlerRegistry handlers = new HandlerRegistry(sysctls.services(), dev.pathpoint.engine.internal.registry.WhiteboardServices.none());
            EngineSettings settings = EngineSettings.from(Map.of(
                    "operationTimeoutMillis", 300L,
                    "retryBackoffMillis", 1L,
                    "maxRetryBackoffMillis", 4L,
                    "noDriverWaitAdviseMillis", 5_000L,
                    "noDriverWaitForceMillis", 10_000L,
                    // successive runs alternate between a window of one and of two batches per driver
                    "maxBatchesInFlightPerDriver", 1 + (int) Math.floorMod(seed, 2L),
                    "queueCapacity", 100_000,
                    "statisticsLogIntervalSeconds", 0L));
            SystemTimeSource time = new SystemTimeSource(Clock.systemUTC(), "random-timer");
            Engine engine = new Engine(settings, new Whiteboard(drivers, handlers, new ListenerRegistry(dev.pathpoint.engine.internal.registry.WhiteboardServices.none()), new GrammarRegistry(dev.pathpoint.engine.internal.registry.WhiteboardServices.none())),
                    time, "random-engine").start();
            RandomDriver[] current = new RandomDriver[GROUPS];
            for (int g = 0; g < GROUPS; g++) {
                current[g] = register(g, new Random(seed * 31 + g));
            }
            AtomicBoolean producing = new AtomicBoolean(true);
            Thread swapper = new Thread(() -> swapDrivers(current, producing), "driver-swapper");
            swapper.start();
            CountDownLatch producersDone = new CountDownLatch(PRODUCERS);
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                Random random = new Random(seed * 1_000 + p);
                Thread producer = new Thread(() -> {
                    for (int s = 0; s < SECTIONS_PER_PRODUCER; s++) {
                        produce(engine, random);
                    }
                    producersDone.countDown();
                }, "producer-" + p);
                producers.add(producer);
                producer.start();
            }
            assertTrue(producersDone.await(30, TimeUnit.SECONDS), "producers finished");
            try {
                await().atMost(45, TimeUnit.SECONDS).until(() -> queue.stream().allMatch(s -> s.future().isDone()));
            } finally {
                producing.set(false);
                swapper.join(10_000);
                await().atMost(10, TimeUnit.SECONDS).until(() -> engine.state().isIdle());
                ExecutorStatistics statistics = engine.statistics();
                engine.close();
                time.close();
                latency.shutdownNow();
                assertEquals(0, statistics.queuedSections(), "nothing left queued");
                assertEquals(0, statistics.runningSections(), "nothing left running");
            }
            check();
        }

        private RandomDriver register(int group, Random random) {
            RandomDriver driver = new RandomDriver("g" + group + "-" + serviceIds.get(), devices[group], random, this);
            Map<String, Object> properties = new HashMap<>();
            properties.put(PathpointDriver.PATHPOINT_PATTERN, "d" + (group + 1) + "r\\d+");
            properties.put(PathpointDriver.DRIVER_NAME, driver.name);
            properties.put(PathpointDriver.MAX_BATCH_SIZE, 8);
            properties.put(ServiceProperties.SERVICE_ID, serviceIds.getAndIncrement());
            drivers.add(driver, properties);
            return driver;
        }

        private void swapDrivers(RandomDriver[] current, AtomicBoolean producing) {
            Random random = new Random(seed ^ 0x5eed);
            CountDownLatch never = new CountDownLatch(1);
            try {
                while (producing.get()) {
                    // paces the swaps; nothing synchronizes on this wait
                    never.await(5 + random.nextInt(20), TimeUnit.MILLISECONDS);
                    int group = random.nextInt(GROUPS);
                    RandomDriver old = current[group];
                    drivers.remove(old);
                    old.alive = false;
                    if (random.nextBoolean()) {
                        never.await(random.nextInt(5), TimeUnit.MILLISECONDS); // a gap without a driver
                    }
                    current[group] = register(group, new Random(random.nextLong()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void produce(Engine engine, Random random) {
            boolean barrier = random.nextInt(10) == 0;
            int orderCount = 1 + random.nextInt(4);
            String[] pathpoints = new String[orderCount];
            int[] kinds = new int[orderCount];
            for (int i = 0; i < orderCount; i++) {
                pathpoints[i] = "d" + (1 + random.nextInt(GROUPS)) + "r" + random.nextInt(PATHPOINTS_PER_GROUP);
                int roll = random.nextInt(100);
                kinds[i] = roll < 50 ? 0 : roll < 92 ? 1 : roll < 96 ? 2 : 3; // write, read, wait, sysctl
            }
            if (barrier) {
                kinds[0] = 0;
            }
            AdviseLevel advise = random.nextBoolean() ? AdviseLevel.FORCE : AdviseLevel.ADVISE;
            int waitMillis = random.nextInt(3);
            boolean cancel = random.nextInt(40) == 0;
            synchronized (queueLock) {
                int index = queue.size();
                List<Order> orders = new ArrayList<>();
                for (int i = 0; i < orderCount; i++) {
                    orders.add(switch (kinds[i]) {
                        case 0 -> new WriteOrder(pathpoints[i], PathpointValue.of((double) (index * 10 + i)), advise);
                        case 1 -> new ReadOrder(pathpoints[i], advise);
                        case 2 -> new WaitOrder(Duration.ofMillis(waitMillis));
                        default -> new SysctlOrder("noop", "");
                    });
                }
                Section section = new Section(orders, barrier ? Disposition.CANNOT_JOIN : Disposition.JOINABLE);
                queue.add(section);
                engine.execute(section);
            }
            if (cancel) {
                queue.get(queue.size() - 1).cancel();
            }
        }

        private void check() {
            checkOutcomes();
            checkWriteOrderAndNothingLost();
            checkReads();
            checkBarriers();
        }

        private void checkOutcomes() {
            int done = 0;
            for (Section section : queue) {
                assertTrue(section.future().isDone(), "every future completed: " + section);
                if (section.future().isCancelled()) {
                    continue;
                }
                SectionResult result = section.future().join();
                assertEquals(section.orders().size(), result.outcomes().size());
                for (OrderOutcome outcome : result.outcomes()) {
                    if (outcome instanceof OrderOutcome.Failed failed) {
                        assertTrue(failed.reason() == OperationFailedReason.TIMEOUT || failed.reason() == OperationFailedReason.MALFORMED
                                        || failed.reason() == OperationFailedReason.NO_DRIVER,
                                "seed " + seed + ": unexpected failure " + failed);
                    } else {
                        assertTrue(outcome instanceof OrderOutcome.Done, "seed " + seed + ": unexpected " + outcome);
                        done++;
                    }
                }
            }
            assertTrue(done > queue.size(), "seed " + seed + ": most orders succeeded (" + done + ")");
        }

        private void checkWriteOrderAndNothingLost() {
            for (Device device : devices) {
                synchronized (device.lock) {
                    device.applied.forEach((pathpoint, values) -> {
                        for (int i = 1; i < values.size(); i++) {
                            if (values.get(i) < values.get(i - 1)) {
                                fail("seed " + seed + ": writes to " + pathpoint + " applied out of queue order: " + values);
                            }
                        }
                    });
                }
            }
            for (Section section : queue) {
                if (section.future().isCancelled()) {
                    continue;
                }
                SectionResult result = section.future().join();
                for (OrderOutcome outcome : result.outcomes()) {
                    if (outcome instanceof OrderOutcome.Done && outcome.order() instanceof WriteOrder write) {
                        Device device = devices[group(write.pathpoint())];
                        synchronized (device.lock) {
                            List<Double> applied = device.applied.getOrDefault(write.pathpoint(), List.of());
                            assertTrue(applied.contains(((PathpointValue.Real) write.value()).value()),
                                    "seed " + seed + ": a write reported done was applied: " + write);
                        }
                    }
                }
            }
        }

        /** A read sees the last successful write queued before it, or a later one queued before it. */
        private void checkReads() {
            Map<String, Double> lastDoneWrite = new HashMap<>();
            Map<String, Double> lastQueuedWrite = new HashMap<>();
            for (int index = 0; index < queue.size(); index++) {
                Section section = queue.get(index);
                boolean ran = !section.future().isCancelled();
                List<OrderOutcome> outcomes = ran ? section.future().join().outcomes() : List.of();
                for (int i = 0; i < section.orders().size(); i++) {
                    Order order = section.orders().get(i);
                    if (!ran) {
                        continue;
                    }
                    OrderOutcome outcome = outcomes.get(i);
                    if (order instanceof WriteOrder write) {
                        double value = ((PathpointValue.Real) write.value()).value();
                        lastQueuedWrite.put(write.pathpoint(), value);
                        if (outcome instanceof OrderOutcome.Done) {
                            lastDoneWrite.put(write.pathpoint(), value);
                        }
                    } else if (order instanceof ReadOrder read && outcome instanceof OrderOutcome.Done done) {
                        double value = ((PathpointValue.Real) done.value().orElseThrow()).value();
                        double floor = lastDoneWrite.getOrDefault(read.pathpoint(), 0.0);
                        double ceiling = lastQueuedWrite.getOrDefault(read.pathpoint(), 0.0);
                        assertTrue(value >= floor && value <= ceiling, "seed " + seed + ": read of " + read.pathpoint()
                                + " in section " + index + " saw " + value + ", expected within [" + floor + ", " + ceiling + "]");
                    }
                }
            }
        }

        /**
         * A barrier's operations reach drivers only after every traced operation of the sections
         * before it finished, and the sections after it only after its own finished. (Futures are
         * delivered on result threads, after the engine has moved on: execution is what a barrier
         * orders, so that is what is checked.)
         */
        private void checkBarriers() {
            List<Received> receipts;
            List<Received> finishes;
            synchronized (received) {
                receipts = new ArrayList<>(received);
            }
            synchronized (finished) {
                finishes = new ArrayList<>(finished);
            }
            Map<Integer, Long> lastFinish = new HashMap<>();
            for (Received finish : finishes) {
                lastFinish.merge(finish.section, finish.sequence, Math::max);
            }
            Map<Integer, Long> firstReceipt = new HashMap<>();
            for (Received receipt : receipts) {
                firstReceipt.merge(receipt.section, receipt.sequence, Math::min);
            }
            for (int b = 0; b < queue.size(); b++) {
                Section barrier = queue.get(b);
                if (barrier.isJoinable() || barrier.future().isCancelled()) {
                    continue;
                }
                long barrierDone = lastFinish.getOrDefault(b, Long.MIN_VALUE);
                for (Received receipt : receipts) {
                    if (receipt.section > b) {
                        assertTrue(receipt.sequence > barrierDone, "seed " + seed + ": section " + receipt.section
                                + " reached a driver before barrier " + b + " finished");
                    }
                }
                Long barrierStart = firstReceipt.get(b);
                if (barrierStart == null) {
                    continue;
                }
                for (int before = 0; before < b; before++) {
                    Long done = lastFinish.get(before);
                    if (done != null) {
                        assertTrue(done < barrierStart, "seed " + seed + ": section " + before
                                + " was still running when barrier " + b + " started");
                    }
                }
            }
        }

        private static int group(String pathpoint) {
            return pathpoint.charAt(1) - '1';
        }
    }

    /** A driver with random latency, failures and hangs over a group's device; dead once removed. */
    private static final class RandomDriver implements PathpointDriver {
        final String name;
        final Device device;
        final Random random;
        final Run run;
        volatile boolean alive = true;

        RandomDriver(String name, Device device, Random random, Run run) {
            this.name = name;
            this.device = device;
            this.random = random;
            this.run = run;
        }

        @Override
        public void execute(List<DriverOperation> batch) {
            for (DriverOperation operation : batch) {
                if (operation instanceof WriteOperation write) {
                    int section = (int) (((PathpointValue.Real) write.value()).value() / 10);
                    run.received.add(new Received(run.events.incrementAndGet(), section));
                    operation.completion().whenComplete((value, failure) ->
                            run.finished.add(new Received(run.events.incrementAndGet(), section)));
                }
                int roll;
                int delay;
                synchronized (random) {
                    roll = random.nextInt(1000);
                    delay = random.nextInt(3);
                }
                if (roll < 3) {
                    continue; // hangs: the engine times it out
                }
                if (roll < 40) {
                    operation.fail(new OperationFailedException(roll < 20 ? OperationFailedReason.TIMEOUT : OperationFailedReason.MALFORMED,
                            name + ": random failure"));
                    continue;
                }
                run.latency.schedule(() -> complete(operation), delay, TimeUnit.MILLISECONDS);
            }
        }

        private void complete(DriverOperation operation) {
            synchronized (device.lock) {
                if (!alive) {
                    return; // a removed driver applies nothing more
                }
                if (operation instanceof WriteOperation write) {
                    // complete first: a write the engine already timed out is not applied
                    if (write.complete(write.value())) {
                        device.values.put(write.pathpoint(), write.value());
                        device.applied.computeIfAbsent(write.pathpoint(), p -> new ArrayList<>())
                                .add(((PathpointValue.Real) write.value()).value());
                    }
                } else {
                    operation.complete(device.values.getOrDefault(operation.pathpoint(), PathpointValue.of(0.0)));
                }
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
