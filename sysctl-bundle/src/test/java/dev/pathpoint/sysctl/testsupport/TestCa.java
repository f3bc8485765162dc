package dev.pathpoint.sysctl.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPath;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import jdk.security.jarsigner.JarSigner;

/**
 * A certificate authority made for one test run with the JDK's keytool: a TLS certificate for
 * 127.0.0.1 and localhost, a trust store holding the CA, a code-signing certificate the CA issued,
 * and a self-signed code-signing certificate nobody trusts. Jars are signed with the JDK's
 * {@link JarSigner}, as jarsigner signs them.
 */
public final class TestCa {

    public static final String PASSWORD = "changeit";

    private final Path directory;

    private TestCa(Path directory) {
        this.directory = directory;
    }

    public static TestCa create(Path directory) throws IOException {
        Files.createDirectories(directory);
        TestCa ca = new TestCa(directory);
        ca.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Pathpoint Test CA",
                "-ext", "bc:c", "-validity", "30", "-keystore", "ca.p12");
        ca.keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-rfc", "-file", "ca.pem");
        ca.keytool("-importcert", "-alias", "ca", "-file", "ca.pem", "-noprompt", "-keystore", "truststore.p12");
        ca.issue("server", "CN=127.0.0.1", "san=ip:127.0.0.1,dns:localhost", "serverAuth");
        ca.issue("signer", "CN=Pathpoint Test Signer", null, "codeSigning");
        ca.keytool("-genkeypair", "-alias", "stranger", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=Untrusted Signer", "-validity", "30", "-keystore", "stranger.p12");
        return ca;
    }

    /** A key pair in {@code alias.p12} with a certificate the CA issued, the CA's certificate behind it. */
    private void issue(String alias, String dname, String san, String extendedKeyUsage) throws IOException {
        String store = alias + ".p12";
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
                "-validity", "30", "-keystore", store);
        keytool("-certreq", "-alias", alias, "-keystore", store, "-file", alias + ".csr");
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile",
                alias + ".csr", "-outfile", alias + ".pem", "-rfc", "-validity", "30", "-ext", "eku=" + extendedKeyUsage));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-alias", "ca", "-file", "ca.pem", "-noprompt", "-keystore", store);
        keytool("-importcert", "-alias", alias, "-file", alias + ".pem", "-keystore", store);
    }

    private void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(Arrays.asList(args));
        command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
        if (Arrays.asList(args).contains("-genkeypair")) {
            command.addAll(List.of("-keypass", PASSWORD));
        }
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within 60 s: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool failed: " + command + ": "
                    + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The trust store (PKCS12, password {@link #PASSWORD}) holding the CA: for TLS and for signatures. */
    public Path trustStore() {
        return directory.resolve("truststore.p12");
    }

    /** TLS for a server on 127.0.0.1 with the CA-issued certificate. */
    public SSLContext serverContext() throws IOException {
        try {
            KeyStore keys = KeyStore.getInstance(directory.resolve("server.p12").toFile(), PASSWORD.toCharArray());
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** Signs a copy of {@code jar} with the CA-issued signer ({@code trusted}) or the self-signed one. */
    public Path sign(Path jar, Path signed, boolean trusted) throws IOException {
        String alias = trusted ? "signer" : "stranger";
        File store = directory.resolve(alias + ".p12").toFile();
        try {
            KeyStore keys = KeyStore.getInstance(store, PASSWORD.toCharArray());
            PrivateKey key = (PrivateKey) keys.getKey(alias, PASSWORD.toCharArray());
            CertPath path = CertificateFactory.getInstance("X.509")
                    .generateCertPath(Arrays.asList(keys.getCertificateChain(alias)));
            JarSigner signer = new JarSigner.Builder(key, path).digestAlgorithm("SHA-256")
                    .signatureAlgorithm("SHA256withECDSA").build();
            try (ZipFile in = new ZipFile(jar.toFile()); OutputStream out = Files.newOutputStream(signed)) {
                signer.sign(in, out);
            }
            return signed;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }
}
