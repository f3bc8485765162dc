package dev.pathpoint.engine.internal.testing;

import dev.pathpoint.engine.internal.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/** Time that moves only when a test says so; scheduled tasks run on the test's thread in {@link #advance}. */
public final class ManualTimeSource implements TimeSource {
    private record Task(long due, long sequence, Runnable action) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.due != b.due
            ? Long.compare(a.due, b.due) : Long.compare(a.sequence, b.sequence));
    private final Instant origin;
    private long nanos;
    private long sequence;

    public ManualTimeSource(Instant origin) {
        this.origin = origin;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized Instant now() {
        return origin.plusNanos(nanos);
    }

    @Override
    public synchronized Scheduled schedule(Runnable task, long delayNanos) {
        Task scheduled = new Task(nanos + Math.max(0, delayNanos), sequence++, task);
        tasks.add(scheduled);
        return () -> {
            synchronized (this) {
                tasks.remove(scheduled);
            }
        };
    }

    /** Moves time forward and runs the tasks that became due, in due order. */
    public void advance(Duration duration) {
        List<Runnable> due = new ArrayList<>();
        synchronized (this) {
            nanos += duration.toNanos();
            while (!tasks.isEmpty() && tasks.peek().due <= nanos) {
                due.add(tasks.poll().action);
            }
        }
        due.forEach(Runnable::run);
    }

    /**
     * Moves time to the earliest task due at or before {@code targetNanos} and runs the tasks due then;
     * with none due, moves to the target. Returns whether it ran any (so a caller can let the work they
     * caused happen before time moves on).
     */
    public boolean advanceToNextDue(long targetNanos) {
        List<Runnable> due = new ArrayList<>();
        synchronized (this) {
            if (tasks.isEmpty() || tasks.peek().due > targetNanos) {
                nanos = Math.max(nanos, targetNanos);
                return false;
            }
            nanos = Math.max(nanos, tasks.peek().due);
            while (!tasks.isEmpty() && tasks.peek().due <= nanos) {
                due.add(tasks.poll().action);
            }
        }
        due.forEach(Runnable::run);
        return true;
    }

    public synchronized int scheduledTasks() {
        return tasks.size();
    }
}
