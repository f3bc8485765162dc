package dev.pathpoint.engine.internal.dispatch;

import dev.pathpoint.engine.internal.time.TimeSource;
import java.util.Arrays;

/**
 * Timed actions of the dispatch thread (retry backoffs, waits, no-driver deadlines, time-out sweeps)
 * on one indexed binary heap, with one {@link TimeSource} timer armed for the earliest. Every timer
 * can be cancelled, which removes it at once, so a cancelled timer neither fires nor lingers. Actions
 * run on the dispatch thread; nothing ever sleeps. Dispatch thread only.
 */
final class Timers {

    /** A scheduled action; {@link #cancel()} it when it is no longer wanted. */
    static final class Timer {
        private final Timers owner;
        private final long deadline;
        private final long sequence;
        private final Runnable action;
        /** Position in the heap, or -1 once fired or cancelled. */
        private int index = -1;

        private Timer(Timers owner, long deadline, long sequence, Runnable action) {
            this.owner = owner;
            this.deadline = deadline;
            this.sequence = sequence;
            this.action = action;
        }

        /** Removes the timer if it has not fired; does nothing otherwise. */
        void cancel() {
            if (index >= 0) {
                owner.remove(this);
            }
        }

        long deadline() {
            return deadline;
        }

        boolean isPending() {
            return index >= 0;
        }

        private boolean before(Timer other) {
            return deadline != other.deadline ? deadline - other.deadline < 0 : sequence < other.sequence;
        }
    }

    private final TimeSource time;
    private final EventLoop loop;
    private Timer[] heap = new Timer[16];
    private int size;
    private long sequence;
    /** Deadline of the earliest time-source timer armed and not fired, or Long.MAX_VALUE. */
    private long armedFor = Long.MAX_VALUE;

    Timers(TimeSource time, EventLoop loop) {
        this.time = time;
        this.loop = loop;
    }

    /** Runs the action on the dispatch thread at or after the deadline (in {@link TimeSource#nanoTime()}). */
    Timer at(long deadline, Runnable action) {
        Timer timer = new Timer(this, deadline, sequence++, action);
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = timer;
        timer.index = size;
        size++;
        siftUp(timer.index);
        arm();
        return timer;
    }

    Timer after(long delayNanos, Runnable action) {
        return at(time.nanoTime() + delayNanos, action);
    }

    /** Timers scheduled and not yet fired or cancelled. */
    int pending() {
        return size;
    }

    private void arm() {
        if (size == 0 || heap[0].deadline - armedFor >= 0) {
            return;
        }
        long deadline = heap[0].deadline;
        armedFor = deadline;
        time.schedule(() -> loop.post(() -> fired(deadline)), deadline - time.nanoTime());
    }

    private void fired(long deadline) {
        if (deadline == armedFor) {
            armedFor = Long.MAX_VALUE;
        }
        long now = time.nanoTime();
        while (size > 0 && heap[0].deadline - now <= 0) {
            Timer due = heap[0];
            remove(due);
            due.action.run();
        }
        arm();
    }

    private void remove(Timer timer) {
        int at = timer.index;
        timer.index = -1;
        size--;
        if (at != size) {
            Timer last = heap[size];
            heap[at] = last;
            last.index = at;
            siftDown(at);
            siftUp(last.index);
        }
        heap[size] = null;
        if (heap.length > 64 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, heap.length / 2); // a burst of timers must not pin memory
        }
    }

    private void siftUp(int at) {
        Timer timer = heap[at];
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!timer.before(heap[parent])) {
                break;
            }
            place(heap[parent], at);
            at = parent;
        }
        place(timer, at);
    }

    private void siftDown(int at) {
        Timer timer = heap[at];
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1].before(heap[child])) {
                child++;
            }
            if (!heap[child].before(timer)) {
                break;
            }
            place(heap[child], at);
            at = child;
        }
        place(timer, at);
    }

    private void place(Timer timer, int at) {
        heap[at] = timer;
        timer.index = at;
    }
}
