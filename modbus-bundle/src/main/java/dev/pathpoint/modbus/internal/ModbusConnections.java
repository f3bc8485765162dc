package dev.pathpoint.modbus.internal;

import dev.pathpoint.api.connection.ConnectionMonitor;
import dev.pathpoint.api.connection.ConnectionReport;
import dev.pathpoint.api.connection.ConnectionState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Every {@code dev.pathpoint.modbus} configuration this bundle was given, as a {@link ConnectionMonitor}
 * reports it: the live connections with their endpoint, state, last error and counters, the
 * configurations that could not be applied (MISCONFIGURED, with why), and for a live connection whose
 * latest change was refused, both (it still runs with the previous settings; the change was refused
 * because ...). It also keeps one connection per serial port: a configuration naming a port another
 * connection holds waits, misconfigured, until the port is free, and is then applied.
 */
@Component(service = {ConnectionMonitor.class, ModbusConnections.class}, property = ConnectionMonitor.KIND + "=" + ModbusConnections.KIND)
public final class ModbusConnections implements ConnectionMonitor {
    static final String KIND = "modbus";

    /** What is known of one configuration. */
    private static final class Entry {
        final String pid;
        ModbusConnection connection;
        String name;
        String endpoint;
        String problem;
        Instant problemSince;
        String refusal;
        Instant refusedAt;
        List<String> unknownKeys = List.of();
        /** Set while the configuration waits for a serial port another connection holds. */
        String waitingForPort;
        Runnable retry;

        Entry(String pid) {
            this.pid = pid;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** Re-applies configurations that waited for a serial port, off the thread that freed it. */
    private final ThreadPoolExecutor retries = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
        Thread thread = new Thread(runnable, "modbus-serial-port-retry");
        thread.setDaemon(true);
        return thread;
    });

    public ModbusConnections() {
        retries.allowCoreThreadTimeOut(true);
    }

    @Deactivate
    void deactivate() {
        retries.shutdownNow();
    }

    /**
     * The reason a configuration cannot have its serial port now, or null if it can: only one connection
     * may drive a serial line, and every unit on it goes through that connection's queue.
     */
    synchronized String serialPortConflict(String pid, ConnectionSettings settings) {
        if (!settings.usesSerialPort()) {
            return null;
        }
        for (Entry entry : entries.values()) {
            ModbusConnection holder = entry.connection;
            if (!entry.pid.equals(pid) && holder != null && holder.settings().usesSerialPort()
                    && holder.settings().serialPort().equals(settings.serialPort())) {
                return "serial port " + settings.serialPort() + " is already used by connection '" + holder.settings().name()
                        + "' (configuration " + entry.pid + "); one connection drives one RS-485 line: list every unit of the "
                        + "line in that connection's unitIds (e.g. unitIds=\"1,2,3\")";
            }
        }
        return null;
    }

    /** A configuration now runs this connection (applied, or a change applied): its problems are gone. */
    void live(String pid, ModbusConnection connection, List<String> unknownKeys) {
        Set<String> freed;
        synchronized (this) {
            Set<String> before = heldPorts();
            Entry entry = entries.computeIfAbsent(pid, Entry::new);
            entry.connection = connection;
            entry.problem = null;
            entry.problemSince = null;
            entry.refusal = null;
            entry.refusedAt = null;
            entry.waitingForPort = null;
            entry.retry = null;
            entry.unknownKeys = List.copyOf(unknownKeys);
            freed = without(before, heldPorts());
        }
        retryWaitingFor(freed);
    }

    /**
     * A configuration could not be applied and nothing runs for it.
     *
     * @param waitingForPort the serial port it waits for, with {@code retry} to apply it once the port is free; else null
     */
    synchronized void misconfigured(String pid, String name, String endpoint, String problem, String waitingForPort, Runnable retry) {
        Entry entry = entries.computeIfAbsent(pid, Entry::new);
        entry.connection = null;
        entry.name = name;
        entry.endpoint = endpoint;
        entry.problem = problem;
        entry.problemSince = Instant.now();
        entry.refusal = null;
        entry.refusedAt = null;
        entry.waitingForPort = waitingForPort;
        entry.retry = retry;
    }

    /** A change to a running connection was refused: it keeps its previous settings. */
    synchronized void refused(String pid, String problem) {
        Entry entry = entries.computeIfAbsent(pid, Entry::new);
        entry.refusal = problem;
        entry.refusedAt = Instant.now();
    }

    /** The configuration is gone (deleted, or the bundle stops). */
    void removed(String pid) {
        Set<String> freed;
        synchronized (this) {
            Set<String> before = heldPorts();
            entries.remove(pid);
            freed = without(before, heldPorts());
        }
        retryWaitingFor(freed);
    }

    private Set<String> heldPorts() {
        return entries.values().stream().filter(entry -> entry.connection != null && entry.connection.settings().usesSerialPort())
                .map(entry -> entry.connection.settings().serialPort()).collect(Collectors.toSet());
    }

    private static Set<String> without(Set<String> before, Set<String> after) {
        return before.stream().filter(port -> !after.contains(port)).collect(Collectors.toSet());
    }

    private void retryWaitingFor(Set<String> freedPorts) {
        if (freedPorts.isEmpty()) {
            return;
        }
        List<Runnable> due = new ArrayList<>();
        synchronized (this) {
            for (Entry entry : entries.values()) {
                if (entry.retry != null && freedPorts.contains(entry.waitingForPort)) {
                    due.add(entry.retry);
                }
            }
        }
        for (Runnable retry : due) {
            try {
                retries.execute(retry);
            } catch (RejectedExecutionException e) {
                return; // the bundle is stopping: nothing is to be applied any more
            }
        }
    }

    @Override
    public List<ConnectionReport> connections() {
        List<ConnectionReport> reports = new ArrayList<>();
        synchronized (this) {
            for (Entry entry : entries.values()) {
                reports.add(report(entry));
            }
        }
        return reports;
    }

    private static ConnectionReport report(Entry entry) {
        ModbusConnection connection = entry.connection;
        if (connection == null) {
            return new ConnectionReport(entry.name, KIND, entry.endpoint, entry.pid, ConnectionState.MISCONFIGURED,
                    entry.problemSince, Optional.empty(), Optional.of(entry.problem), Map.of());
        }
        ConnectionSettings settings = connection.settings();
        LinkSupervisor.Status status = connection.status();
        List<String> problems = new ArrayList<>();
        if (entry.refusal != null) {
            problems.add("still running with the previous settings: the change of " + entry.refusedAt + " was refused: "
                    + entry.refusal);
        }
        if (!entry.unknownKeys.isEmpty()) {
            problems.add("unknown " + (entry.unknownKeys.size() == 1 ? "property" : "properties") + " ignored: "
                    + String.join(", ", entry.unknownKeys));
        }
        String lastError = connection.lastError();
        if (lastError != null) {
            problems.add("last error at " + lastError);
        }
        return new ConnectionReport(settings.name(), KIND, settings.endpoint(), entry.pid, status.state(), status.since(),
                Optional.ofNullable(status.nextAttempt()), problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems)),
                connection.counters());
    }
}
