package dev.pathpoint.mqtt.internal.link;

import dev.pathpoint.mqtt.internal.link.LinkSettings.TlsSettings;
import java.nio.file.Path;

/**
 * The checks both ends of a link make of their broker settings (the gateway's {@link LinkSettings},
 * the central side's settings): each refusal is an {@link IllegalArgumentException} naming the
 * property and what it takes.
 */
public final class BrokerSettingChecks {
    private BrokerSettingChecks() {
    }

    /** The broker's host, trimmed; never empty. */
    public static String host(String host) {
        String trimmed = trim(host);
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("host is empty: the broker's host name or address is needed");
        }
        return trimmed;
    }

    /** The configured port, or 1883 / 8883 (TLS) for 0. */
    public static int port(int port, boolean tls) {
        int effective = port == 0 ? (tls ? 8883 : 1883) : port;
        if (effective < 1 || effective > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port (1 to 65535, 0 for the default)");
        }
        return effective;
    }

    /** One or more topic levels, without wildcards, a leading {@code $} or empty levels. */
    public static String topicPrefix(String configured) {
        String prefix = trim(configured);
        if (prefix.isEmpty() || prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//")
                || prefix.contains("+") || prefix.contains("#") || prefix.startsWith("$")) {
            throw new IllegalArgumentException("topicPrefix '" + prefix + "' must be one or more topic levels without"
                    + " wildcards (+, #), a leading $ or empty levels, e.g. pathpoint or acme/site1");
        }
        return prefix;
    }

    /** TLS as configured; stores without {@code tls} are refused, since they would silently not be used. */
    public static TlsSettings tls(boolean tls, String trustStore, String trustStorePassword, String keyStore,
            String keyStorePassword, boolean hostnameVerification) {
        if (!tls && (!trim(trustStore).isEmpty() || !trim(keyStore).isEmpty())) {
            throw new IllegalArgumentException("tlsTrustStore or tlsKeyStore is set but tls is false: set tls = true"
                    + " to connect over TLS");
        }
        return tls ? new TlsSettings(true, path(trustStore), nonNull(trustStorePassword), path(keyStore),
                nonNull(keyStorePassword), hostnameVerification) : TlsSettings.OFF;
    }

    /** The MQTT 5 session expiry: 0 to 2^32 - 1 seconds. */
    public static long sessionExpirySeconds(long seconds) {
        if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("sessionExpirySeconds " + seconds + " is outside 0 to 4294967295");
        }
        return seconds;
    }

    public static void inRange(String property, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(property + " is " + value + ", expected " + min + " to " + max);
        }
    }

    /** The text trimmed; empty for none. */
    public static String trim(String text) {
        return text == null ? "" : text.trim();
    }

    /** The text as it is (a password); empty for none. */
    public static String nonNull(String text) {
        return text == null ? "" : text;
    }

    private static Path path(String text) {
        return trim(text).isEmpty() ? null : Path.of(trim(text));
    }
}
