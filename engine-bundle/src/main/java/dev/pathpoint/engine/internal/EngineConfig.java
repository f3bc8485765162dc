package dev.pathpoint.engine.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The engine's Config Admin configuration (PID {@code dev.pathpoint.engine}). */
@ObjectClassDefinition(
        id = EngineConfig.PID,
        name = "Pathpoint engine",
        description = "Queueing, joining, batching, retries and timeouts of the Pathpoint order executor.")
public @interface EngineConfig {
    String PID = "dev.pathpoint.engine";

    @AttributeDefinition(name = "Queue capacity",
            description = "Most sections queued and not yet started; beyond it execute() completes sections at once as REJECTED.",
            min = "1")
    int queueCapacity() default 10_000;

    @AttributeDefinition(name = "Max running sections",
            description = "Most sections started and not finished; further sections stay queued until some finish.",
            min = "1")
    int maxRunningSections() default 1_024;

    @AttributeDefinition(name = "Max joined sections",
            description = "Most joinable sections started together as one group (their operations share driver batches).",
            min = "1")
    int maxJoinedSections() default 256;

    @AttributeDefinition(name = "Batch size",
            description = "Most operations handed to a driver in one batch. Large enough for a whole section, so a driver"
                    + " can plan it at once (a Modbus driver merges neighbouring registers into few requests).", min = "1")
    int batchSize() default 1_000;

    @AttributeDefinition(name = "Max batches in flight per driver",
            description = "Most batches a driver holds at once (handed and not yet completed). While a driver holds this"
                    + " many, operations ready for it wait in the engine and go out together, up to the batch size, when"
                    + " one of its batches has completed. The operation timeout counts from the hand-over.", min = "1")
    int maxBatchesInFlightPerDriver() default 2;

    @AttributeDefinition(name = "Operation timeout (ms)",
            description = "A driver operation not completed in this time fails TIMEOUT (and may be retried).", min = "1")
    long operationTimeoutMillis() default 5_000;

    @AttributeDefinition(name = "Retry backoff (ms)",
            description = "Delay before a failed order is tried again.", min = "0")
    long retryBackoffMillis() default 50;

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

    @AttributeDefinition(name = "Handler pool size",
            description = "Threads that run sysctl and message handlers.", min = "1")
    int handlerPoolSize() default 2;

    @AttributeDefinition(name = "Handler queue capacity",
            description = "Most handler calls waiting for a handler thread; beyond it the order fails REJECTED.", min = "1")
    int handlerQueueCapacity() default 1_000;

    @AttributeDefinition(name = "Statistics log interval (s)",
            description = "How often statistics are logged (at INFO when they changed, else DEBUG); 0 turns it off.", min = "0")
    long statisticsLogIntervalSeconds() default 60;

    @AttributeDefinition(name = "Dispatch spin (microseconds)",
            description = "While drivers hold operations, how long the dispatch thread polls for the next completion before"
                    + " it sleeps. Waking a sleeping thread costs tens of microseconds, paid on every response of a fast device."
                    + " It spins only while completions come within this time: after a longer wait (a slow device) it sleeps"
                    + " at once, so slow devices cost no spinning. 0 never spins; at most 1000.", min = "0", max = "1000")
    long dispatchSpinMicros() default 200;
}
