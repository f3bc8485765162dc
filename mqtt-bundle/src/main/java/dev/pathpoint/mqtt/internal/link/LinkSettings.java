package dev.pathpoint.mqtt.internal.link;

import static dev.pathpoint.mqtt.internal.link.BrokerSettingChecks.inRange;
import static dev.pathpoint.mqtt.internal.link.BrokerSettingChecks.nonNull;
import static dev.pathpoint.mqtt.internal.link.BrokerSettingChecks.trim;

import dev.pathpoint.api.wire.SectionCodec;
import dev.pathpoint.mqtt.internal.LinkConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A link's checked settings. {@link #from} names the property that is wrong, in words an operator
 * understands.
 */
public record LinkSettings(
        String gatewayId,
        String host,
        int port,
        String topicPrefix,
        String username,
        String password,
        TlsSettings tls,
        Duration keepAlive,
        Duration sessionExpiry,
        int maxDocumentBytes,
        int maxSectionsInFlight,
        int receiveMaximum,
        Duration reconnectDelay,
        Duration maxReconnectDelay,
        Path journalDirectory,
        long journalMaxBytes,
        Duration journalSyncDelay,
        boolean journalResultsAfterSync,
        int dedupeWindowSize,
        Duration dedupeWindowAge,
        boolean messagesEnabled,
        Duration messageTimeout,
        int messageHandlerRanking,
        boolean baobEnabled,
        String baobEventTopic,
        boolean valuesEnabled,
        Pattern valuesPattern,
        Duration valuesMinInterval) {

    public static final Pattern GATEWAY_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final int MIB = 1024 * 1024;

    /** TLS settings; {@code enabled} false means plain TCP. Paths may be null. */
    public record TlsSettings(boolean enabled, Path trustStore, String trustStorePassword, Path keyStore,
            String keyStorePassword, boolean hostnameVerification) {
        public static final TlsSettings OFF = new TlsSettings(false, null, "", null, "", true);
    }

    /**
     * Checks a configuration.
     *
     * @param journalRoot where journals live when {@code journalDirectory} is empty
     * @throws IllegalArgumentException naming the property and the problem
     */
    public static LinkSettings from(LinkConfig config, Path journalRoot) {
        String gatewayId = trim(config.gatewayId());
        if (gatewayId.isEmpty()) {
            throw new IllegalArgumentException("gatewayId is missing: every link needs this gateway's name");
        }
        if (!GATEWAY_ID.matcher(gatewayId).matches()) {
            throw new IllegalArgumentException("gatewayId '" + gatewayId + "' may hold only letters, digits, '-', '_'"
                    + " and '.', at most 128 of them (it is the MQTT client id and a topic level)");
        }
        String host = BrokerSettingChecks.host(config.host());
        int port = BrokerSettingChecks.port(config.port(), config.tls());
        String prefix = BrokerSettingChecks.topicPrefix(config.topicPrefix());
        TlsSettings tls = BrokerSettingChecks.tls(config.tls(), config.tlsTrustStore(), config.tlsTrustStorePassword(),
                config.tlsKeyStore(), config.tlsKeyStorePassword(), config.tlsHostnameVerification());
        inRange("keepAliveSeconds", config.keepAliveSeconds(), 0, 65535);
        BrokerSettingChecks.sessionExpirySeconds(config.sessionExpirySeconds());
        inRange("maxDocumentBytes", config.maxDocumentBytes(), 1, SectionCodec.MAX_DOCUMENT_BYTES);
        inRange("maxSectionsInFlight", config.maxSectionsInFlight(), 1, Integer.MAX_VALUE);
        inRange("receiveMaximum", config.receiveMaximum(), 1, 65535);
        inRange("reconnectDelayMillis", config.reconnectDelayMillis(), 1, Integer.MAX_VALUE);
        inRange("maxReconnectDelayMillis", config.maxReconnectDelayMillis(), config.reconnectDelayMillis(), Integer.MAX_VALUE);
        Path journal = trim(config.journalDirectory()).isEmpty() ? journalRoot.resolve(gatewayId)
                : Path.of(trim(config.journalDirectory()));
        long journalMax = (long) config.journalMaxMegabytes() * MIB;
        int segment = segmentBytes(config.maxDocumentBytes());
        if (journalMax < 4L * segment) {
            throw new IllegalArgumentException("journalMaxMegabytes " + config.journalMaxMegabytes() + " is too small: the"
                    + " journal needs room for 4 segments of " + segment / MIB + " MiB with maxDocumentBytes "
                    + config.maxDocumentBytes());
        }
        inRange("journalSyncDelayMicros", config.journalSyncDelayMicros(), 0, 100_000);
        inRange("dedupeWindowSize", config.dedupeWindowSize(), 1, 10_000_000);
        inRange("dedupeWindowMinutes", config.dedupeWindowMinutes(), 1, Integer.MAX_VALUE);
        inRange("messageTimeoutSeconds", config.messageTimeoutSeconds(), 1, Integer.MAX_VALUE);
        String baobTopic = trim(config.baobEventTopic());
        if (config.baobEnabled() && !baobTopic.matches("[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*(/\\*)?|\\*")) {
            throw new IllegalArgumentException("baobEventTopic '" + baobTopic + "' is not an Event Admin topic filter"
                    + " (levels of letters, digits, _ and - separated by /, optionally ending in /*)");
        }
        Pattern values;
        try {
            values = Pattern.compile(config.valuesPattern() == null ? ".*" : config.valuesPattern());
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("valuesPattern is not a regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
        inRange("valuesMinIntervalMillis", config.valuesMinIntervalMillis(), 0, Integer.MAX_VALUE);
        return new LinkSettings(gatewayId, host, port, prefix, trim(config.username()), nonNull(config.password()), tls,
                Duration.ofSeconds(config.keepAliveSeconds()), Duration.ofSeconds(config.sessionExpirySeconds()),
                config.maxDocumentBytes(), config.maxSectionsInFlight(), config.receiveMaximum(),
                Duration.ofMillis(config.reconnectDelayMillis()), Duration.ofMillis(config.maxReconnectDelayMillis()),
                journal, journalMax, Duration.ofNanos(config.journalSyncDelayMicros() * 1000L),
                config.journalResultsAfterSync(), config.dedupeWindowSize(),
                Duration.ofMinutes(config.dedupeWindowMinutes()), config.messagesEnabled(),
                Duration.ofSeconds(config.messageTimeoutSeconds()), config.messageHandlerRanking(), config.baobEnabled(),
                baobTopic, config.valuesEnabled(), values, Duration.ofMillis(config.valuesMinIntervalMillis()));
    }

    /** A segment holds the largest record (a document and its frame) at least twice, and is 8 MiB or more. */
    static int segmentBytes(int maxDocumentBytes) {
        long needed = 2L * maxDocumentBytes + 64 * 1024;
        long segment = Math.max(8L * MIB, needed);
        return (int) ((segment + MIB - 1) / MIB * MIB);
    }

    public int segmentBytes() {
        return segmentBytes(maxDocumentBytes);
    }

    public String endpoint() {
        return (tls.enabled() ? "mqtts://" : "mqtt://") + host + ":" + port;
    }

    /** {@code <prefix>/<gateway>/<leaf>}. */
    public String topic(String leaf) {
        return topicPrefix + "/" + gatewayId + "/" + leaf;
    }

    /** Whether a change from {@code before} needs a new MQTT connection (rather than applying in place). */
    boolean needsReconnect(LinkSettings before) {
        return !host.equals(before.host) || port != before.port || !topicPrefix.equals(before.topicPrefix)
                || !gatewayId.equals(before.gatewayId) || !username.equals(before.username)
                || !password.equals(before.password) || !tls.equals(before.tls) || !keepAlive.equals(before.keepAlive)
                || !sessionExpiry.equals(before.sessionExpiry) || maxDocumentBytes != before.maxDocumentBytes
                || receiveMaximum != before.receiveMaximum || !reconnectDelay.equals(before.reconnectDelay)
                || !maxReconnectDelay.equals(before.maxReconnectDelay);
    }

    /** Whether a change needs the journal reopened. */
    boolean needsNewJournal(LinkSettings before) {
        return !journalDirectory.equals(before.journalDirectory) || journalMaxBytes != before.journalMaxBytes
                || !journalSyncDelay.equals(before.journalSyncDelay) || journalResultsAfterSync != before.journalResultsAfterSync
                || segmentBytes() != before.segmentBytes()
                || dedupeWindowSize != before.dedupeWindowSize || !dedupeWindowAge.equals(before.dedupeWindowAge);
    }

    @Override
    public String toString() {
        return "link " + gatewayId + " to " + endpoint() + " (topics " + topic("*") + ")";
    }
}
