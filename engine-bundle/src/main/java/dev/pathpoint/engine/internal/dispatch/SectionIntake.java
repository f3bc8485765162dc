package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.section.Section;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded queue of sections accepted and not yet started. Producers add from any thread; the
 * dispatch thread takes. The sections of one {@code execute} call are queued together, in order,
 * or not at all.
 */
final class SectionIntake {
    private final ConcurrentLinkedQueue<RunningSection> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final Object offerLock = new Object();
    private volatile int capacity;

    SectionIntake(int capacity) {
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
            int current = size.get();
            if (current + count > capacity) {
                return false;
            }
            if (size.compareAndSet(current, current + count)) {
                break;
            }
        }
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

    RunningSection poll() {
        RunningSection next = queue.poll();
        if (next != null) {
            size.decrementAndGet();
        }
        return next;
    }

    int size() {
        return size.get();
    }

    /** Completes every queued section as failed; safe from any thread (each section is taken once). */
    void failAll(OperationFailedReason reason, String message) {
        RunningSection next;
        while ((next = poll()) != null) {
            SectionFailures.failUnstarted(next.section, reason, message);
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
