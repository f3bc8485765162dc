package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.section.Section;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sections accepted and not yet started, in queue order, and the bound on sections accepted and
 * not yet finished (queued or running): that bound is what keeps the engine's state finite whatever
 * producers send. Producers add from any thread; the dispatch thread takes and releases. The
 * sections of one {@code execute} call are queued together, in order, or not at all.
 */
final class SectionQueue {
    private final ConcurrentLinkedQueue<RunningSection> queue = new ConcurrentLinkedQueue<>();
    /** Accepted and not finished. */
    private final AtomicInteger accepted = new AtomicInteger();
    /** Accepted and not started. */
    private final AtomicInteger queued = new AtomicInteger();
    private final Object offerLock = new Object();
    private volatile int capacity;

    SectionQueue(int capacity) {
        this.capacity = capacity;
    }

    void setCapacity(int capacity) {
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    /** Queues all the sections, or none if they do not fit; returns whether they were queued. */
    boolean offer(RunningSection[] sections) {
        int count = sections.length;
        while (true) {
            int current = accepted.get();
            if (current + count > capacity) {
                return false;
            }
            if (accepted.compareAndSet(current, current + count)) {
                break;
            }
        }
        queued.addAndGet(count);
        // one call's sections stay contiguous even when producers race
        synchronized (offerLock) {
            for (RunningSection section : sections) {
                queue.offer(section);
            }
        }
        return true;
    }

    RunningSection peek() {
        return queue.peek();
    }

    /** Takes the head to start it; it still counts against the capacity until {@link #release}. */
    RunningSection poll() {
        RunningSection next = queue.poll();
        if (next != null) {
            queued.decrementAndGet();
        }
        return next;
    }

    /** A taken section finished (or will never run): it no longer counts against the capacity. */
    void release() {
        accepted.decrementAndGet();
    }

    /** Sections queued and not started. */
    int queued() {
        return queued.get();
    }

    /** Sections accepted and not finished. */
    int accepted() {
        return accepted.get();
    }

    /** Fails every queued section; safe from any thread (each section is taken once). */
    void failAll(OperationFailedReason reason, String message, ResultPublisher results) {
        RunningSection next;
        while ((next = poll()) != null) {
            release();
            results.failUnstarted(next.section, reason, message);
        }
    }

    /** Up to {@code max} queued sections, first first (a weakly consistent view). */
    List<Section> peekQueued(int max) {
        List<Section> result = new ArrayList<>();
        for (Iterator<RunningSection> it = queue.iterator(); it.hasNext() && result.size() < max; ) {
            result.add(it.next().section);
        }
        return result;
    }
}
