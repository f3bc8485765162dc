package dev.pathpoint.engine.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The engine's Config Admin configuration (PID {@code dev.pathpoint.engine}). Its defaults are the engine's. */
@ObjectClassDefinition(
        id = EngineConfig.PID,
        name = "Pathpoint engine",
        description = "Queueing, batching, retries, timeouts and the value store of the Pathpoint order executor.")
public @interface EngineConfig {
    String PID = "dev.pathpoint.engine";

    @AttributeDefinition(name = "Queue capacity",
            description = "Most sections accepted and not yet finished (queued or running); beyond it execute() completes"
                    + " sections at once as REJECTED.",
            min = "1")
    int queueCapacity() default 10_000;

    @AttributeDefinition(name = "Max batches in flight per driver",
            description = "Most batches a driver holds at once (handed and not yet completed). While a driver holds this"
                    + " many, operations ready for it wait in the engine and go out together in its next batch when one"
                    + " of its batches has completed. A batch holds everything ready for the driver, up to the size the"
                    + " driver declares (service property pathpoint.driver.maxBatchSize).", min = "1")
    int maxBatchesInFlightPerDriver() default 2;

    @AttributeDefinition(name = "Operation timeout (ms)",
            description = "A driver batch on which the driver completes nothing for this long has its remaining operations"
                    + " failed TIMEOUT (and retried as their advise level allows). Counted from the hand-over, and again"
                    + " from each completion in the batch, so a large batch on a slow but working device does not time out.",
            min = "1")
    long operationTimeoutMillis() default 5_000;

    @AttributeDefinition(name = "Retry backoff (ms)",
            description = "Delay before the first retry of a failed order. Each further retry waits twice as long, up to"
                    + " the maximum retry backoff, and every delay is lengthened by a random 0 to 20 %.", min = "0")
    long retryBackoffMillis() default 200;

    @AttributeDefinition(name = "Max retry backoff (ms)",
            description = "The longest delay between two tries of an order (before the random lengthening). With the"
                    + " defaults a FORCE write retries for at least 81 s and a FORCE read for at least 381 s.", min = "0")
    long maxRetryBackoffMillis() default 30_000;

    @AttributeDefinition(name = "No-driver wait, ADVISE (ms)",
            description = "How long an ADVISE order waits for a driver serving its pathpoint before failing NO_DRIVER.", min = "0")
    long noDriverWaitAdviseMillis() default 2_000;

    @AttributeDefinition(name = "No-driver wait, FORCE (ms)",
            description = "How long a FORCE order waits for a driver serving its pathpoint before failing NO_DRIVER.", min = "0")
    long noDriverWaitForceMillis() default 30_000;

    @AttributeDefinition(name = "Minimum read intervals",
            description = "Entries 'regex=millis': a read of a matching pathpoint within millis of its last successful read"
                    + " is answered from the value store. The first matching entry applies.")
    String[] minReadIntervals() default {};

    @AttributeDefinition(name = "Value store capacity",
            description = "Most pathpoints whose last reading the value store keeps. When a reading of one more pathpoint"
                    + " comes, the pathpoint recorded least recently is forgotten and listeners are told.", min = "1")
    int valueStoreCapacity() default 100_000;

    @AttributeDefinition(name = "Handler pool size",
            description = "Threads that run sysctl and message handlers.", min = "1")
    int handlerPoolSize() default 2;

    @AttributeDefinition(name = "Handler queue capacity",
            description = "Most handler calls waiting for a handler thread; beyond it the order fails REJECTED.", min = "1")
    int handlerQueueCapacity() default 1_000;

    @AttributeDefinition(name = "Blocked call limit (ms)",
            description = "A driver's execute() and a producer's callback on a section's future must return at once. One"
                    + " that has not returned after this long is logged at WARN, and the engine goes on on a fresh thread"
                    + " (serving the other drivers, delivering the other results); a driver that blocked gets its batches"
                    + " on a thread of its own from then on.", min = "1")
    long blockedCallLimitMillis() default 200;

    @AttributeDefinition(name = "Statistics log interval (s)",
            description = "How often statistics are logged (at INFO when they changed, else DEBUG); 0 turns it off.", min = "0")
    long statisticsLogIntervalSeconds() default 60;

    @AttributeDefinition(name = "Dispatch spin (microseconds)",
            description = "While drivers hold a few operations (16 or fewer), how long the dispatch thread polls for the next completion before"
                    + " it sleeps. Waking a sleeping thread costs tens of microseconds, paid on every response of a fast device."
                    + " It spins only while completions come within this time: after a longer wait (a slow device) it sleeps"
                    + " at once, so slow devices cost no spinning. With more in flight it does not spin, leaving the cores to the drivers,"
                    + " and yields once before it sleeps, so that a driver posts a response's completions together. 0 never spins;"
                    + " at most 1000.", min = "0", max = "1000")
    long dispatchSpinMicros() default 200;
}
