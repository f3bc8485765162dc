package dev.pathpoint.engine.internal.batch;

import dev.pathpoint.api.executor.OrderExecutor;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.wire.SectionCodec;
import dev.pathpoint.api.wire.WireFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Executes the sections of a wire-format file and prints one JSON result line per section, in file
 * order. The exit status says how it went: {@link #SUCCEEDED} when every order succeeded,
 * {@link #SOME_FAILED} when any did not, {@link #NOT_RUN} when the sections could not be run.
 */
public final class SectionFileRun {
    public static final int SUCCEEDED = 0;
    public static final int SOME_FAILED = 1;
    public static final int NOT_RUN = 2;

    private final OrderExecutor executor;
    private final PrintStream out;
    private final PrintStream err;
    private final Supplier<String> pendingWork;

    /**
     * @param pendingWork what the engine still has to do, to say why sections did not finish in time
     */
    public SectionFileRun(OrderExecutor executor, PrintStream out, PrintStream err, Supplier<String> pendingWork) {
        this.executor = executor;
        this.out = out;
        this.err = err;
        this.pendingWork = pendingWork;
    }

    /**
     * Runs the file; waits at most {@code timeout} for all its sections. {@code name} is how messages
     * call the file ({@code standard input} for a copy of it).
     */
    public int run(Path file, String name, Duration timeout) throws InterruptedException {
        List<Section> sections;
        try (InputStream in = Files.newInputStream(file)) {
            sections = SectionCodec.readSections(in);
        } catch (WireFormatException e) {
            err.println("pathpoint: " + name + ": " + e.getMessage());
            return NOT_RUN;
        } catch (IOException e) {
            err.println("pathpoint: cannot read " + name + ": " + e.getMessage());
            return NOT_RUN;
        }
        executor.execute(sections);
        Instant deadline = Instant.now().plus(timeout);
        int status = SUCCEEDED;
        for (int i = 0; i < sections.size(); i++) {
            try {
                long left = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
                SectionResult result = sections.get(i).future().get(left, TimeUnit.MILLISECONDS);
                out.println(SectionCodec.writeResult(result));
                if (!result.succeeded()) {
                    status = SOME_FAILED;
                }
            } catch (TimeoutException e) {
                // what was pending, before cancelling changes it
                String pending = pendingWork.get();
                long unfinished = sections.stream().filter(section -> !section.future().isDone()).count();
                err.println("pathpoint: " + unfinished + " of " + sections.size() + " sections (from section " + i
                        + " on) did not finish within " + timeout.toSeconds() + " s; " + pending);
                sections.forEach(Section::cancel);
                return NOT_RUN;
            } catch (CancellationException | ExecutionException e) {
                err.println("pathpoint: section " + i + " has no result: " + e);
                status = SOME_FAILED;
            }
        }
        out.flush();
        return status;
    }
}
