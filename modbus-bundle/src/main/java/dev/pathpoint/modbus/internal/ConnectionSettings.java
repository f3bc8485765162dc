package dev.pathpoint.modbus.internal;

import com.fazecast.jSerialComm.SerialPort;
import dev.pathpoint.modbus.internal.link.MbapLink;
import dev.pathpoint.modbus.internal.link.ModbusLink;
import dev.pathpoint.modbus.internal.link.RtuLink;
import dev.pathpoint.modbus.internal.link.SerialStream;
import dev.pathpoint.modbus.internal.link.SocketStream;
import dev.pathpoint.modbus.internal.link.UdpLink;
import dev.pathpoint.modbus.internal.name.RegisterOrder;
import dev.pathpoint.modbus.internal.plan.PlanningLimits;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/** Everything one connection is configured with, checked. Built from {@link ModbusConnectionConfig}. */
public record ConnectionSettings(String name, Transport transport, String host, int port, String serialPort,
        int baudRate, int dataBits, Parity parity, int stopBits, Set<Integer> unitIds, String pathpointPatternOverride,
        int connectTimeoutMillis, int responseTimeoutMillis, int interRequestDelayMillis, int reconnectDelayMillis,
        int maxReconnectDelayMillis, boolean closeAfterEachRequest, RegisterOrder defaultOrder, PlanningLimits limits,
        int queueCapacity) {

    public ConnectionSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(parity, "parity");
        Objects.requireNonNull(defaultOrder, "defaultOrder");
        Objects.requireNonNull(limits, "limits");
        unitIds = Set.copyOf(unitIds);
        pathpointPatternOverride = pathpointPatternOverride == null ? "" : pathpointPatternOverride.trim();
        if (transport == Transport.RTU) {
            require(serialPort != null && !serialPort.isBlank(), "serialPort must be set for transport RTU");
            require(baudRate > 0, "baudRate must be positive, is " + baudRate);
            require(dataBits >= 5 && dataBits <= 8, "dataBits must be 5..8, is " + dataBits);
            require(stopBits == 1 || stopBits == 2, "stopBits must be 1 or 2, is " + stopBits);
        } else {
            require(host != null && !host.isBlank(), "host must be set for transport " + transport);
            require(port > 0 && port <= 65535, "port must be 1..65535, is " + port);
        }
        for (int unit : unitIds) {
            require(unit >= 0 && unit <= 255, "unit id " + unit + " is outside 0..255");
        }
        require(connectTimeoutMillis > 0, "connectTimeoutMillis must be positive, is " + connectTimeoutMillis);
        require(responseTimeoutMillis > 0, "responseTimeoutMillis must be positive, is " + responseTimeoutMillis);
        require(interRequestDelayMillis >= 0 && interRequestDelayMillis <= 60_000,
                "interRequestDelayMillis must be 0..60000, is " + interRequestDelayMillis);
        require(reconnectDelayMillis >= 0, "reconnectDelayMillis must not be negative, is " + reconnectDelayMillis);
        require(maxReconnectDelayMillis >= reconnectDelayMillis,
                "maxReconnectDelayMillis (" + maxReconnectDelayMillis + ") must be at least reconnectDelayMillis");
        require(queueCapacity > 0, "queueCapacity must be positive, is " + queueCapacity);
        if (!pathpointPatternOverride.isEmpty()) {
            try {
                Pattern.compile(pathpointPatternOverride);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("pathpointPattern is not a regular expression: " + e.getMessage(), e);
            }
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Defaults for a TCP connection, for tests and tools. */
    public static ConnectionSettings tcp(String name, String host, int port) {
        return new ConnectionSettings(name, Transport.TCP, host, port, "", 9600, 8, Parity.NONE, 1, Set.of(), "", 3000,
                1000, 0, 250, 10_000, false, RegisterOrder.ABCD, PlanningLimits.DEFAULTS, 1000);
    }

    public ConnectionSettings withTransport(Transport newTransport) {
        return new ConnectionSettings(name, newTransport, host, port, serialPort, baudRate, dataBits, parity, stopBits, unitIds,
                pathpointPatternOverride, connectTimeoutMillis, responseTimeoutMillis, interRequestDelayMillis,
                reconnectDelayMillis, maxReconnectDelayMillis, closeAfterEachRequest, defaultOrder, limits, queueCapacity);
    }

    public ConnectionSettings withSerial(String newSerialPort, int newBaudRate, Parity newParity) {
        return new ConnectionSettings(name, Transport.RTU, host, port, newSerialPort, newBaudRate, dataBits, newParity, stopBits,
                unitIds, pathpointPatternOverride, connectTimeoutMillis, responseTimeoutMillis, interRequestDelayMillis,
                reconnectDelayMillis, maxReconnectDelayMillis, closeAfterEachRequest, defaultOrder, limits, queueCapacity);
    }

    public ConnectionSettings withEndpoint(String newHost, int newPort) {
        return new ConnectionSettings(name, transport, newHost, newPort, serialPort, baudRate, dataBits, parity, stopBits, unitIds,
                pathpointPatternOverride, connectTimeoutMillis, responseTimeoutMillis, interRequestDelayMillis,
                reconnectDelayMillis, maxReconnectDelayMillis, closeAfterEachRequest, defaultOrder, limits, queueCapacity);
    }

    public ConnectionSettings withTimeouts(int newResponseTimeout, int newReconnectDelay, int newMaxReconnectDelay) {
        return new ConnectionSettings(name, transport, host, port, serialPort, baudRate, dataBits, parity, stopBits, unitIds,
                pathpointPatternOverride, connectTimeoutMillis, newResponseTimeout, interRequestDelayMillis,
                newReconnectDelay, newMaxReconnectDelay, closeAfterEachRequest, defaultOrder, limits, queueCapacity);
    }

    public ConnectionSettings withOrder(RegisterOrder newOrder) {
        return new ConnectionSettings(name, transport, host, port, serialPort, baudRate, dataBits, parity, stopBits, unitIds,
                pathpointPatternOverride, connectTimeoutMillis, responseTimeoutMillis, interRequestDelayMillis,
                reconnectDelayMillis, maxReconnectDelayMillis, closeAfterEachRequest, newOrder, limits, queueCapacity);
    }

    public ConnectionSettings withLimits(PlanningLimits newLimits) {
        return new ConnectionSettings(name, transport, host, port, serialPort, baudRate, dataBits, parity, stopBits, unitIds,
                pathpointPatternOverride, connectTimeoutMillis, responseTimeoutMillis, interRequestDelayMillis,
                reconnectDelayMillis, maxReconnectDelayMillis, closeAfterEachRequest, defaultOrder, newLimits, queueCapacity);
    }

    public ConnectionSettings withUnits(Set<Integer> newUnits) {
        return new ConnectionSettings(name, transport, host, port, serialPort, baudRate, dataBits, parity, stopBits, newUnits,
                pathpointPatternOverride, connectTimeoutMillis, responseTimeoutMillis, interRequestDelayMillis,
                reconnectDelayMillis, maxReconnectDelayMillis, closeAfterEachRequest, defaultOrder, limits, queueCapacity);
    }

    public ConnectionSettings withCloseAfterEachRequest(boolean close, int newInterRequestDelay) {
        return new ConnectionSettings(name, transport, host, port, serialPort, baudRate, dataBits, parity, stopBits, unitIds,
                pathpointPatternOverride, connectTimeoutMillis, responseTimeoutMillis, newInterRequestDelay,
                reconnectDelayMillis, maxReconnectDelayMillis, close, defaultOrder, limits, queueCapacity);
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

    public ModbusLink newLink() {
        return switch (transport) {
            case TCP -> new MbapLink(new SocketStream(host, port), connectTimeoutMillis);
            case RTU_OVER_TCP -> new RtuLink(new SocketStream(host, port), connectTimeoutMillis);
            case UDP -> new UdpLink(host, port);
            case RTU -> new RtuLink(new SerialStream(serialPort, baudRate, dataBits,
                    stopBits == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT, parity.serialPortValue()), connectTimeoutMillis);
        };
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
}
