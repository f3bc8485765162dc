package dev.pathpoint.api.connection;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One connection as its owner sees it now.
 *
 * @param name the connection's name (a driver name, a link name)
 * @param kind what it connects with, as in {@link ConnectionMonitor#KIND} ({@code modbus}, {@code mqtt})
 * @param endpoint where it connects to, as a person reads it ({@code tcp://192.0.2.10:502},
 *        {@code /dev/ttyUSB0 9600 8E1}, {@code mqtts://broker:8883})
 * @param configuration the Config Admin PID of its configuration, to look at or edit it
 * @param state where it stands
 * @param since when it entered that state
 * @param nextAttempt when the next connection attempt is due, while {@link ConnectionState#BACKING_OFF}
 * @param problem the last error, or why the configuration could not be applied
 * @param counters what it counted (requests, time-outs, reconnects...), by name
 */
public record ConnectionReport(
        String name,
        String kind,
        String endpoint,
        String configuration,
        ConnectionState state,
        Instant since,
        Optional<Instant> nextAttempt,
        Optional<String> problem,
        Map<String, Long> counters) {

    public ConnectionReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(configuration, "configuration");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        Objects.requireNonNull(problem, "problem");
        counters = Map.copyOf(Objects.requireNonNull(counters, "counters"));
    }
}
