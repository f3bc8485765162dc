package dev.pathpoint.sysctl.internal.repository;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.PKIXParameters;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Enumeration;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Checks a jar's signature as {@code jarsigner -verify -strict} against a trust store would: the
 * JDK verifies each entry's digest against the signature files while it is read
 * ({@link JarFile} with verification on), and every entry but the signature files themselves must
 * be signed by a signer whose certificate chain leads to a certificate of the trust store.
 */
final class JarSignatures {

    private final KeyStore trustStore;

    JarSignatures(KeyStore trustStore) {
        this.trustStore = trustStore;
    }

    /** @throws RepositoryException naming {@code what} and the first entry that is not signed by a trusted signer */
    void verify(Path jar, String what) throws RepositoryException {
        try (JarFile file = new JarFile(jar.toFile(), true)) {
            Enumeration<JarEntry> entries = file.entries();
            int signed = 0;
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                // reading the whole entry makes the JDK check its digest; a mismatch throws SecurityException
                try (InputStream in = file.getInputStream(entry)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
                if (entry.isDirectory() || isSignatureFile(entry.getName())) {
                    continue;
                }
                CodeSigner[] signers = entry.getCodeSigners();
                if (signers == null || signers.length == 0) {
                    throw new RepositoryException(what + ": the jar is not signed" + (signed == 0 ? "" :
                            " completely: entry " + entry.getName() + " is unsigned") + ", and repository signatures are required");
                }
                if (!anyTrusted(signers)) {
                    throw new RepositoryException(what + ": entry " + entry.getName() + " is signed by "
                            + subject(signers[0]) + ", whom signatures.truststore does not trust");
                }
                signed++;
            }
            if (signed == 0) {
                throw new RepositoryException(what + ": the jar holds nothing signed, and repository signatures are required");
            }
        } catch (SecurityException e) {
            throw new RepositoryException(what + ": the jar's signature does not match its content (tampered?): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new RepositoryException(what + ": the jar cannot be read to check its signature: " + e.getMessage(), e);
        }
    }

    private boolean anyTrusted(CodeSigner[] signers) {
        for (CodeSigner signer : signers) {
            if (isTrusted(signer.getSignerCertPath())) {
                return true;
            }
        }
        return false;
    }

    private boolean isTrusted(CertPath path) {
        try {
            PKIXParameters parameters = new PKIXParameters(trustStore);
            // jarsigner does not check revocation by default either; gateways are often offline
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(path, parameters);
            return true;
        } catch (CertPathValidatorException e) {
            return false;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The files a signature consists of, which are not signed themselves (as jarsigner treats them). */
    private static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return upper.equals("META-INF/MANIFEST.MF") || upper.endsWith(".SF") || upper.endsWith(".DSA")
                || upper.endsWith(".RSA") || upper.endsWith(".EC") || upper.startsWith("META-INF/SIG-");
    }

    private static String subject(CodeSigner signer) {
        Certificate first = signer.getSignerCertPath().getCertificates().get(0);
        return first instanceof X509Certificate x509 ? x509.getSubjectX500Principal().getName() : "an unknown signer";
    }
}
