package dev.pathpoint.api.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.MessageOrder;
import dev.pathpoint.api.order.Order;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.order.SysctlOrder;
import dev.pathpoint.api.order.WaitOrder;
import dev.pathpoint.api.order.WriteOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointValue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SectionCodec#readResult}: a result line read back into the section's own orders. */
class SectionResultReadTest {
    private final ReadOrder readWhole = new ReadOrder("W1r0", AdviseLevel.FORCE);
    private final ReadOrder readReal = new ReadOrder("f1r100", AdviseLevel.ADVISE);
    private final ReadOrder readNan = new ReadOrder("d1r200", AdviseLevel.ADVISE);
    private final ReadOrder readText = new ReadOrder("u1r8", AdviseLevel.ADVISE);
    private final WriteOrder write = new WriteOrder("W1r1", PathpointValue.of(12), AdviseLevel.ADVISE,
            Instant.ofEpochSecond(1_767_225_600L, 250_000_000));
    private final WriteOrder staleWrite = new WriteOrder("W1r2", PathpointValue.of(3), AdviseLevel.ADVISE);
    private final WaitOrder wait = new WaitOrder(Duration.ofMillis(1500));
    private final SysctlOrder sysctl = new SysctlOrder("update", "dev.pathpoint.modbus");
    private final MessageOrder message = new MessageOrder("5b0c8f0e-1111-4c8e-9e3b-0d6f1b0a8e21");
    private final ReadOrder cancelledRead = new ReadOrder("W1r3", AdviseLevel.ADVISE);
    private final SysctlOrder unhandled = new SysctlOrder("nobody", "");

    @Test
    void everyOutcomeRoundTripsOntoTheSameOrderObjects() throws Exception {
        List<Order> orders = List.of(readWhole, readReal, readNan, readText, write, staleWrite, wait, sysctl, message,
                cancelledRead, unhandled);
        SectionResult written = new SectionResult(List.of(
                OrderOutcome.done(readWhole, PathpointValue.of(1200)),
                OrderOutcome.done(readReal, PathpointValue.of(3.5)),
                OrderOutcome.done(readNan, PathpointValue.of(Double.NaN)),
                OrderOutcome.done(readText, PathpointValue.of("pump 3")),
                new OrderOutcome.Failed(write, OperationFailedReason.TIMEOUT, "no answer from 127.0.0.1:5020 within 1 s"),
                new OrderOutcome.Stale(staleWrite),
                OrderOutcome.done(wait),
                OrderOutcome.done(sysctl, PathpointValue.of("updated 1 bundle")),
                OrderOutcome.done(message),
                new OrderOutcome.Cancelled(cancelledRead),
                new OrderOutcome.Unhandled(unhandled)));
        String line = SectionCodec.writeResult(written);

        SectionResult read = SectionCodec.readResult(line, orders);

        assertEquals(written, read);
        for (int i = 0; i < orders.size(); i++) {
            assertSame(orders.get(i), read.outcome(i).order(), "outcome " + i + " is on the section's own order");
        }
        assertEquals(line, SectionCodec.writeResult(read), "written again, byte for byte the same line");
        assertInstanceOf(PathpointValue.Real.class, ((OrderOutcome.Done) read.outcome(2)).value().orElseThrow());
    }

    @Test
    void aWholeNumberStaysWholeAndARealNumberReal() throws Exception {
        SectionResult read = SectionCodec.readResult(
                "{\"succeeded\":true,\"orders\":[{\"type\":\"read\",\"path\":\"W1r0\",\"advise\":1,\"status\":\"done\",\"value\":7},"
                        + "{\"type\":\"read\",\"path\":\"f1r100\",\"advise\":0,\"status\":\"done\",\"value\":7.0}]}",
                List.of(readWhole, readReal));
        assertEquals(PathpointValue.of(7), ((OrderOutcome.Done) read.outcome(0)).value().orElseThrow());
        assertEquals(PathpointValue.of(7.0), ((OrderOutcome.Done) read.outcome(1)).value().orElseThrow());
    }

    @Test
    void aResultOfAnotherSectionIsRefusedNamingThePlace() {
        String line = SectionCodec.writeResult(new SectionResult(List.of(OrderOutcome.done(readWhole, PathpointValue.of(1)))));
        WireFormatException count = assertThrows(WireFormatException.class,
                () -> SectionCodec.readResult(line, List.of(readWhole, readReal)));
        assertEquals("$.orders", count.location());
        assertTrue(count.problem().contains("1 order results, the section has 2 orders"), count.problem());

        WireFormatException path = assertThrows(WireFormatException.class,
                () -> SectionCodec.readResult(line, List.of(cancelledRead)));
        assertEquals("$.orders[0].path", path.location());
        assertTrue(path.problem().contains("'W1r0' but the section's order is on 'W1r3'"), path.problem());

        WireFormatException type = assertThrows(WireFormatException.class,
                () -> SectionCodec.readResult(line, List.of(wait)));
        assertEquals("$.orders[0].type", type.location());
    }

    @Test
    void badLinesAreRefusedNamingThePlace() {
        List<Order> one = List.of(readWhole);
        assertEquals("$", assertThrows(WireFormatException.class, () -> SectionCodec.readResult("{", one)).location());
        assertEquals("$", assertThrows(WireFormatException.class, () -> SectionCodec.readResult("[]", one)).location());
        assertEquals("$.orders", assertThrows(WireFormatException.class,
                () -> SectionCodec.readResult("{\"succeeded\":true}", one)).location());
        assertEquals("$.orders[0].status", assertThrows(WireFormatException.class, () -> SectionCodec.readResult(
                "{\"orders\":[{\"type\":\"read\",\"path\":\"W1r0\",\"status\":\"exploded\"}]}", one)).location());
        assertEquals("$.orders[0].reason", assertThrows(WireFormatException.class, () -> SectionCodec.readResult(
                "{\"orders\":[{\"type\":\"read\",\"path\":\"W1r0\",\"status\":\"failed\",\"reason\":\"BAD_LUCK\"}]}", one))
                .location());
        assertEquals("$.succeeded", assertThrows(WireFormatException.class, () -> SectionCodec.readResult(
                "{\"succeeded\":false,\"orders\":[{\"type\":\"read\",\"path\":\"W1r0\",\"status\":\"done\",\"value\":1}]}", one))
                .location());
    }
}
