package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.engine.internal.time.TimeSource;
import java.util.PriorityQueue;

/**
 * Timed actions of the dispatch thread (retry backoffs, waits, no-driver deadlines, timeout sweeps)
 * on one priority queue, with one timer armed for the earliest. Actions run on the dispatch thread;
 * nothing ever sleeps. Dispatch thread only.
 */
final class TimerQueue {
    private record Timed(long deadline, long sequence, Runnable action) implements Comparable<Timed> {
        @Override
        public int compareTo(Timed other) {
            int byDeadline = Long.compare(deadline, other.deadline);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }

    private final PriorityQueue<Timed> queue = new PriorityQueue<>();
    private final TimeSource time;
    private final DispatchLoop loop;
    private long sequence;
    /** Deadline of the earliest timer armed and not fired, or Long.MAX_VALUE. */
    private long armedFor = Long.MAX_VALUE;

    TimerQueue(TimeSource time, DispatchLoop loop) {
        this.time = time;
        this.loop = loop;
    }

    /** Runs the action on the dispatch thread at or after the deadline (in {@link TimeSource#nanoTime()}). */
    void at(long deadline, Runnable action) {
        queue.add(new Timed(deadline, sequence++, action));
        arm();
    }

    void after(long delayNanos, Runnable action) {
        at(time.nanoTime() + delayNanos, action);
    }

    int size() {
        return queue.size();
    }

    private void arm() {
        Timed earliest = queue.peek();
        if (earliest == null || earliest.deadline >= armedFor) {
            return;
        }
        long deadline = earliest.deadline;
        armedFor = deadline;
        time.schedule(() -> loop.post(() -> fired(deadline)), deadline - time.nanoTime());
    }

    private void fired(long deadline) {
        if (deadline == armedFor) {
            armedFor = Long.MAX_VALUE;
        }
        long now = time.nanoTime();
        Timed due;
        while ((due = queue.peek()) != null && due.deadline - now <= 0) {
            queue.poll();
            due.action.run();
        }
        arm();
    }
}
