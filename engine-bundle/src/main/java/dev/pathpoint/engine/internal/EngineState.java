package dev.pathpoint.engine.internal;

/**
 * How much the engine holds right now; all zero when it is idle (for the shell, and for checks that
 * nothing from outside stays behind).
 *
 * @param queuedSections sections accepted and not started
 * @param runningSections sections started and not finished
 * @param lanes pathpoints with orders, an operation in flight or a retry pending
 * @param timers timers scheduled (waits, retries, no-driver deadlines, time-out sweeps)
 * @param operationsHanded driver operations handed to drivers and not completed
 * @param operationsWaiting driver operations waiting for a free batch slot of their driver
 * @param handlerCalls sysctl and message orders with a handler or waiting for one
 * @param storedReadings pathpoints the value store holds a reading of
 */
public record EngineState(int queuedSections, int runningSections, int lanes, int timers, int operationsHanded,
        int operationsWaiting, int handlerCalls, int storedReadings) {

    /** Whether nothing is queued, running, in flight or scheduled (readings may be stored). */
    public boolean isIdle() {
        return queuedSections == 0 && runningSections == 0 && lanes == 0 && timers == 0 && operationsHanded == 0
                && operationsWaiting == 0 && handlerCalls == 0;
    }
}
