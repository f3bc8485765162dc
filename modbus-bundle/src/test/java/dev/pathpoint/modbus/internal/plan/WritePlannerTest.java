package dev.pathpoint.modbus.internal.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WritePlannerTest {
    private static final PlanningLimits NO_FC16_FC22 = new PlanningLimits(125, 2000, 10, 64, 123, 1968, false, false);

    @Test
    void adjacentRegistersBecomeOneFc16() {
        List<WriteItem<String>> items = List.of(
                new WriteItem.Registers<>("w12", 1, 12, new int[] {3}),
                new WriteItem.Registers<>("f10", 1, 10, new int[] {1, 2}),
                new WriteItem.Registers<>("w20", 1, 20, new int[] {9}));
        List<WriteRequest<String>> plan = WritePlanner.plan(items, PlanningLimits.DEFAULTS);
        assertEquals(2, plan.size());
        WriteRequest.Registers<String> merged = (WriteRequest.Registers<String>) plan.get(0);
        assertTrue(merged.multiple());
        assertEquals(10, merged.start());
        assertArrayEquals(new int[] {1, 2, 3}, merged.values());
        assertEquals(List.of("f10", "w12"), merged.tags());
        WriteRequest.Registers<String> single = (WriteRequest.Registers<String>) plan.get(1);
        assertFalse(single.multiple());
    }

    @Test
    void fc16IsSplitAt123Registers() {
        List<WriteItem<String>> items = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            items.add(new WriteItem.Registers<>("r" + i, 1, i, new int[] {i}));
        }
        List<WriteRequest<String>> plan = WritePlanner.plan(items, PlanningLimits.DEFAULTS);
        assertEquals(List.of(123, 7), plan.stream().map(r -> ((WriteRequest.Registers<String>) r).values().length).toList());
    }

    @Test
    void withoutFc16EveryRegisterGoesByFc6() {
        List<WriteRequest<String>> plan = WritePlanner.plan(List.of(new WriteItem.Registers<>("f", 1, 10, new int[] {1, 2}),
                new WriteItem.Registers<>("w", 1, 12, new int[] {3})), NO_FC16_FC22);
        assertEquals(3, plan.size());
        for (WriteRequest<String> request : plan) {
            assertFalse(((WriteRequest.Registers<String>) request).multiple());
        }
    }

    @Test
    void overlappingWritesAreNotMerged() {
        List<WriteRequest<String>> plan = WritePlanner.plan(List.of(new WriteItem.Registers<>("f", 1, 10, new int[] {1, 2}),
                new WriteItem.Registers<>("w", 1, 11, new int[] {3})), PlanningLimits.DEFAULTS);
        assertEquals(2, plan.size());
    }

    @Test
    void coilsMergeIntoFc15AndBitsOfOneRegisterIntoOneMask() {
        List<WriteItem<String>> items = List.of(
                new WriteItem.Coil<>("c1", 1, 1, true), new WriteItem.Coil<>("c2", 1, 2, false), new WriteItem.Coil<>("c9", 1, 9, true),
                new WriteItem.RegisterBit<>("b0", 1, 5, 0, true), new WriteItem.RegisterBit<>("b15", 1, 5, 15, false),
                new WriteItem.RegisterBit<>("other", 2, 5, 3, true));
        List<WriteRequest<String>> plan = WritePlanner.plan(items, PlanningLimits.DEFAULTS);
        assertEquals(4, plan.size());
        WriteRequest.Coils<String> fc15 = (WriteRequest.Coils<String>) plan.get(0);
        assertArrayEquals(new boolean[] {true, false}, fc15.values());
        assertEquals(1, ((WriteRequest.Coils<String>) plan.get(1)).values().length);
        WriteRequest.RegisterBits<String> mask = (WriteRequest.RegisterBits<String>) plan.get(2);
        assertEquals(0x7FFE, mask.andMask());
        assertEquals(0x0001, mask.orMask());
        assertTrue(mask.maskWrite());
        assertEquals(List.of("b0", "b15"), mask.tags());
        assertFalse(((WriteRequest.RegisterBits<String>) WritePlanner.plan(items, NO_FC16_FC22).get(2)).maskWrite());
    }
}
