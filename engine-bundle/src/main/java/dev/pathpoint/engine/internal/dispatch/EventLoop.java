package dev.pathpoint.engine.internal.dispatch;

/**
 * The thread that owns the engine's state: events posted from any thread run on it one at a time, in
 * order, and after each drain of the events it runs the engine's settle step (start what may start,
 * dispatch what became ready, hand batches to drivers). {@link DispatchLoop} is the real one; tests
 * drive a manual one on their own thread.
 */
interface EventLoop {

    /** Starts running events. */
    void start();

    /** Ends the loop after the current event; call on the loop's thread. */
    void stop();

    /** Waits for the loop to end after {@link #stop()}; returns whether it did in time. */
    boolean awaitTermination(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException;

    /** Applies settings that concern the loop (its spin); the default ignores them. */
    default void reconfigure(dev.pathpoint.engine.internal.EngineSettings settings) {
    }

    /** Queues an event; returns false (and drops it) once the loop has stopped. */
    boolean post(Runnable event);

    /**
     * Like {@link #post}, but a loop that is idle may run the event, and what it leads to, on the
     * calling thread before this returns. The default only posts.
     */
    default boolean postOrRun(Runnable event) {
        return post(event);
    }

    /** Whether the caller is the loop's own thread (not a caller of {@link #postOrRun} working on it). */
    default boolean onOwnThread() {
        return inLoop();
    }

    /**
     * Called on the loop by a caller of {@link #postOrRun}: what is left must be done on the loop's own
     * thread. The caller's pass ends and the own thread settles. The default has nothing to do.
     */
    default void wantOwnThread() {
    }

    /**
     * Calls into code that is not the engine's (a driver's {@code execute}) from the loop's thread.
     * Such code must return at once; a loop may protect itself from code that does not, and then
     * runs {@code onBlocked} (on another thread) so that the caller can stop calling it from the loop.
     */
    void callOut(String who, Runnable call, Runnable onBlocked);

    /** Whether the caller is the loop's thread. */
    boolean inLoop();
}
