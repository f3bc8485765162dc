package dev.pathpoint.modbus.internal;

import dev.pathpoint.modbus.internal.config.ConfigValues;
import dev.pathpoint.modbus.internal.name.RegisterOrder;
import dev.pathpoint.modbus.internal.plan.PlanningLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the properties of a {@code dev.pathpoint.modbus} configuration into checked
 * {@link ConnectionSettings}, or says everything that is wrong with them, in words a person reads.
 */
final class ConnectionConfiguration {

    /** A configuration that cannot be applied, with every problem found. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(List<String> problems) {
            super(String.join("; ", problems));
        }
    }

    private ConnectionConfiguration() {
    }

    /** The configuration PID, as Config Admin passes it, for messages and reports. */
    static String pid(Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        return pid == null ? ModbusConnectionComponent.FACTORY_PID + " (no PID)" : pid.toString();
    }

    static ConnectionSettings settings(Map<String, ?> properties) throws Invalid {
        ConfigValues values = new ConfigValues(properties, ModbusConnectionConfig.class);
        Transport transport = values.choice("transport", Transport.class);
        String host = values.text("host").trim();
        int port = values.integer("port");
        String serialPort = values.text("serialPort").trim();
        int baudRate = values.integer("baudRate");
        int dataBits = values.integer("dataBits");
        Parity parity = values.choice("parity", Parity.class);
        int stopBits = values.integer("stopBits");
        Set<Integer> units = values.unitIds("unitIds");
        String pattern = values.text("pathpointPattern");
        int connectTimeout = values.integer("connectTimeoutMillis");
        int responseTimeout = values.integer("responseTimeoutMillis");
        int interRequestDelay = values.integer("interRequestDelayMillis");
        int reconnectDelay = values.integer("reconnectDelayMillis");
        int maxReconnectDelay = values.integer("maxReconnectDelayMillis");
        boolean closeAfterEachRequest = values.flag("closeAfterEachRequest");
        RegisterOrder order = values.choice("byteOrder", RegisterOrder.class);
        int maxReadRegisters = values.integer("maxReadRegisters");
        int maxReadBits = values.integer("maxReadBits");
        int maxRegisterGap = values.integer("maxRegisterGap");
        int maxBitGap = values.integer("maxBitGap");
        int maxWriteRegisters = values.integer("maxWriteRegisters");
        int maxWriteCoils = values.integer("maxWriteCoils");
        boolean multipleRegisterWrites = values.flag("multipleRegisterWrites");
        boolean maskWrites = values.flag("maskWrites");
        int queueCapacity = values.integer("queueCapacity");
        int maxOutstandingRequests = values.integer("maxOutstandingRequests");
        values.integer("service.ranking");
        String name = values.text("name").trim();
        if (name.isEmpty()) {
            name = "modbus-" + (transport == Transport.RTU ? serialPort : host + ":" + port);
        }
        List<String> problems = new ArrayList<>(values.problems());
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        PlanningLimits limits;
        try {
            limits = new PlanningLimits(maxReadRegisters, maxReadBits, maxRegisterGap, maxBitGap, maxWriteRegisters, maxWriteCoils,
                    multipleRegisterWrites, maskWrites);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            limits = PlanningLimits.DEFAULTS;
        }
        try {
            ConnectionSettings settings = new ConnectionSettings(name, transport, host, port, serialPort, baudRate, dataBits, parity,
                    stopBits, units, pattern, connectTimeout, responseTimeout, interRequestDelay, reconnectDelay,
                    maxReconnectDelay, closeAfterEachRequest, order, limits, queueCapacity, maxOutstandingRequests);
            if (problems.isEmpty()) {
                return settings;
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        throw new Invalid(problems);
    }

    /** The service ranking the configuration asks for (0 if it is not a number: that is reported by {@link #settings}). */
    static int ranking(Map<String, ?> properties) {
        return new ConfigValues(properties, ModbusConnectionConfig.class).integer("service.ranking");
    }

    /** Property names the configuration sets that a Modbus connection does not have. */
    static List<String> unknownKeys(Map<String, ?> properties) {
        return new ConfigValues(properties, ModbusConnectionConfig.class).unknownKeys();
    }

    /** What the configuration names, as far as it can be read, for the name of a configuration that failed. */
    static String describedName(Map<String, ?> properties) {
        Object name = properties.get("name");
        return name != null && !name.toString().isBlank() ? name.toString().trim() : pid(properties);
    }

    /** Where the configuration points, as far as it can be read, for a configuration that failed. */
    static String describedEndpoint(Map<String, ?> properties) {
        Object transport = properties.get("transport");
        String kind = transport == null ? "TCP" : transport.toString().trim().toUpperCase(Locale.ROOT);
        if (kind.equals("RTU")) {
            return "rtu:" + orDefault(properties.get("serialPort"), "/dev/ttyUSB0");
        }
        String scheme = switch (kind) {
            case "TCP" -> "tcp";
            case "RTU_OVER_TCP" -> "rtu+tcp";
            case "UDP" -> "udp";
            default -> kind.toLowerCase(Locale.ROOT);
        };
        return scheme + "://" + orDefault(properties.get("host"), "127.0.0.1") + ":" + orDefault(properties.get("port"), "502");
    }

    private static String orDefault(Object value, String fallback) {
        return value == null || value.toString().isBlank() ? fallback : value.toString().trim();
    }
}
