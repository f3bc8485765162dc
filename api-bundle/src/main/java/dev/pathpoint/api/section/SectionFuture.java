package dev.pathpoint.api.section;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The future of a section. Only the section completes it; cancelling it cancels the section if, and
 * only if, the section has not started.
 */
final class SectionFuture extends CompletableFuture<SectionResult> {
    private final Section section;

    SectionFuture(Section section) {
        this.section = section;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return section.cancel();
    }

    void finish(SectionResult result) {
        super.complete(result);
    }

    void cancelled() {
        super.cancel(false);
    }

    @Override
    public boolean complete(SectionResult value) {
        throw new UnsupportedOperationException("a section's future is completed by Section.markAsDone");
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        throw new UnsupportedOperationException("a section's future is completed by Section.markAsDone");
    }

    @Override
    public void obtrudeValue(SectionResult value) {
        throw new UnsupportedOperationException("a section's future is completed by Section.markAsDone");
    }

    @Override
    public void obtrudeException(Throwable ex) {
        throw new UnsupportedOperationException("a section's future is completed by Section.markAsDone");
    }

    /** Returns a copy that times out; the section's own future is never completed from outside. */
    @Override
    public CompletableFuture<SectionResult> orTimeout(long timeout, TimeUnit unit) {
        return copy().orTimeout(timeout, unit);
    }

    /** Returns a copy that completes on timeout; the section's own future is never completed from outside. */
    @Override
    public CompletableFuture<SectionResult> completeOnTimeout(SectionResult value, long timeout, TimeUnit unit) {
        return copy().completeOnTimeout(value, timeout, unit);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
