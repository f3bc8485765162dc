package dev.pathpoint.mqtt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One link to a central system through an MQTT broker (factory PID {@code dev.pathpoint.mqtt}). */
@ObjectClassDefinition(pid = MqttLinkComponent.FACTORY_PID, name = "Pathpoint MQTT link",
        description = "A link to the central system through an MQTT 5 broker: sections in, results, messages, status, "
                + "BAOB events and optionally values out. Each configuration is one link (one MQTT client).")
public @interface LinkConfig {

    @AttributeDefinition(name = "Gateway id", description = "This gateway's name: the MQTT client id and the second "
            + "topic level (<prefix>/<gateway>/...). Letters, digits, '-', '_' and '.', 1 to 128 characters")
    String gatewayId();

    @AttributeDefinition(name = "Broker host")
    String host() default "localhost";

    @AttributeDefinition(name = "Broker port", description = "0: 1883, or 8883 with TLS", min = "0", max = "65535")
    int port() default 0;

    @AttributeDefinition(name = "Topic prefix", description = "First topic level(s), without a trailing '/', e.g. "
            + "pathpoint or acme/site1")
    String topicPrefix() default "pathpoint";

    @AttributeDefinition(name = "User name", description = "Empty: connect without credentials")
    String username() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(name = "TLS", description = "Connect over TLS (mqtts)")
    boolean tls() default false;

    @AttributeDefinition(name = "Trust store", description = "The CA certificates to trust: a PEM file (.pem, .crt) or "
            + "a key store (.p12/.pfx PKCS#12, .jks); empty: the JVM's default trust store")
    String tlsTrustStore() default "";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD)
    String tlsTrustStorePassword() default "";

    @AttributeDefinition(name = "Client key store", description = "For mutual TLS: a PKCS#12 (.p12/.pfx) or JKS key "
            + "store holding this gateway's certificate and private key; empty: no client certificate")
    String tlsKeyStore() default "";

    @AttributeDefinition(name = "Client key store password", type = AttributeType.PASSWORD)
    String tlsKeyStorePassword() default "";

    @AttributeDefinition(name = "Verify the broker's host name", description = "Check that the broker's certificate "
            + "names the host connected to")
    boolean tlsHostnameVerification() default true;

    @AttributeDefinition(name = "Keep-alive (s)", min = "0", max = "65535")
    int keepAliveSeconds() default 60;

    @AttributeDefinition(name = "Session expiry (s)", description = "How long the broker keeps this gateway's session "
            + "(its subscription and the documents sent meanwhile) while it is offline", min = "0")
    long sessionExpirySeconds() default 86_400;

    @AttributeDefinition(name = "Largest document (bytes)", description = "Larger documents are not run: an error "
            + "result goes back. At most 8388608", min = "1", max = "8388608")
    int maxDocumentBytes() default 262_144;

    @AttributeDefinition(name = "Most sections in flight", description = "Sections handed to the engine and not "
            + "finished; beyond it documents stay unacknowledged at the broker", min = "1")
    int maxSectionsInFlight() default 10_000;

    @AttributeDefinition(name = "Most unacknowledged documents", description = "The MQTT receive maximum: documents "
            + "the broker may send before this gateway acknowledges them. Keep it well above the broker's own in-flight "
            + "limit (mosquitto: max_inflight_messages): mosquitto 2.0 overruns a receive maximum close to it, and the "
            + "client then drops the connection", min = "1", max = "65535")
    int receiveMaximum() default 65535;

    @AttributeDefinition(name = "Reconnect delay (ms)", description = "First wait after a lost or failed connection; "
            + "doubles on each failure", min = "1")
    int reconnectDelayMillis() default 500;

    @AttributeDefinition(name = "Longest reconnect delay (ms)", min = "1")
    int maxReconnectDelayMillis() default 30_000;

    @AttributeDefinition(name = "Journal directory", description = "Where the journal lives; empty: the bundle's data "
            + "area, journal/<gateway id>")
    String journalDirectory() default "";

    @AttributeDefinition(name = "Journal size (MiB)", description = "Disk space the journal may take", min = "4")
    int journalMaxMegabytes() default 256;

    @AttributeDefinition(name = "Sync delay (µs)", description = "How long an acknowledgement may wait for the "
            + "journal's next sync, so that one sync covers a document and its results", min = "0", max = "100000")
    int journalSyncDelayMicros() default 1000;

    @AttributeDefinition(name = "Results wait for the sync", description = "Off: a result goes out as soon as it is "
            + "written to the journal, which a crash of the gateway's process cannot undo; after a power loss within "
            + "the sync delay its section may run once more and its result go out again, with the same id. On: a "
            + "result goes out only once synced, a disk sync later")
    boolean journalResultsAfterSync() default false;

    @AttributeDefinition(name = "Dedupe window (documents)", description = "How many recent document ids are "
            + "remembered to drop redeliveries", min = "1")
    int dedupeWindowSize() default 100_000;

    @AttributeDefinition(name = "Dedupe window (minutes)", description = "How long a document id is remembered", min = "1")
    int dedupeWindowMinutes() default 1440;

    @AttributeDefinition(name = "Serve message orders", description = "Register a message handler that publishes the "
            + "uuid of each message order to <prefix>/<gateway>/messages")
    boolean messagesEnabled() default true;

    @AttributeDefinition(name = "Message timeout (s)", description = "Longest wait for the broker to acknowledge a "
            + "message order's publish", min = "1")
    int messageTimeoutSeconds() default 10;

    @AttributeDefinition(name = "Message handler ranking", description = "service.ranking of the message handler")
    int messageHandlerRanking() default 0;

    @AttributeDefinition(name = "Publish BAOB events", description = "Publish the sysctl bundle's BAOB events to "
            + "<prefix>/<gateway>/baob")
    boolean baobEnabled() default true;

    @AttributeDefinition(name = "BAOB event topics", description = "Event Admin topics to forward")
    String baobEventTopic() default "dev/pathpoint/baob/*";

    @AttributeDefinition(name = "Publish values", description = "Publish readings as they change to "
            + "<prefix>/<gateway>/values/<pathpoint>")
    boolean valuesEnabled() default false;

    @AttributeDefinition(name = "Value pathpoints", description = "Regular expression of the pathpoints whose values "
            + "are published")
    String valuesPattern() default ".*";

    @AttributeDefinition(name = "Value interval (ms)", description = "At most one value per pathpoint in this time; "
            + "changes in between are folded into the newest", min = "0")
    int valuesMinIntervalMillis() default 1000;
}
