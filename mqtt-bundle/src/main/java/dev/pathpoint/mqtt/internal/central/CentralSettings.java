package dev.pathpoint.mqtt.internal.central;

import static dev.pathpoint.mqtt.internal.link.BrokerSettingChecks.inRange;
import static dev.pathpoint.mqtt.internal.link.BrokerSettingChecks.nonNull;
import static dev.pathpoint.mqtt.internal.link.BrokerSettingChecks.trim;

import dev.pathpoint.mqtt.internal.link.BrokerSettingChecks;
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
        String host = BrokerSettingChecks.host(config.host());
        int port = BrokerSettingChecks.port(config.port(), config.tls());
        String prefix = BrokerSettingChecks.topicPrefix(config.topicPrefix());
        LinkedHashSet<String> gateways = new LinkedHashSet<>();
        String[] listed = config.gateways() == null ? new String[0] : config.gateways();
        for (int i = 0; i < listed.length; i++) {
            String gateway = trim(listed[i]);
            gateways.add(checkGateway(gateway, "gateways[" + i + "]"));
        }
        TlsSettings tls = BrokerSettingChecks.tls(config.tls(), config.tlsTrustStore(), config.tlsTrustStorePassword(),
                config.tlsKeyStore(), config.tlsKeyStorePassword(), config.tlsHostnameVerification());
        inRange("keepAliveSeconds", config.keepAliveSeconds(), 0, 65535);
        BrokerSettingChecks.sessionExpirySeconds(config.sessionExpirySeconds());
        inRange("offlineWaitSeconds", config.offlineWaitSeconds(), 1, Integer.MAX_VALUE);
        inRange("resultTimeoutSeconds", config.resultTimeoutSeconds(), 1, Integer.MAX_VALUE);
        inRange("maxSectionsSentPerGateway", config.maxSectionsSentPerGateway(), 1, Integer.MAX_VALUE);
        inRange("maxPendingSections", config.maxPendingSections(), 1, Integer.MAX_VALUE);
        inRange("reconnectDelayMillis", config.reconnectDelayMillis(), 1, Integer.MAX_VALUE);
        inRange("maxReconnectDelayMillis", config.maxReconnectDelayMillis(), config.reconnectDelayMillis(), Integer.MAX_VALUE);
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
