package dev.pathpoint.web.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.order.AdviseLevel;
import dev.pathpoint.api.order.ReadOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Runs and the bounded retention of their results, on a manual clock, completed on the test's thread. */
class SectionRunsTest {
    private final AtomicLong now = new AtomicLong();

    private SectionRuns runs(int maxRunning, int maxRetained, long maxBytes, long retention) {
        return new SectionRuns(new SectionRuns.Limits(maxRunning, maxRetained, maxBytes, retention), now::get, Runnable::run);
    }

    private static Section read(String pathpoint) {
        return Section.of(new ReadOrder(pathpoint, AdviseLevel.ADVISE));
    }

    private static void finish(SectionRun run) {
        for (Section section : run.sections()) {
            section.markAsBeingExecuted();
            section.markAsDone(new SectionResult(List.of(OrderOutcome.done(section.orders().get(0), PathpointValue.of(1)))));
        }
    }

    @Test
    void resultLinesComeInTheRequestsOrderCancelledSectionsIncluded() throws Exception {
        SectionRuns runs = runs(10, 10, 1 << 20, 1000);
        SectionRun run = runs.start("token:a", List.of(read("W1r0"), read("W1r1")));
        run.sections().get(1).cancel();
        Section first = run.sections().get(0);
        first.markAsBeingExecuted();
        first.markAsDone(new SectionResult(List.of(OrderOutcome.done(first.orders().get(0), PathpointValue.of(7)))));
        String lines = new String(run.done().get(), StandardCharsets.UTF_8);
        assertEquals("{\"succeeded\":true,\"orders\":[{\"type\":\"read\",\"path\":\"W1r0\",\"advise\":0,\"status\":\"done\",\"value\":7}]}\n"
                + "{\"succeeded\":false,\"orders\":[{\"type\":\"read\",\"path\":\"W1r1\",\"advise\":0,\"status\":\"cancelled\"}]}\n", lines);
        assertEquals(0, runs.runningCount());
        assertEquals(0, runs.retainedCount(), "not retained unless answered 202");
    }

    @Test
    void unfinishedRunsAreBounded() throws Exception {
        SectionRuns runs = runs(2, 10, 1 << 20, 1000);
        runs.start("a", List.of(read("x")));
        SectionRun second = runs.start("a", List.of(read("y")));
        assertThrows(SectionRuns.TooManyRuns.class, () -> runs.start("a", List.of(read("z"))));
        finish(second);
        runs.start("a", List.of(read("z")));
    }

    @Test
    void retainedResultsExpireAndAreBoundedByCountAndBytes() throws Exception {
        SectionRuns runs = runs(10, 2, 1 << 20, 1000);
        SectionRun a = runs.start("a", List.of(read("p1")));
        SectionRun b = runs.start("a", List.of(read("p2")));
        SectionRun c = runs.start("a", List.of(read("p3")));
        for (SectionRun run : List.of(a, b, c)) {
            runs.retain(run);
            finish(run);
            now.addAndGet(10);
        }
        assertTrue(runs.find(a.id(), "a").isEmpty(), "the oldest beyond the count is forgotten");
        assertTrue(runs.find(b.id(), "a").isPresent());
        assertTrue(runs.find(c.id(), "b").isEmpty(), "another identity does not see it");
        now.addAndGet(1000);
        assertTrue(runs.find(c.id(), "a").isEmpty(), "expired");
        assertEquals(0, runs.retainedCount());

        int lineBytes = 95;
        SectionRuns small = runs(10, 100, 2L * lineBytes, 1000);
        SectionRun x = small.start("a", List.of(read("p1")));
        SectionRun y = small.start("a", List.of(read("p2")));
        SectionRun z = small.start("a", List.of(read("p3")));
        for (SectionRun run : List.of(x, y, z)) {
            small.retain(run);
            finish(run);
        }
        assertEquals(lineBytes, x.done().get().length);
        assertTrue(small.find(x.id(), "a").isEmpty(), "the oldest beyond the byte bound is forgotten");
        assertEquals(2, small.retainedCount());
    }

    @Test
    void aRunRetainedAfterItFinishedIsKept() throws Exception {
        SectionRuns runs = runs(10, 10, 1 << 20, 1000);
        SectionRun run = runs.start("a", List.of(read("p")));
        finish(run);
        runs.retain(run);
        assertTrue(runs.find(run.id(), "a").isPresent());
    }
}
