package dev.pathpoint.mqtt.internal.link;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import dev.pathpoint.mqtt.internal.link.LinkSettings.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/** Builds the client's TLS configuration from trust and key stores, with errors that name the file. */
public final class Tls {
    private Tls() {
    }

    /**
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static MqttClientSslConfig sslConfig(TlsSettings settings) {
        MqttClientSslConfigBuilder builder = MqttClientSslConfig.builder();
        if (settings.trustStore() != null) {
            builder.trustManagerFactory(trustManagers(settings.trustStore(), settings.trustStorePassword()));
        }
        if (settings.keyStore() != null) {
            builder.keyManagerFactory(keyManagers(settings.keyStore(), settings.keyStorePassword()));
        }
        if (!settings.hostnameVerification()) {
            builder.hostnameVerifier((host, session) -> true);
        }
        return builder.build();
    }

    private static TrustManagerFactory trustManagers(Path file, String password) {
        try {
            KeyStore trusted;
            if (isPem(file)) {
                trusted = KeyStore.getInstance(KeyStore.getDefaultType());
                trusted.load(null, null);
                Collection<? extends Certificate> certificates;
                try (InputStream in = Files.newInputStream(file)) {
                    certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
                }
                if (certificates.isEmpty()) {
                    throw new IllegalArgumentException("tlsTrustStore " + file + " holds no certificate");
                }
                int i = 0;
                for (Certificate certificate : certificates) {
                    trusted.setCertificateEntry("ca-" + i++, certificate);
                }
            } else {
                trusted = load(file, password, "tlsTrustStore");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            return factory;
        } catch (IOException e) {
            throw new IllegalArgumentException("tlsTrustStore " + file + " cannot be read: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("tlsTrustStore " + file + " is not usable: " + e.getMessage(), e);
        }
    }

    private static KeyManagerFactory keyManagers(Path file, String password) {
        try {
            KeyStore keys = load(file, password, "tlsKeyStore");
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, password.toCharArray());
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("tlsKeyStore " + file + " is not usable (wrong password, or no private"
                    + " key?): " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, String password, String property) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(property + " " + file + " does not exist or cannot be read");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String type = name.endsWith(".jks") ? "JKS" : "PKCS12";
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException e) {
            throw new IllegalArgumentException(property + " " + file + " cannot be read as a " + type
                    + " key store (wrong password or not a key store): " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(property + " " + file + " is not usable: " + e.getMessage(), e);
        }
    }

    private static boolean isPem(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer");
    }
}
