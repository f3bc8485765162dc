package dev.pathpoint.mqtt.internal.central;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The central side's connection to the broker (factory PID {@code dev.pathpoint.mqtt.central}). */
@ObjectClassDefinition(pid = CentralComponent.FACTORY_PID, name = "Pathpoint central system (MQTT)",
        description = "The central side of the MQTT links: one MQTT client through which this framework gives "
                + "orders to remote gateways. Provides the RemoteGateways service and one OrderExecutor per "
                + "gateway listed here.")
public @interface CentralConfig {

    @AttributeDefinition(name = "Client id", description = "This central system's MQTT client id and the last level "
            + "of its response topics (<prefix>/<gateway>/results/<client id>). Unique per central instance and "
            + "stable across restarts. Letters, digits, '-', '_' and '.', 1 to 128 characters")
    String clientId() default "pathpoint-central";

    @AttributeDefinition(name = "Broker host")
    String host() default "localhost";

    @AttributeDefinition(name = "Broker port", description = "0: 1883, or 8883 with TLS", min = "0", max = "65535")
    int port() default 0;

    @AttributeDefinition(name = "Topic prefix", description = "The gateways' topic prefix, e.g. pathpoint or acme/site1")
    String topicPrefix() default "pathpoint";

    @AttributeDefinition(name = "Gateways", description = "Gateway ids registered as OrderExecutor services of their "
            + "own (service property pathpoint.gateway); any other gateway is reached through RemoteGateways")
    String[] gateways() default {};

    @AttributeDefinition(name = "User name", description = "Empty: connect without credentials")
    String username() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(name = "TLS", description = "Connect over TLS (mqtts)")
    boolean tls() default false;

    @AttributeDefinition(name = "Trust store", description = "The CA certificates to trust: a PEM file or a PKCS#12 "
            + "/ JKS key store; empty: the JVM's default trust store")
    String tlsTrustStore() default "";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD)
    String tlsTrustStorePassword() default "";

    @AttributeDefinition(name = "Client key store", description = "For mutual TLS: a PKCS#12 or JKS key store with "
            + "this central system's certificate and key; empty: no client certificate")
    String tlsKeyStore() default "";

    @AttributeDefinition(name = "Client key store password", type = AttributeType.PASSWORD)
    String tlsKeyStorePassword() default "";

    @AttributeDefinition(name = "Verify the broker's host name")
    boolean tlsHostnameVerification() default true;

    @AttributeDefinition(name = "Keep-alive (s)", min = "0", max = "65535")
    int keepAliveSeconds() default 60;

    @AttributeDefinition(name = "Session expiry (s)", description = "How long the broker keeps this client's session "
            + "(its subscriptions and the results sent meanwhile) while it is disconnected", min = "0")
    long sessionExpirySeconds() default 86_400;

    @AttributeDefinition(name = "Offline wait (s)", description = "How long a section waits for a gateway that is not "
            + "online (or for this client's own connection to the broker) before it fails TIMEOUT", min = "1")
    int offlineWaitSeconds() default 60;

    @AttributeDefinition(name = "Result timeout (s)", description = "How long a section sent to an online gateway may "
            + "go without a result before it fails TIMEOUT (a cancel is sent)", min = "1")
    int resultTimeoutSeconds() default 600;

    @AttributeDefinition(name = "Sections sent per gateway", description = "Sections sent to one gateway and not "
            + "answered; further ones wait here, where Section.cancel() still cancels them", min = "1")
    int maxSectionsSentPerGateway() default 1000;

    @AttributeDefinition(name = "Sections pending", description = "Sections waiting or sent, for all gateways; "
            + "beyond it execute completes sections at once as REJECTED", min = "1")
    int maxPendingSections() default 1_000_000;

    @AttributeDefinition(name = "Reconnect delay (ms)", min = "1")
    int reconnectDelayMillis() default 500;

    @AttributeDefinition(name = "Longest reconnect delay (ms)", min = "1")
    int maxReconnectDelayMillis() default 30_000;
}
