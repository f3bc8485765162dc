package dev.pathpoint.mqtt.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority made inside the test with the JDK's keytool: a CA, a server
 * certificate for 127.0.0.1/localhost and a client certificate, as PEM files for mosquitto and
 * PKCS#12 stores for the Java client.
 */
public final class Pki {
    public static final String PASSWORD = "changeit";
    private final Path directory;

    private Pki(Path directory) {
        this.directory = directory;
    }

    /** Makes a CA and, signed by it, a server and a client certificate. */
    public static Pki create(Path directory) throws IOException {
        Files.createDirectories(directory);
        Pki pki = new Pki(directory);
        pki.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Pathpoint Test CA", "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
        pki.keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-rfc", "-file", "ca.pem");
        pki.issue("server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1", "eku=serverAuth");
        pki.issue("client", "CN=gateway", null, "eku=clientAuth");
        pki.writeKeyPem("server");
        return pki;
    }

    private void issue(String name, String dname, String san, String eku) throws IOException {
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
                "-validity", "2", "-keystore", name + ".p12");
        keytool("-certreq", "-alias", name, "-keystore", name + ".p12", "-file", name + ".csr");
        List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile",
                name + ".csr", "-outfile", name + ".pem", "-rfc", "-validity", "2", "-ext", eku));
        if (san != null) {
            sign.add("-ext");
            sign.add(san);
        }
        keytool(sign.toArray(String[]::new));
        keytool("-importcert", "-alias", "ca", "-file", "ca.pem", "-keystore", name + ".p12", "-noprompt");
        keytool("-importcert", "-alias", name, "-file", name + ".pem", "-keystore", name + ".p12", "-noprompt");
    }

    private void writeKeyPem(String name) throws IOException {
        try (InputStream in = Files.newInputStream(directory.resolve(name + ".p12"))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            Key key = store.getKey(name, PASSWORD.toCharArray());
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(directory.resolve(name + "-key.pem"), pem);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the " + name + " key: " + e, e);
        }
    }

    private void keytool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storepass", PASSWORD, "-keypass", PASSWORD, "-storetype", "PKCS12"));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + String.join(" ", arguments) + " failed: "
                        + new String(process.getInputStream().readAllBytes()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public Path caCertificate() {
        return directory.resolve("ca.pem");
    }

    public Path serverCertificate() {
        return directory.resolve("server.pem");
    }

    public Path serverKey() {
        return directory.resolve("server-key.pem");
    }

    /** PKCS#12 with the client's key and certificate chain, password {@value #PASSWORD}. */
    public Path clientKeyStore() {
        return directory.resolve("client.p12");
    }

    /** PKCS#12 holding only... the CA's key too: use {@link #caCertificate()} as the trust store. */
    public Path caKeyStore() {
        return directory.resolve("ca.p12");
    }
}
