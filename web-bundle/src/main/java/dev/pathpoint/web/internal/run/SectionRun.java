package dev.pathpoint.web.internal.run;

import dev.pathpoint.api.section.OrderOutcome;
import dev.pathpoint.api.section.Section;
import dev.pathpoint.api.section.SectionResult;
import dev.pathpoint.api.wire.SectionCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sections of one request, from submission to their results. {@link #done()} completes once
 * every section's future has, cancelled ones included, with the result lines: one JSON line per
 * section, in the request's order ({@link SectionCodec#writeResult}).
 */
public final class SectionRun {
    private final String id;
    private final String owner;
    private final List<Section> sections;
    private final AtomicInteger finished = new AtomicInteger();
    private final CompletableFuture<byte[]> done;
    private volatile long finishedNanos;
    private volatile boolean retained;

    SectionRun(String id, String owner, List<Section> sections, Executor worker) {
        this.id = id;
        this.owner = owner;
        this.sections = List.copyOf(sections);
        List<CompletableFuture<SectionResult>> results = new ArrayList<>(this.sections.size());
        for (Section section : this.sections) {
            // a cancelled section completes its future exceptionally: it becomes a result of cancelled orders
            results.add(section.future().handle((result, failure) -> {
                finished.incrementAndGet();
                return result != null ? result : cancelled(section);
            }));
        }
        // rendered on our worker, not on the executor's result thread that completed the last section
        done = CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApplyAsync(all -> {
            StringBuilder lines = new StringBuilder();
            for (CompletableFuture<SectionResult> result : results) {
                lines.append(SectionCodec.writeResult(result.join())).append('\n');
            }
            return lines.toString().getBytes(StandardCharsets.UTF_8);
        }, worker);
    }

    private static SectionResult cancelled(Section section) {
        return new SectionResult(section.orders().stream().<OrderOutcome>map(OrderOutcome.Cancelled::new).toList());
    }

    public String id() {
        return id;
    }

    String owner() {
        return owner;
    }

    public List<Section> sections() {
        return sections;
    }

    /** How many of its sections have finished. */
    public int finishedSections() {
        return finished.get();
    }

    /** The result lines, once every section has finished. */
    public CompletableFuture<byte[]> done() {
        return done;
    }

    /** Cancels the sections that have not started; returns how many it cancelled. */
    public int cancel() {
        int cancelled = 0;
        for (Section section : sections) {
            if (section.cancel()) {
                cancelled++;
            }
        }
        return cancelled;
    }

    boolean isRetained() {
        return retained;
    }

    void retain() {
        retained = true;
    }

    long finishedNanos() {
        return finishedNanos;
    }

    void finishedAt(long nanos) {
        finishedNanos = nanos;
    }
}
