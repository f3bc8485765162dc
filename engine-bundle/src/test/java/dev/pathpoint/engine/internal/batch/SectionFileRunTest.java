package dev.pathpoint.engine.internal.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.executor.ExecutorStatistics;
import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.order.PathpointOrder;
import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.value.PathpointValue;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SectionFileRunTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<Section> executed = new ArrayList<>();

    /** Reads of pathpoints starting with "W" succeed with 7; anything else fails TIMEOUT. */
    private final OrderExecutor answering = new FakeExecutor(true);
    /** Never runs anything. */
    private final OrderExecutor stalled = new FakeExecutor(false);

    private final class FakeExecutor implements OrderExecutor {
        private final boolean answers;

        FakeExecutor(boolean answers) {
            this.answers = answers;
        }

        @Override
        public void execute(Section... sections) {
            for (Section section : sections) {
                executed.add(section);
                if (answers) {
                    section.markAsBeingExecuted();
                    section.markAsDone(new SectionResult(section.orders().stream().map(order ->
                            ((PathpointOrder) order).pathpoint().startsWith("W")
                                    ? (OrderOutcome) OrderOutcome.done(order, PathpointValue.of(7))
                                    : new OrderOutcome.Failed(order, OperationFailedReason.TIMEOUT, "no answer")).toList()));
                }
            }
        }

        @Override
        public ExecutorStatistics statistics() {
            throw new UnsupportedOperationException();
        }
    }

    private Path file(String json) throws Exception {
        Path file = dir.resolve("sections.json");
        Files.writeString(file, json.replace('\'', '"'));
        return file;
    }

    private int run(OrderExecutor executor, Path file, Duration timeout) throws Exception {
        return new SectionFileRun(executor, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> "1 section waits for driver plc-1")
                .run(file, "sections.json", timeout);
    }

    private List<String> outLines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void everyOrderSucceedingPrintsOneResultPerSectionAndExitsZero() throws Exception {
        Path sections = file("[{'orders': [{'type': 'read', 'path': 'W1r0'}]}, {'orders': [{'type': 'read', 'path': 'W1r1'}]}]");
        assertEquals(SectionFileRun.SUCCEEDED, run(answering, sections, Duration.ofSeconds(5)));
        List<String> lines = outLines();
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).contains("\"path\":\"W1r0\"") && lines.get(0).contains("\"value\":7"), lines.get(0));
        assertTrue(lines.get(1).contains("\"path\":\"W1r1\""), lines.get(1));
    }

    @Test
    void anyFailedOrderExitsOne() throws Exception {
        Path sections = file("[{'orders': [{'type': 'read', 'path': 'W1r0'}]}, {'orders': [{'type': 'read', 'path': 'f1r2'}]}]");
        assertEquals(SectionFileRun.SOME_FAILED, run(answering, sections, Duration.ofSeconds(5)));
        assertEquals(2, outLines().size());
        assertTrue(outLines().get(1).contains("\"reason\":\"TIMEOUT\""), outLines().get(1));
    }

    @Test
    void badDocumentRunsNothingAndSaysWhere() throws Exception {
        Path sections = file("[{'orders': [{'type': 'read', 'path': 'W1r0'}]}, {'orders': [{'type': 'read', 'path': 'W1r1', 'advise': 9}]}]");
        assertEquals(SectionFileRun.NOT_RUN, run(answering, sections, Duration.ofSeconds(5)));
        assertTrue(executed.isEmpty(), "nothing of a bad document is queued");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("$[1].orders[0].advise"), err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(), outLines());
    }

    @Test
    void missingFileRunsNothing() throws Exception {
        assertEquals(SectionFileRun.NOT_RUN, run(answering, dir.resolve("absent.json"), Duration.ofSeconds(5)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot read"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sectionsThatNeverFinishGiveUpAtTheTimeoutAndAreCancelled() throws Exception {
        Path sections = file("{'orders': [{'type': 'read', 'path': 'W1r0'}]}");
        assertEquals(SectionFileRun.NOT_RUN, run(stalled, sections, Duration.ofMillis(1)));
        assertTrue(executed.get(0).future().isCancelled());
        assertEquals("pathpoint: 1 of 1 sections (from section 0 on) did not finish within 0 s; 1 section waits for driver plc-1\n",
                err.toString(StandardCharsets.UTF_8));
    }
}
