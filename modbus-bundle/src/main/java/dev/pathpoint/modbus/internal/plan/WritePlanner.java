package dev.pathpoint.modbus.internal.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the writes of one batch into requests: registers adjacent in address (per unit) into one
 * FC16 up to the limit when the device accepts FC16, else FC6 per register; coils adjacent in address
 * into FC15 (FC5 alone); bits of one register into one mask write (or read-modify-write). Writes that
 * overlap are never merged.
 */
public final class WritePlanner {

    private WritePlanner() {
    }

    public static <T> List<WriteRequest<T>> plan(List<WriteItem<T>> items, PlanningLimits limits) {
        List<WriteRequest<T>> requests = new ArrayList<>();
        Map<Integer, List<WriteItem.Registers<T>>> registers = new LinkedHashMap<>();
        Map<Integer, List<WriteItem.Coil<T>>> coils = new LinkedHashMap<>();
        Map<List<Integer>, List<WriteItem.RegisterBit<T>>> bits = new LinkedHashMap<>();
        for (WriteItem<T> item : items) {
            if (item instanceof WriteItem.Registers<T> r) {
                registers.computeIfAbsent(r.unit(), key -> new ArrayList<>()).add(r);
            } else if (item instanceof WriteItem.Coil<T> c) {
                coils.computeIfAbsent(c.unit(), key -> new ArrayList<>()).add(c);
            } else if (item instanceof WriteItem.RegisterBit<T> b) {
                bits.computeIfAbsent(List.of(b.unit(), b.address()), key -> new ArrayList<>()).add(b);
            }
        }
        registers.forEach((unit, group) -> planRegisters(unit, group, limits, requests));
        coils.forEach((unit, group) -> planCoils(unit, group, limits, requests));
        bits.forEach((key, group) -> {
            int andMask = 0xFFFF;
            int orMask = 0;
            List<T> tags = new ArrayList<>();
            for (WriteItem.RegisterBit<T> bit : group) {
                andMask &= ~(1 << bit.bitIndex()) & 0xFFFF;
                if (bit.value()) {
                    orMask |= 1 << bit.bitIndex();
                }
                tags.add(bit.tag());
            }
            requests.add(new WriteRequest.RegisterBits<>(key.get(0), key.get(1), andMask, orMask, limits.maskWrites(), tags));
        });
        return requests;
    }

    private static <T> void planRegisters(int unit, List<WriteItem.Registers<T>> group, PlanningLimits limits,
            List<WriteRequest<T>> requests) {
        if (!limits.multipleRegisterWrites()) {
            // Without FC16 a multi-register value goes register by register: not atomic, but the only way.
            for (WriteItem.Registers<T> item : group) {
                for (int i = 0; i < item.values().length; i++) {
                    requests.add(new WriteRequest.Registers<>(unit, item.start() + i, new int[] {item.values()[i]}, false,
                            List.of(item.tag())));
                }
            }
            return;
        }
        List<WriteItem.Registers<T>> sorted = new ArrayList<>(group);
        sorted.sort(Comparator.comparingInt(WriteItem.Registers::start));
        List<WriteItem.Registers<T>> run = new ArrayList<>();
        int runEnd = -1;
        int runLength = 0;
        for (WriteItem.Registers<T> item : sorted) {
            boolean joins = !run.isEmpty() && item.start() == runEnd + 1
                    && runLength + item.values().length <= limits.maxWriteRegisters();
            if (!joins && !run.isEmpty()) {
                requests.add(registerRequest(unit, run));
                run = new ArrayList<>();
                runLength = 0;
            }
            run.add(item);
            runEnd = item.end();
            runLength += item.values().length;
        }
        if (!run.isEmpty()) {
            requests.add(registerRequest(unit, run));
        }
    }

    private static <T> WriteRequest<T> registerRequest(int unit, List<WriteItem.Registers<T>> run) {
        int length = run.stream().mapToInt(item -> item.values().length).sum();
        int[] values = new int[length];
        List<T> tags = new ArrayList<>();
        int offset = 0;
        for (WriteItem.Registers<T> item : run) {
            System.arraycopy(item.values(), 0, values, offset, item.values().length);
            offset += item.values().length;
            tags.add(item.tag());
        }
        return new WriteRequest.Registers<>(unit, run.get(0).start(), values, length > 1, tags);
    }

    private static <T> void planCoils(int unit, List<WriteItem.Coil<T>> group, PlanningLimits limits,
            List<WriteRequest<T>> requests) {
        List<WriteItem.Coil<T>> sorted = new ArrayList<>(group);
        sorted.sort(Comparator.comparingInt(WriteItem.Coil::address));
        List<WriteItem.Coil<T>> run = new ArrayList<>();
        for (WriteItem.Coil<T> coil : sorted) {
            boolean joins = !run.isEmpty() && coil.address() == run.get(run.size() - 1).address() + 1
                    && run.size() < limits.maxWriteCoils();
            if (!joins && !run.isEmpty()) {
                requests.add(coilRequest(unit, run));
                run = new ArrayList<>();
            }
            run.add(coil);
        }
        if (!run.isEmpty()) {
            requests.add(coilRequest(unit, run));
        }
    }

    private static <T> WriteRequest<T> coilRequest(int unit, List<WriteItem.Coil<T>> run) {
        boolean[] values = new boolean[run.size()];
        List<T> tags = new ArrayList<>();
        for (int i = 0; i < run.size(); i++) {
            values[i] = run.get(i).value();
            tags.add(run.get(i).tag());
        }
        return new WriteRequest.Coils<>(unit, run.get(0).address(), values, tags);
    }
}
