package dev.pathpoint.modbus.internal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.modbus.internal.name.Area;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadPlannerTest {
    private static final Area HR = Area.HOLDING_REGISTER;

    private static PlanningLimits limits(int maxRegisters, int maxGap) {
        return new PlanningLimits(maxRegisters, 2000, maxGap, 64, 123, 1968, true, true);
    }

    private static ReadItem<String> item(String tag, int start, int width) {
        return new ReadItem<>(tag, 1, HR, start, width);
    }

    @Test
    void mergesNeighboursWithinTheGapAndSplitsBeyondIt() {
        List<ReadRequest<String>> plan = ReadPlanner.plan(List.of(item("a", 0, 1), item("b", 5, 2), item("c", 20, 1)),
                limits(125, 4), new HoleMap(10));
        assertEquals(2, plan.size());
        assertEquals(0, plan.get(0).start());
        assertEquals(7, plan.get(0).count());
        assertEquals(20, plan.get(1).start());
    }

    @Test
    void respectsTheProtocolLimitOf125RegistersAnd2000Bits() {
        List<ReadItem<String>> items = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            items.add(item("r" + i, i, 1));
        }
        List<ReadRequest<String>> plan = ReadPlanner.plan(items, PlanningLimits.DEFAULTS, new HoleMap(10));
        assertEquals(List.of(125, 125, 50), plan.stream().map(ReadRequest::count).toList());

        List<ReadItem<String>> bits = new ArrayList<>();
        for (int i = 0; i < 4500; i++) {
            bits.add(new ReadItem<>("c" + i, 1, Area.COIL, i, 1));
        }
        assertEquals(List.of(2000, 2000, 500),
                ReadPlanner.plan(bits, PlanningLimits.DEFAULTS, new HoleMap(10)).stream().map(ReadRequest::count).toList());
    }

    @Test
    void groupsByUnitAndArea() {
        List<ReadRequest<String>> plan = ReadPlanner.plan(List.of(item("a", 0, 1), new ReadItem<>("b", 2, HR, 1, 1),
                new ReadItem<>("c", 1, Area.INPUT_REGISTER, 1, 1), item("d", 1, 1)), PlanningLimits.DEFAULTS, new HoleMap(10));
        assertEquals(3, plan.size());
        assertEquals(List.of("a", "d"), plan.get(0).items().stream().map(ReadItem::tag).toList());
    }

    @Test
    void neverMergesOverARememberedHoleAndReadsHoleItemsAlone() {
        HoleMap holes = new HoleMap(10);
        holes.add(1, HR, 3, 4);
        List<ReadRequest<String>> plan = ReadPlanner.plan(List.of(item("a", 0, 1), item("b", 6, 1), item("bad", 4, 2)),
                limits(125, 10), holes);
        assertEquals(3, plan.size());
        for (ReadRequest<String> request : plan) {
            if (request.items().stream().noneMatch(i -> i.tag().equals("bad"))) {
                assertFalse(holes.intersects(1, HR, request.start(), request.end()));
            } else {
                assertEquals(1, request.items().size());
            }
        }
    }

    @Test
    void holeMapKeepsRangesDisjoint() {
        HoleMap holes = new HoleMap(10);
        holes.add(1, HR, 10, 12);
        holes.add(1, HR, 0, 2);
        holes.add(1, HR, 3, 9);
        assertEquals(1, holes.size());
        assertTrue(holes.intersects(1, HR, 7, 8));
        assertFalse(holes.intersects(1, HR, 13, 20));
        assertFalse(holes.intersects(2, HR, 0, 20));
        HoleMap full = new HoleMap(1);
        full.add(1, HR, 0, 0);
        full.add(1, HR, 5, 5);
        assertEquals(1, full.size());
    }

    /**
     * Items come in a section's order: any order plans the same. Addresses beyond what the sort packs
     * into a number (none a Modbus name can give) plan the same, shifted.
     */
    @Test
    void theItemsOrderDoesNotMatterAndAddressesBeyondThePackedRangePlanTheSame() {
        Random random = new Random(11);
        List<ReadItem<String>> items = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            items.add(item("i" + i, random.nextInt(5000), 1 + random.nextInt(4)));
        }
        List<String> expected = shapes(ReadPlanner.plan(items, PlanningLimits.DEFAULTS, new HoleMap(10)), 0);
        for (int round = 0; round < 5; round++) {
            List<ReadItem<String>> shuffled = new ArrayList<>(items);
            java.util.Collections.shuffle(shuffled, random);
            assertEquals(expected, shapes(ReadPlanner.plan(shuffled, PlanningLimits.DEFAULTS, new HoleMap(10)), 0));
        }
        int offset = 200_000;
        List<ReadItem<String>> far = items.stream().map(i -> item(i.tag(), i.start() + offset, i.width())).toList();
        assertEquals(expected, shapes(ReadPlanner.plan(far, PlanningLimits.DEFAULTS, new HoleMap(10)), offset));
    }

    /** Each request as start+count and its items' tags in address order, the longest first among equal starts. */
    private static List<String> shapes(List<ReadRequest<String>> plan, int offset) {
        return plan.stream().map(request -> (request.start() - offset) + "+" + request.count() + " "
                + request.items().stream().map(i -> i.tag() + "@" + (i.start() - offset) + "-" + (i.end() - offset)).sorted().toList())
                .sorted().toList();
    }

    /** The plan is a valid cover and has as few requests as the exhaustive minimum, on random inputs. */
    @Test
    void requestCountIsTheMinimumOnRandomInputs() {
        Random random = new Random(7);
        for (int round = 0; round < 3000; round++) {
            int maxCount = 1 + random.nextInt(12);
            int maxGap = random.nextInt(5);
            int itemCount = 1 + random.nextInt(9);
            List<ReadItem<String>> items = new ArrayList<>();
            for (int i = 0; i < itemCount; i++) {
                items.add(item("i" + i, random.nextInt(30), 1 + random.nextInt(Math.min(4, maxCount))));
            }
            HoleMap holes = new HoleMap(100);
            if (random.nextBoolean()) {
                int at = random.nextInt(30);
                holes.add(1, HR, at, at + random.nextInt(3));
            }
            PlanningLimits limits = limits(maxCount, maxGap);
            List<ReadRequest<String>> plan = ReadPlanner.plan(items, limits, holes);
            String context = "items " + items + " max " + maxCount + " gap " + maxGap + " " + holes + " plan " + plan;
            checkValid(plan, items, limits, holes, context);
            assertEquals(bruteForceMinimum(items, limits, holes), plan.size(), context);
        }
    }

    private static void checkValid(List<ReadRequest<String>> plan, List<ReadItem<String>> items, PlanningLimits limits,
            HoleMap holes, String context) {
        Set<ReadItem<String>> served = new HashSet<>();
        for (ReadRequest<String> request : plan) {
            assertTrue(request.count() <= limits.maxReadRegisters(), context);
            for (ReadItem<String> item : request.items()) {
                assertTrue(item.start() >= request.start() && item.end() <= request.end(), context);
                assertTrue(served.add(item), context);
            }
            if (request.items().size() > 1) {
                assertFalse(holes.intersects(1, HR, request.start(), request.end()), context);
                assertTrue(gapsWithin(request.start(), request.end(), request.items(), limits.maxRegisterGap()), context);
            }
        }
        assertEquals(items.size(), served.size(), context);
    }

    private static boolean gapsWithin(int start, int end, List<ReadItem<String>> members, int maxGap) {
        boolean[] covered = new boolean[end - start + 1];
        for (ReadItem<String> member : members) {
            for (int a = member.start(); a <= member.end(); a++) {
                covered[a - start] = true;
            }
        }
        int run = 0;
        for (boolean c : covered) {
            run = c ? 0 : run + 1;
            if (run > maxGap) {
                return false;
            }
        }
        return true;
    }

    /**
     * Exhaustive minimum: items touching a hole are read alone; the others are covered by the fewest
     * ranges, where a range is valid if it fits the limit, crosses no hole and, counting only the items
     * inside it, has no run of unrequested addresses longer than the gap. Found by breadth-first search
     * over the sets of items covered.
     */
    private static int bruteForceMinimum(List<ReadItem<String>> items, PlanningLimits limits, HoleMap holes) {
        List<ReadItem<String>> normal = new ArrayList<>();
        int alone = 0;
        for (ReadItem<String> item : items) {
            if (holes.intersects(1, HR, item.start(), item.end())) {
                alone++;
            } else {
                normal.add(item);
            }
        }
        int n = normal.size();
        if (n == 0) {
            return alone;
        }
        List<Integer> rangeMasks = new ArrayList<>();
        for (ReadItem<String> first : normal) {
            for (ReadItem<String> last : normal) {
                int start = first.start();
                int end = last.end();
                if (end < start || end - start + 1 > limits.maxReadRegisters() || holes.intersects(1, HR, start, end)) {
                    continue;
                }
                int mask = 0;
                List<ReadItem<String>> inside = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (normal.get(i).start() >= start && normal.get(i).end() <= end) {
                        mask |= 1 << i;
                        inside.add(normal.get(i));
                    }
                }
                if (gapsWithin(start, end, inside, limits.maxRegisterGap())) {
                    rangeMasks.add(mask);
                }
            }
        }
        int full = (1 << n) - 1;
        int[] distance = new int[1 << n];
        Arrays.fill(distance, -1);
        distance[0] = 0;
        List<Integer> frontier = List.of(0);
        while (distance[full] < 0) {
            List<Integer> next = new ArrayList<>();
            for (int state : frontier) {
                for (int mask : rangeMasks) {
                    int reached = state | mask;
                    if (distance[reached] < 0) {
                        distance[reached] = distance[state] + 1;
                        next.add(reached);
                    }
                }
            }
            frontier = next;
        }
        return alone + distance[full];
    }
}
