package dev.pathpoint.modbus.internal;

import com.fazecast.jSerialComm.SerialPort;
import dev.pathpoint.modbus.internal.link.LinkCounters;
import dev.pathpoint.modbus.internal.link.MbapLink;
import dev.pathpoint.modbus.internal.link.ModbusLink;
import dev.pathpoint.modbus.internal.link.RtuLink;
import dev.pathpoint.modbus.internal.link.SerialStream;
import dev.pathpoint.modbus.internal.link.SocketStream;
import dev.pathpoint.modbus.internal.link.UdpLink;
import dev.pathpoint.modbus.internal.name.RegisterOrder;
import dev.pathpoint.modbus.internal.plan.PlanningLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Everything one connection is configured with, checked: a bad combination is refused with every
 * problem named. Built from a configuration by {@link ConnectionConfiguration}, or in code with the
 * {@code with...} methods.
 *
 * @param maxOutstandingRequests how many read requests may wait for their answers at once (TCP only;
 *        answers are matched by transaction id); 1 is one transaction at a time
 */
public record ConnectionSettings(String name, Transport transport, String host, int port, String serialPort,
        int baudRate, int dataBits, Parity parity, int stopBits, Set<Integer> unitIds, String pathpointPatternOverride,
        int connectTimeoutMillis, int responseTimeoutMillis, int interRequestDelayMillis, int reconnectDelayMillis,
        int maxReconnectDelayMillis, boolean closeAfterEachRequest, RegisterOrder defaultOrder, PlanningLimits limits,
        int queueCapacity, int maxOutstandingRequests) {

    /** The most requests one connection may have outstanding. */
    public static final int MAX_OUTSTANDING_REQUESTS = 16;

    public ConnectionSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(parity, "parity");
        Objects.requireNonNull(defaultOrder, "defaultOrder");
        Objects.requireNonNull(limits, "limits");
        unitIds = Set.copyOf(unitIds);
        pathpointPatternOverride = pathpointPatternOverride == null ? "" : pathpointPatternOverride.trim();
        List<String> problems = new ArrayList<>();
        if (transport == Transport.RTU) {
            check(problems, serialPort != null && !serialPort.isBlank(), "serialPort must be set for transport RTU");
            check(problems, baudRate > 0, "baudRate must be positive, is " + baudRate);
            check(problems, dataBits >= 5 && dataBits <= 8, "dataBits must be 5..8, is " + dataBits);
            check(problems, stopBits == 1 || stopBits == 2, "stopBits must be 1 or 2, is " + stopBits);
        } else {
            check(problems, host != null && !host.isBlank(), "host must be set for transport " + transport);
            check(problems, port > 0 && port <= 65535, "port must be 1..65535, is " + port);
        }
        for (int unit : new TreeSet<>(unitIds)) {
            check(problems, unit >= 0 && unit <= 255, "unit id " + unit + " is outside 0..255");
        }
        check(problems, connectTimeoutMillis > 0, "connectTimeoutMillis must be positive, is " + connectTimeoutMillis);
        check(problems, responseTimeoutMillis > 0, "responseTimeoutMillis must be positive, is " + responseTimeoutMillis);
        check(problems, interRequestDelayMillis >= 0 && interRequestDelayMillis <= 60_000,
                "interRequestDelayMillis must be 0..60000, is " + interRequestDelayMillis);
        check(problems, reconnectDelayMillis >= 0, "reconnectDelayMillis must not be negative, is " + reconnectDelayMillis);
        check(problems, maxReconnectDelayMillis >= reconnectDelayMillis,
                "maxReconnectDelayMillis (" + maxReconnectDelayMillis + ") must be at least reconnectDelayMillis ("
                        + reconnectDelayMillis + ")");
        check(problems, queueCapacity > 0, "queueCapacity must be positive, is " + queueCapacity);
        check(problems, maxOutstandingRequests >= 1 && maxOutstandingRequests <= MAX_OUTSTANDING_REQUESTS,
                "maxOutstandingRequests must be 1.." + MAX_OUTSTANDING_REQUESTS + ", is " + maxOutstandingRequests);
        if (maxOutstandingRequests > 1) {
            check(problems, transport == Transport.TCP, "maxOutstandingRequests above 1 needs transport TCP (only MBAP "
                    + "frames carry the transaction id that matches answers to requests), transport is " + transport);
            check(problems, !closeAfterEachRequest, "maxOutstandingRequests above 1 cannot be combined with "
                    + "closeAfterEachRequest (one request per connection)");
            check(problems, interRequestDelayMillis == 0, "maxOutstandingRequests above 1 cannot be combined with "
                    + "interRequestDelayMillis (a quiet time between requests)");
        }
        if (!pathpointPatternOverride.isEmpty()) {
            try {
                Pattern.compile(pathpointPatternOverride);
            } catch (PatternSyntaxException e) {
                problems.add("pathpointPattern '" + pathpointPatternOverride + "' is not a regular expression: "
                        + e.getDescription() + (e.getIndex() >= 0 ? " at position " + e.getIndex() : ""));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static void check(List<String> problems, boolean condition, String message) {
        if (!condition) {
            problems.add(message);
        }
    }

    /** Defaults for a TCP connection, for tests and tools. */
    public static ConnectionSettings tcp(String name, String host, int port) {
        return new ConnectionSettings(name, Transport.TCP, host, port, "", 9600, 8, Parity.NONE, 1, Set.of(), "", 3000,
                1000, 0, 250, 10_000, false, RegisterOrder.ABCD, PlanningLimits.DEFAULTS, 1000, 1);
    }

    /** A copy to change. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public ConnectionSettings withTransport(Transport newTransport) {
        return toBuilder().transport(newTransport).build();
    }

    public ConnectionSettings withSerial(String newSerialPort, int newBaudRate, Parity newParity) {
        return toBuilder().transport(Transport.RTU).serialPort(newSerialPort).baudRate(newBaudRate).parity(newParity).build();
    }

    public ConnectionSettings withEndpoint(String newHost, int newPort) {
        return toBuilder().host(newHost).port(newPort).build();
    }

    public ConnectionSettings withTimeouts(int newResponseTimeout, int newReconnectDelay, int newMaxReconnectDelay) {
        return toBuilder().responseTimeoutMillis(newResponseTimeout).reconnectDelayMillis(newReconnectDelay)
                .maxReconnectDelayMillis(newMaxReconnectDelay).build();
    }

    public ConnectionSettings withOrder(RegisterOrder newOrder) {
        return toBuilder().defaultOrder(newOrder).build();
    }

    public ConnectionSettings withLimits(PlanningLimits newLimits) {
        return toBuilder().limits(newLimits).build();
    }

    public ConnectionSettings withUnits(Set<Integer> newUnits) {
        return toBuilder().unitIds(newUnits).build();
    }

    public ConnectionSettings withCloseAfterEachRequest(boolean close, int newInterRequestDelay) {
        return toBuilder().closeAfterEachRequest(close).interRequestDelayMillis(newInterRequestDelay).build();
    }

    public ConnectionSettings withQueueCapacity(int newQueueCapacity) {
        return toBuilder().queueCapacity(newQueueCapacity).build();
    }

    public ConnectionSettings withMaxOutstandingRequests(int outstanding) {
        return toBuilder().maxOutstandingRequests(outstanding).build();
    }

    public boolean servesUnit(int unit) {
        return unitIds.isEmpty() || unitIds.contains(unit);
    }

    /**
     * The {@code pathpoint.pattern} service property: the configured override, else every Modbus
     * name of the served units (any unit if none are listed). It matches names whose tail is wrong too,
     * so they fail INVALID with a message rather than wait for a driver.
     */
    public String pathpointPattern() {
        if (!pathpointPatternOverride.isEmpty()) {
            return pathpointPatternOverride;
        }
        String units = unitIds.isEmpty() ? "(?:0|[1-9][0-9]*)"
                : "(?:" + new TreeSet<>(unitIds).stream().map(String::valueOf).collect(Collectors.joining("|")) + ")";
        return "[BWwfdu]" + units + "[ricd].*";
    }

    /** Whether a link built for {@code other} goes to the same place in the same way. */
    public boolean sameLinkAs(ConnectionSettings other) {
        return other != null && transport == other.transport && Objects.equals(host, other.host) && port == other.port
                && Objects.equals(serialPort, other.serialPort) && baudRate == other.baudRate && dataBits == other.dataBits
                && parity == other.parity && stopBits == other.stopBits && connectTimeoutMillis == other.connectTimeoutMillis;
    }

    /** Whether the connection opens a serial port (which only one connection can use). */
    public boolean usesSerialPort() {
        return transport == Transport.RTU;
    }

    public ModbusLink newLink(LinkCounters counters) {
        return switch (transport) {
            case TCP -> new MbapLink(new SocketStream(host, port), connectTimeoutMillis, counters);
            case RTU_OVER_TCP -> new RtuLink(new SocketStream(host, port), connectTimeoutMillis, 0, counters);
            case UDP -> new UdpLink(host, port, counters);
            case RTU -> new RtuLink(new SerialStream(serialPort, baudRate, dataBits,
                    stopBits == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT, parity.serialPortValue()),
                    connectTimeoutMillis, interFrameSilenceNanos(), counters);
        };
    }

    /** The 3.5-character silence the serial line needs between frames (RTU only, else 0). */
    public long interFrameSilenceNanos() {
        return transport == Transport.RTU ? RtuLink.interFrameSilenceNanos(baudRate, dataBits, parity != Parity.NONE, stopBits) : 0;
    }

    /** Where the connection goes, for names and messages. */
    public String endpoint() {
        return switch (transport) {
            case TCP -> "tcp://" + host + ":" + port;
            case RTU_OVER_TCP -> "rtu+tcp://" + host + ":" + port;
            case UDP -> "udp://" + host + ":" + port;
            case RTU -> "rtu:" + serialPort + "@" + baudRate + "," + dataBits + parity.name().charAt(0) + stopBits;
        };
    }

    /** Settings to change one at a time; {@link #build()} checks them all. */
    public static final class Builder {
        private String name;
        private Transport transport;
        private String host;
        private int port;
        private String serialPort;
        private int baudRate;
        private int dataBits;
        private Parity parity;
        private int stopBits;
        private Set<Integer> unitIds;
        private String pathpointPatternOverride;
        private int connectTimeoutMillis;
        private int responseTimeoutMillis;
        private int interRequestDelayMillis;
        private int reconnectDelayMillis;
        private int maxReconnectDelayMillis;
        private boolean closeAfterEachRequest;
        private RegisterOrder defaultOrder;
        private PlanningLimits limits;
        private int queueCapacity;
        private int maxOutstandingRequests;

        private Builder(ConnectionSettings from) {
            name = from.name;
            transport = from.transport;
            host = from.host;
            port = from.port;
            serialPort = from.serialPort;
            baudRate = from.baudRate;
            dataBits = from.dataBits;
            parity = from.parity;
            stopBits = from.stopBits;
            unitIds = from.unitIds;
            pathpointPatternOverride = from.pathpointPatternOverride;
            connectTimeoutMillis = from.connectTimeoutMillis;
            responseTimeoutMillis = from.responseTimeoutMillis;
            interRequestDelayMillis = from.interRequestDelayMillis;
            reconnectDelayMillis = from.reconnectDelayMillis;
            maxReconnectDelayMillis = from.maxReconnectDelayMillis;
            closeAfterEachRequest = from.closeAfterEachRequest;
            defaultOrder = from.defaultOrder;
            limits = from.limits;
            queueCapacity = from.queueCapacity;
            maxOutstandingRequests = from.maxOutstandingRequests;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder transport(Transport value) {
            transport = value;
            return this;
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder serialPort(String value) {
            serialPort = value;
            return this;
        }

        public Builder baudRate(int value) {
            baudRate = value;
            return this;
        }

        public Builder dataBits(int value) {
            dataBits = value;
            return this;
        }

        public Builder parity(Parity value) {
            parity = value;
            return this;
        }

        public Builder stopBits(int value) {
            stopBits = value;
            return this;
        }

        public Builder unitIds(Set<Integer> value) {
            unitIds = value;
            return this;
        }

        public Builder pathpointPattern(String value) {
            pathpointPatternOverride = value;
            return this;
        }

        public Builder connectTimeoutMillis(int value) {
            connectTimeoutMillis = value;
            return this;
        }

        public Builder responseTimeoutMillis(int value) {
            responseTimeoutMillis = value;
            return this;
        }

        public Builder interRequestDelayMillis(int value) {
            interRequestDelayMillis = value;
            return this;
        }

        public Builder reconnectDelayMillis(int value) {
            reconnectDelayMillis = value;
            return this;
        }

        public Builder maxReconnectDelayMillis(int value) {
            maxReconnectDelayMillis = value;
            return this;
        }

        public Builder closeAfterEachRequest(boolean value) {
            closeAfterEachRequest = value;
            return this;
        }

        public Builder defaultOrder(RegisterOrder value) {
            defaultOrder = value;
            return this;
        }

        public Builder limits(PlanningLimits value) {
            limits = value;
            return this;
        }

        public Builder queueCapacity(int value) {
            queueCapacity = value;
            return this;
        }

        public Builder maxOutstandingRequests(int value) {
            maxOutstandingRequests = value;
            return this;
        }

        /** @throws IllegalArgumentException naming every setting that is wrong */
        public ConnectionSettings build() {
            return new ConnectionSettings(name, transport, host, port, serialPort, baudRate, dataBits, parity, stopBits, unitIds,
                    pathpointPatternOverride, connectTimeoutMillis, responseTimeoutMillis, interRequestDelayMillis,
                    reconnectDelayMillis, maxReconnectDelayMillis, closeAfterEachRequest, defaultOrder, limits, queueCapacity,
                    maxOutstandingRequests);
        }
    }
}
