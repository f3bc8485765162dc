package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.driver.DriverOperation;
import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.api.driver.PathpointGrammar;
import dev.pathpoint.api.driver.WriteOperation;
import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.message.MessageHandler;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.MessageOrder;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.PathpointOrder;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.SysctlOrder;
import dev.pathpoint.api.order.WaitOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.Disposition;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.section.SectionState;
import dev.pathpoint.api.sysctl.SysctlHandler;
import dev.pathpoint.api.value.PathpointType;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.engine.internal.EngineState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Model-based randomized test of the engine: thousands of seeded random workloads, each run
 * deterministically (manual time, manual threads: the test thread runs everything), each checked
 * against a simple reference model of what the engine must do. A failure names the workload's seed;
 * {@code -Dpathpoint.model.seed=S -Dpathpoint.model.workloads=1} runs exactly that workload again.
 *
 * <p>Workloads: random sections of reads, writes (some stale, some about to become stale), waits,
 * sysctls and messages, FORCE and ADVISE, joinable or CANNOT_JOIN, queued in random groups at random
 * moments, some cancelled. Drivers answer at once or later, fail retryably or not, or never answer;
 * one device's driver appears only late in the run, another's goes away in the middle and may come
 * back; some names no driver serves and some no grammar accepts. Time moves in random steps.
 *
 * <p>The model's checks, after every step and at the end:
 * <ul>
 * <li>every future completes;</li>
 * <li>no section starts before a CANNOT_JOIN section queued ahead of it has finished, nor while one
 * runs, and a CANNOT_JOIN section starts only when everything before it has finished;</li>
 * <li>whenever the engine has nothing left to do at the moment, no queued section could start: the
 * queue is empty, or its head is a CANNOT_JOIN section waiting for running ones (so nothing queued
 * ever waits for an unrelated event);</li>
 * <li>operations on one pathpoint take effect in queue order (writes applied in order; a read sees
 * the last write applied before it, never one queued after it);</li>
 * <li>retries follow the seed's counts ({@code fail()}), and a driver never gets more tries of an
 * order than it has;</li>
 * <li>NO_DRIVER comes only after the configured wait; a stale write is never sent after its instant;</li>
 * <li>the engine's state is empty when it is idle.</li>
 * </ul>
 */
class ModelBasedEngineTest {
    private static final int WORKLOADS = Integer.getInteger("pathpoint.model.workloads", 3_000);
    private static final long SERVED_GROUPS = 3;
    private static final int PATHPOINTS_PER_GROUP = 3;
    /** Simulated time after the last submission within which every future must have completed. */
    private static final Duration LIVENESS_BOUND = Duration.ofMinutes(30);

    @Test
    void randomWorkloadsAgreeWithTheModel() {
        long base = Long.getLong("pathpoint.model.seed", System.nanoTime());
        System.out.println("ModelBasedEngineTest: " + WORKLOADS + " workloads from seed " + base);
        for (int i = 0; i < WORKLOADS; i++) {
            long seed = base + i;
            try {
                new Workload(seed).run();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("workload with seed " + seed + " disagrees with the model (run it again with"
                        + " -Dpathpoint.model.seed=" + seed + " -Dpathpoint.model.workloads=1): " + e.getMessage(), e);
            }
        }
    }

    /** Where an order stands in queue order: its section's place in the queue, then its own. */
    private record Place(int section, int order) implements Comparable<Place> {
        @Override
        public int compareTo(Place other) {
            return section != other.section ? Integer.compare(section, other.section) : Integer.compare(order, other.order);
        }

        /** As a write value: positive, below 65536 (the pathpoints are unsigned 16-bit). */
        long code() {
            return section * 16L + order + 1;
        }

        static Place of(long code) {
            return new Place((int) ((code - 1) / 16), (int) ((code - 1) % 16));
        }
    }

    /** Something that happened, with the step it happened in. */
    private record Event(int step, Place place) {
    }

    private static final class Workload {
        final long seed;
        final Random random;
        final EngineSettings settings;
        final EngineHarness harness;
        final List<Section> queue = new ArrayList<>();
        final List<Instant> submittedAt = new ArrayList<>();
        final Map<Section, Instant> completedAt = new HashMap<>();
        final Map<Section, Integer> completedInStep = new HashMap<>();
        final List<Event> receipts = new ArrayList<>();
        final Map<String, List<Long>> applied = new HashMap<>();
        final Map<String, Long> device = new HashMap<>();
        final Map<Place, Integer> attempts = new HashMap<>();
        final List<ModelDriver> drivers = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final int sections;
        final int lateDriverStep;
        final int departureStep;
        final int returnStep;
        int step;

        Workload(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            long backoff = 20 + random.nextInt(200);
            this.settings = EngineHarness.settings(
                    "operationTimeoutMillis", 200L + random.nextInt(1_000),
                    "retryBackoffMillis", backoff,
                    "maxRetryBackoffMillis", backoff * (1 + random.nextInt(8)),
                    "noDriverWaitAdviseMillis", (long) random.nextInt(1_000),
                    "noDriverWaitForceMillis", 1_000L + random.nextInt(3_000),
                    "maxBatchesInFlightPerDriver", 1 + random.nextInt(3),
                    "queueCapacity", 10_000);
            this.harness = new EngineHarness(settings, seed);
            this.sections = 1 + random.nextInt(30);
            this.lateDriverStep = random.nextInt(60);
            this.departureStep = random.nextInt(60);
            this.returnStep = random.nextBoolean() ? departureStep + random.nextInt(40) : Integer.MAX_VALUE;
        }

        void run() {
            harness.addGrammar(new ModelGrammar(), "W.*");
            harness.addSysctlHandler(new ModelSysctl(), new String[] {"noop", "refuse"}, 0);
            harness.addMessageHandler(new ModelMessages(), 0);
            register(1);
            register(2);
            int submitted = 0;
            while (submitted < sections) {
                step++;
                int roll = random.nextInt(100);
                if (roll < 30) {
                    submitted += submit(Math.min(sections - submitted, 1 + random.nextInt(4)));
                } else if (roll < 70) {
                    harness.advance(Duration.ofMillis(1 + random.nextInt(400)));
                } else if (roll < 85) {
                    completeSomeHeld();
                } else {
                    cancelOne();
                }
                driverChanges();
                check();
            }
            Instant deadline = harness.time.now().plus(LIVENESS_BOUND);
            while (!allDone()) {
                step++;
                if (harness.time.now().isAfter(deadline)) {
                    fail("futures still pending " + LIVENESS_BOUND + " after the last submission: " + pending()
                            + "; engine: " + harness.engine.describePendingWork());
                    break;
                }
                completeSomeHeld();
                harness.advance(Duration.ofMillis(1 + random.nextInt(2_000)));
                driverChanges();
                check();
            }
            // drivers may still hold operations the engine has given up on: let them answer late
            drivers.forEach(ModelDriver::answerEverything);
            harness.settle();
            harness.advance(settings.operationTimeout());
            finalChecks();
            harness.close();
            if (!problems.isEmpty()) {
                throw new AssertionError(String.join("; ", problems));
            }
        }

        void fail(String problem) {
            if (problems.size() < 5) {
                problems.add("step " + step + ": " + problem);
            }
        }

        // --- the workload ---------------------------------------------------------------------

        ModelDriver register(int group) {
            ModelDriver driver = new ModelDriver("g" + group + "-" + drivers.size(), group);
            drivers.add(driver);
            harness.whiteboard.drivers().add(driver, harness.properties(Map.of(PathpointDriver.PATHPOINT_PATTERN,
                    "W" + group + "r\\d+", PathpointDriver.DRIVER_NAME, driver.name), 0));
            harness.settle();
            return driver;
        }

        void driverChanges() {
            if (step == lateDriverStep) {
                register(3);
            }
            if (step == departureStep) {
                for (ModelDriver driver : drivers) {
                    if (driver.group == 2 && driver.alive) {
                        driver.alive = false; // its device connection is gone: what it holds is dropped
                        driver.dropEverything();
                        harness.removeDriver(driver);
                    }
                }
            }
            if (step == returnStep) {
                register(2);
            }
        }

        int submit(int count) {
            Section[] batch = new Section[count];
            for (int i = 0; i < count; i++) {
                int index = queue.size();
                Section section = randomSection(index);
                queue.add(section);
                submittedAt.add(harness.time.now());
                section.future().whenComplete((result, failure) -> {
                    completedAt.put(section, harness.time.now());
                    completedInStep.put(section, step);
                });
                batch[i] = section;
            }
            harness.run(batch);
            return count;
        }

        Section randomSection(int index) {
            int orderCount = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(5);
            List<Order> orders = new ArrayList<>();
            for (int i = 0; i < orderCount; i++) {
                Place place = new Place(index, i);
                AdviseLevel advise = random.nextBoolean() ? AdviseLevel.FORCE : AdviseLevel.ADVISE;
                int roll = random.nextInt(100);
                if (roll < 35) {
                    orders.add(new ReadOrder(randomPathpoint(), advise));
                } else if (roll < 70) {
                    Instant staleAfter = switch (random.nextInt(4)) {
                        case 0 -> harness.time.now().minusMillis(1);
                        case 1 -> harness.time.now().plusMillis(random.nextInt(2_000));
                        default -> null;
                    };
                    orders.add(new WriteOrder(randomPathpoint(), PathpointValue.of(place.code()), advise, staleAfter));
                } else if (roll < 82) {
                    orders.add(new WaitOrder(Duration.ofMillis(random.nextInt(500))));
                } else if (roll < 92) {
                    orders.add(new SysctlOrder(random.nextInt(4) == 0 ? "refuse" : random.nextInt(8) == 0 ? "nobody" : "noop",
                            Long.toString(place.code())));
                } else {
                    orders.add(new MessageOrder("m" + place.code()));
                }
            }
            return new Section(orders, random.nextInt(5) == 0 ? Disposition.CANNOT_JOIN : Disposition.JOINABLE);
        }

        String randomPathpoint() {
            int roll = random.nextInt(100);
            if (roll < 5) {
                return "W9r0"; // valid, never served
            }
            if (roll < 8) {
                return "Wxr0"; // refused by the grammar
            }
            if (roll < 10) {
                return "Q1"; // no type letter
            }
            return "W" + (1 + random.nextInt((int) SERVED_GROUPS)) + "r" + random.nextInt(PATHPOINTS_PER_GROUP);
        }

        void completeSomeHeld() {
            for (ModelDriver driver : drivers) {
                driver.answerSome();
            }
            harness.settle();
        }

        void cancelOne() {
            if (!queue.isEmpty()) {
                queue.get(random.nextInt(queue.size())).cancel();
                harness.settle();
            }
        }

        boolean allDone() {
            return queue.stream().allMatch(section -> section.future().isDone());
        }

        List<Integer> pending() {
            List<Integer> pending = new ArrayList<>();
            for (int i = 0; i < queue.size(); i++) {
                if (!queue.get(i).future().isDone()) {
                    pending.add(i);
                }
            }
            return pending;
        }

        // --- checks after every step --------------------------------------------------------------

        void check() {
            checkNothingStartableWaits();
            checkBarriersByState();
        }

        /** With the engine quiet, a queued section that could start has started. */
        void checkNothingStartableWaits() {
            EngineState state = harness.state();
            if (state.queuedSections() == 0) {
                return;
            }
            Section head = harness.engine.queuedSections(Integer.MAX_VALUE).stream()
                    .filter(section -> section.state() != SectionState.CANCELLED).findFirst().orElse(null);
            if (head == null) {
                return; // only cancelled ones, dropped when the queue next moves
            }
            boolean barrierRunning = queue.stream().anyMatch(section -> !section.isJoinable()
                    && section.state() == SectionState.EXECUTING);
            if (!barrierRunning && (head.isJoinable() || state.runningSections() == 0)) {
                fail("section " + queue.indexOf(head) + " (" + head.disposition() + ") waits in the queue although nothing"
                        + " holds it (" + state + "): " + harness.engine.describePendingWork());
            }
        }

        /** A running barrier runs alone; a started barrier had everything before it finished. */
        void checkBarriersByState() {
            for (int b = 0; b < queue.size(); b++) {
                Section barrier = queue.get(b);
                if (barrier.isJoinable() || barrier.state() == SectionState.CANCELLED) {
                    continue;
                }
                boolean barrierStarted = barrier.state() == SectionState.EXECUTING || barrier.state() == SectionState.DONE;
                if (barrierStarted) {
                    for (int e = 0; e < b; e++) {
                        SectionState earlier = queue.get(e).state();
                        if (earlier != SectionState.DONE && earlier != SectionState.CANCELLED) {
                            fail("CANNOT_JOIN section " + b + " started while section " + e + " before it is " + earlier);
                        }
                    }
                }
                if (barrier.state() != SectionState.DONE) {
                    for (int later = b + 1; later < queue.size(); later++) {
                        SectionState state = queue.get(later).state();
                        if (state == SectionState.EXECUTING || state == SectionState.DONE) {
                            fail("section " + later + " is " + state + " while CANNOT_JOIN section " + b + " before it is "
                                    + barrier.state());
                        }
                    }
                }
            }
        }

        // --- checks at the end ---------------------------------------------------------------------

        void finalChecks() {
            for (int i = 0; i < queue.size(); i++) {
                if (!queue.get(i).future().isDone()) {
                    fail("the future of section " + i + " never completed");
                }
            }
            EngineState state = harness.state();
            if (!state.isIdle()) {
                fail("the engine holds state while idle: " + state);
            }
            checkBarriersByReceipts();
            checkOutcomes();
            checkPathpointOrder();
        }

        /** What reached a driver or handler reached it only when the barriers allowed. */
        void checkBarriersByReceipts() {
            for (Event receipt : receipts) {
                for (int b = 0; b < queue.size(); b++) {
                    Section barrier = queue.get(b);
                    if (barrier.isJoinable() || barrier.future().isCancelled()) {
                        continue;
                    }
                    if (receipt.place.section > b && completedInStep.getOrDefault(barrier, Integer.MAX_VALUE) > receipt.step) {
                        fail("an order of section " + receipt.place.section + " reached a driver or handler in step "
                                + receipt.step + ", before CANNOT_JOIN section " + b + " finished (step "
                                + completedInStep.get(barrier) + ")");
                    }
                    if (receipt.place.section == b) {
                        for (int e = 0; e < b; e++) {
                            Section earlier = queue.get(e);
                            if (!earlier.future().isCancelled()
                                    && completedInStep.getOrDefault(earlier, Integer.MAX_VALUE) > receipt.step) {
                                fail("CANNOT_JOIN section " + b + " reached a driver or handler in step " + receipt.step
                                        + " while section " + e + " before it was unfinished");
                            }
                        }
                    }
                }
            }
        }

        void checkOutcomes() {
            for (int s = 0; s < queue.size(); s++) {
                Section section = queue.get(s);
                if (!section.future().isDone() || section.future().isCancelled()) {
                    continue; // never completed: reported already
                }
                SectionResult result = section.future().join();
                Instant done = completedAt.get(section);
                Duration ran = Duration.between(submittedAt.get(s), done);
                if (ran.compareTo(section.maxWait()) < 0) {
                    fail("section " + s + " completed after " + ran + ", before its longest wait " + section.maxWait());
                }
                for (int o = 0; o < section.orders().size(); o++) {
                    Order order = section.orders().get(o);
                    OrderOutcome outcome = result.outcome(o);
                    Place place = new Place(s, o);
                    int tries = attempts.getOrDefault(place, 0);
                    if (tries > order.tries()) {
                        fail(order + " of section " + s + " was tried " + tries + " times, more than its " + order.tries());
                    }
                    if (outcome instanceof OrderOutcome.Failed failed) {
                        checkFailure(s, order, failed, ran);
                    } else if (outcome instanceof OrderOutcome.Done && order.failures() >= order.tries()) {
                        fail(order + " of section " + s + " succeeded after its tries had run out");
                    } else if (outcome instanceof OrderOutcome.Stale) {
                        WriteOrder write = (WriteOrder) order;
                        if (!write.isStaleAt(done)) {
                            fail(order + " of section " + s + " ended stale although its instant had not passed");
                        }
                    }
                    if (outcome instanceof OrderOutcome.Unhandled
                            && !(order instanceof SysctlOrder sysctl && sysctl.opType().equals("nobody"))) {
                        fail(order + " of section " + s + " ended unhandled");
                    }
                }
            }
        }

        void checkFailure(int s, Order order, OrderOutcome.Failed failed, Duration ran) {
            switch (failed.reason()) {
                case TIMEOUT, MALFORMED -> {
                    if (order.failures() != order.tries()) {
                        fail(order + " of section " + s + " gave up on " + failed.reason() + " after " + order.failures()
                                + " of its " + order.tries() + " tries");
                    }
                }
                case NO_DRIVER -> {
                    Duration wait = settings.noDriverWait(((PathpointOrder) order).advise());
                    if (ran.compareTo(wait) < 0) {
                        fail(order + " of section " + s + " failed NO_DRIVER after " + ran + ", before its wait of " + wait);
                    }
                }
                case INVALID, TYPE, ERROR -> {
                    // refused by the grammar, the type letter, a driver or a handler: once
                }
                default -> fail(order + " of section " + s + " failed " + failed.reason() + ": " + failed.message());
            }
        }

        /** Writes on a pathpoint were applied in queue order; a read saw what queue order allows. */
        void checkPathpointOrder() {
            applied.forEach((pathpoint, codes) -> {
                for (int i = 1; i < codes.size(); i++) {
                    if (codes.get(i) < codes.get(i - 1)) {
                        fail("writes to " + pathpoint + " applied out of queue order: "
                                + codes.stream().map(Place::of).toList());
                    }
                }
            });
            Map<String, Long> lastDoneWrite = new HashMap<>();
            Map<String, Long> lastQueuedWrite = new HashMap<>();
            for (int s = 0; s < queue.size(); s++) {
                Section section = queue.get(s);
                if (!section.future().isDone() || section.future().isCancelled()) {
                    continue;
                }
                List<OrderOutcome> outcomes = section.future().join().outcomes();
                for (int o = 0; o < section.orders().size(); o++) {
                    Order order = section.orders().get(o);
                    OrderOutcome outcome = outcomes.get(o);
                    if (order instanceof WriteOrder write) {
                        long code = new Place(s, o).code();
                        lastQueuedWrite.put(write.pathpoint(), code);
                        if (outcome instanceof OrderOutcome.Done) {
                            lastDoneWrite.put(write.pathpoint(), code);
                        }
                    } else if (order instanceof ReadOrder read && outcome instanceof OrderOutcome.Done done) {
                        long seen = ((PathpointValue.Whole) done.value().orElseThrow()).value();
                        long floor = lastDoneWrite.getOrDefault(read.pathpoint(), 0L);
                        long ceiling = lastQueuedWrite.getOrDefault(read.pathpoint(), 0L);
                        if (seen < floor || seen > ceiling) {
                            fail("the read of " + read.pathpoint() + " in section " + s + " saw the write of " + Place.of(seen)
                                    + ", outside what queue order allows (" + Place.of(floor) + " to " + Place.of(ceiling) + ")");
                        }
                    }
                }
            }
        }

        // --- the model's drivers and handlers -----------------------------------------------------

        /** Remembers that an order reached a driver or handler, in this step. */
        void received(Place place) {
            receipts.add(new Event(step, place));
            attempts.merge(place, 1, Integer::sum);
        }

        /** A driver of one device group, over the shared device map; random answers. */
        final class ModelDriver implements PathpointDriver {
            final String name;
            final int group;
            final List<DriverOperation> held = new ArrayList<>();
            final List<DriverOperation> neverAnswered = new ArrayList<>();
            boolean alive = true;

            ModelDriver(String name, int group) {
                this.name = name;
                this.group = group;
            }

            @Override
            public void execute(List<DriverOperation> batch) {
                for (DriverOperation operation : batch) {
                    if (operation instanceof WriteOperation write) {
                        long code = ((PathpointValue.Whole) write.value()).value();
                        received(Place.of(code));
                        WriteOrder order = (WriteOrder) queue.get(Place.of(code).section).orders().get(Place.of(code).order);
                        if (order.isStaleAt(harness.time.now())) {
                            fail(order + " reached the driver after its stale instant");
                        }
                    }
                    int roll = random.nextInt(100);
                    if (roll < 45) {
                        answer(operation);
                    } else if (roll < 70) {
                        held.add(operation);
                    } else if (roll < 80) {
                        operation.fail(new OperationFailedException(OperationFailedReason.TIMEOUT, name + ": busy"));
                    } else if (roll < 86) {
                        operation.fail(new OperationFailedException(OperationFailedReason.MALFORMED, name + ": garbled"));
                    } else if (roll < 90) {
                        operation.fail(new OperationFailedException(OperationFailedReason.INVALID, name + ": no such address"));
                    } else {
                        neverAnswered.add(operation); // the engine times it out
                    }
                }
            }

            void answer(DriverOperation operation) {
                if (!alive) {
                    return;
                }
                if (operation instanceof WriteOperation write) {
                    // the device takes a write only when the engine still waits for it
                    long code = ((PathpointValue.Whole) write.value()).value();
                    if (write.complete(write.value())) {
                        device.put(write.pathpoint(), code);
                        applied.computeIfAbsent(write.pathpoint(), p -> new ArrayList<>()).add(code);
                    }
                } else {
                    operation.complete(PathpointValue.of(device.getOrDefault(operation.pathpoint(), 0L)));
                }
            }

            void answerSome() {
                List<DriverOperation> now = new ArrayList<>();
                for (DriverOperation operation : List.copyOf(held)) {
                    if (random.nextBoolean()) {
                        held.remove(operation);
                        now.add(operation);
                    }
                }
                now.forEach(this::answer);
            }

            /** Gone: what it held never reached the device, so those were no tries. */
            void dropEverything() {
                List<DriverOperation> all = new ArrayList<>(held);
                all.addAll(neverAnswered);
                held.clear();
                neverAnswered.clear();
                for (DriverOperation operation : all) {
                    if (operation instanceof WriteOperation write) {
                        attempts.merge(Place.of(((PathpointValue.Whole) write.value()).value()), -1, Integer::sum);
                    }
                }
            }

            void answerEverything() {
                List<DriverOperation> all = new ArrayList<>(held);
                all.addAll(neverAnswered);
                held.clear();
                neverAnswered.clear();
                all.forEach(this::answer);
            }

            @Override
            public String toString() {
                return name;
            }
        }

        /** Accepts {@code W<group>r<address>}; refuses other names starting with W, naming the position. */
        final class ModelGrammar implements PathpointGrammar {
            @Override
            public PathpointType typeOf(String pathpoint) throws OperationFailedException {
                if (!pathpoint.matches("W\\d+r\\d+")) {
                    throw new OperationFailedException(OperationFailedReason.INVALID, "at position 2: expected a unit number");
                }
                return PathpointType.UNSIGNED_16;
            }
        }

        final class ModelSysctl implements SysctlHandler {
            @Override
            public String execute(String opType, String opArgs) throws OperationFailedException {
                received(Place.of(Long.parseLong(opArgs)));
                if (opType.equals("refuse")) {
                    throw new OperationFailedException(OperationFailedReason.INVALID, "refused");
                }
                return "";
            }
        }

        final class ModelMessages implements MessageHandler {
            @Override
            public void acknowledge(String uuid) throws OperationFailedException {
                received(Place.of(Long.parseLong(uuid.substring(1))));
                if (random.nextInt(3) == 0) {
                    throw new OperationFailedException(OperationFailedReason.TIMEOUT, "server busy");
                }
            }
        }
    }
}
