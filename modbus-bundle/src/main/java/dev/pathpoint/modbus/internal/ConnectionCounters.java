package dev.pathpoint.modbus.internal;

import dev.pathpoint.modbus.internal.link.LinkCounters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What one connection counted since it started; written by its thread, read from any. */
final class ConnectionCounters {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong timeouts = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong deviceExceptions = new AtomicLong();
    final AtomicLong connects = new AtomicLong();
    final AtomicLong connectFailures = new AtomicLong();
    final AtomicLong droppedOperations = new AtomicLong();
    final AtomicLong rejectedBatches = new AtomicLong();
    final LinkCounters link = new LinkCounters();

    /** The counters by name, as a {@link dev.pathpoint.api.connection.ConnectionReport} carries them. */
    Map<String, Long> snapshot() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("requests", requests.get());
        counters.put("timeouts", timeouts.get());
        counters.put("malformed", malformed.get());
        counters.put("deviceExceptions", deviceExceptions.get());
        counters.put("staleFrames", link.staleFrames());
        counters.put("connects", connects.get());
        counters.put("reconnects", Math.max(0, connects.get() - 1));
        counters.put("connectFailures", connectFailures.get());
        counters.put("droppedOperations", droppedOperations.get());
        counters.put("rejectedBatches", rejectedBatches.get());
        return counters;
    }
}
