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
     * Calls into code that is not the engine's (a driver's {@code execute}) from the loop's thread.
     * Such code must return at once; a loop may protect itself from code that does not, and then
     * runs {@code onBlocked} (on another thread) so that the caller can stop calling it from the loop.
     */
    void callOut(String who, Runnable call, Runnable onBlocked);

    /** Whether the caller is the loop's thread. */
    boolean inLoop();
}
