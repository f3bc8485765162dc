package dev.pathpoint.mqtt.internal.central;

import dev.pathpoint.mqtt.internal.link.LinkSettings;
import dev.pathpoint.mqtt.internal.link.LinkSettings.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The central side's checked settings. {@link #from} names the property that is wrong, in words an
 * operator understands.
 */
public record CentralSettings(
        String clientId,
        String host,
        int port,
        String topicPrefix,
        List<String> gateways,
        String username,
        String password,
        TlsSettings tls,
        Duration keepAlive,
        Duration sessionExpiry,
        Duration offlineWait,
        Duration resultTimeout,
        int maxSectionsSentPerGateway,
        int maxPendingSections,
        Duration reconnectDelay,
        Duration maxReconnectDelay) {

    public CentralSettings {
        gateways = List.copyOf(gateways);
    }

    /**
     * Checks a configuration.
     *
     * @throws IllegalArgumentException naming the property and the problem
     */
    public static CentralSettings from(CentralConfig config) {
        String clientId = trim(config.clientId());
        if (!LinkSettings.GATEWAY_ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("clientId '" + clientId + "' may hold only letters, digits, '-', '_' and"
                    + " '.', 1 to 128 of them (it is the MQTT client id and a topic level)");
        }
        String host = trim(config.host());
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host is empty: the broker's host name or address is needed");
        }
        int port = config.port() == 0 ? (config.tls() ? 8883 : 1883) : config.port();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + config.port() + " is not a TCP port (1 to 65535, 0 for the default)");
        }
        String prefix = checkPrefix(trim(config.topicPrefix()));
        LinkedHashSet<String> gateways = new LinkedHashSet<>();
        String[] listed = config.gateways() == null ? new String[0] : config.gateways();
        for (int i = 0; i < listed.length; i++) {
            String gateway = trim(listed[i]);
            gateways.add(checkGateway(gateway, "gateways[" + i + "]"));
        }
        if (!config.tls() && (!trim(config.tlsTrustStore()).isEmpty() || !trim(config.tlsKeyStore()).isEmpty())) {
            throw new IllegalArgumentException("tlsTrustStore or tlsKeyStore is set but tls is false: set tls = true"
                    + " to connect over TLS");
        }
        TlsSettings tls = config.tls()
                ? new TlsSettings(true, path(config.tlsTrustStore()), nonNull(config.tlsTrustStorePassword()),
                        path(config.tlsKeyStore()), nonNull(config.tlsKeyStorePassword()), config.tlsHostnameVerification())
                : TlsSettings.OFF;
        range("keepAliveSeconds", config.keepAliveSeconds(), 0, 65535);
        if (config.sessionExpirySeconds() < 0 || config.sessionExpirySeconds() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("sessionExpirySeconds " + config.sessionExpirySeconds()
                    + " is outside 0 to 4294967295");
        }
        range("offlineWaitSeconds", config.offlineWaitSeconds(), 1, Integer.MAX_VALUE);
        range("resultTimeoutSeconds", config.resultTimeoutSeconds(), 1, Integer.MAX_VALUE);
        range("maxSectionsSentPerGateway", config.maxSectionsSentPerGateway(), 1, Integer.MAX_VALUE);
        range("maxPendingSections", config.maxPendingSections(), 1, Integer.MAX_VALUE);
        range("reconnectDelayMillis", config.reconnectDelayMillis(), 1, Integer.MAX_VALUE);
        range("maxReconnectDelayMillis", config.maxReconnectDelayMillis(), config.reconnectDelayMillis(), Integer.MAX_VALUE);
        return new CentralSettings(clientId, host, port, prefix, new ArrayList<>(gateways), trim(config.username()),
                nonNull(config.password()), tls, Duration.ofSeconds(config.keepAliveSeconds()),
                Duration.ofSeconds(config.sessionExpirySeconds()), Duration.ofSeconds(config.offlineWaitSeconds()),
                Duration.ofSeconds(config.resultTimeoutSeconds()), config.maxSectionsSentPerGateway(),
                config.maxPendingSections(), Duration.ofMillis(config.reconnectDelayMillis()),
                Duration.ofMillis(config.maxReconnectDelayMillis()));
    }

    /** A gateway id, or an IllegalArgumentException naming {@code what}. */
    static String checkGateway(String gateway, String what) {
        if (gateway == null || !LinkSettings.GATEWAY_ID.matcher(gateway).matches()) {
            throw new IllegalArgumentException(what + " '" + gateway + "' is not a gateway id: letters, digits, '-', '_'"
                    + " and '.', 1 to 128 of them");
        }
        return gateway;
    }

    static String checkPrefix(String prefix) {
        if (prefix.isEmpty() || prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//")
                || prefix.contains("+") || prefix.contains("#") || prefix.startsWith("$")) {
            throw new IllegalArgumentException("topicPrefix '" + prefix + "' must be one or more topic levels without"
                    + " wildcards (+, #), a leading $ or empty levels, e.g. pathpoint or acme/site1");
        }
        return prefix;
    }

    private static void range(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " is outside " + min + " to " + max);
        }
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    private static Path path(String value) {
        return trim(value).isEmpty() ? null : Path.of(trim(value));
    }

    public String endpoint() {
        return (tls.enabled() ? "mqtts://" : "mqtt://") + host + ":" + port;
    }

    /** {@code <prefix>/<gateway>/<leaf>}. */
    public String topic(String gateway, String leaf) {
        return topicPrefix + "/" + gateway + "/" + leaf;
    }

    /** Where the gateways publish this client's results: {@code <prefix>/<gateway>/results/<client id>}. */
    public String responseTopic(String gateway) {
        return topic(gateway, "results/" + clientId);
    }

    @Override
    public String toString() {
        return "central " + clientId + " -> " + endpoint() + " (prefix " + topicPrefix + ", offline wait "
                + offlineWait.toSeconds() + " s, result timeout " + resultTimeout.toSeconds() + " s)";
    }
}
