package dev.pathpoint.sysctl.internal.repository;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One remote repository of the {@code update} sysctl, from one factory configuration. A
 * configuration that cannot work (no HTTPS URL, a trust store that does not open...) still makes a
 * repository, one that fails every update with the reason, so that the mistake shows where the
 * update is asked for and no update silently skips it.
 */
@Component(name = RepositoryComponent.FACTORY_PID, service = UpdateRepository.class,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = RepositoryComponent.Config.class, factory = true)
public final class RepositoryComponent implements UpdateRepository {

    public static final String FACTORY_PID = "dev.pathpoint.sysctl.update.repository";

    public enum Layout {
        MAVEN, INDEX
    }

    @ObjectClassDefinition(id = FACTORY_PID, name = "Pathpoint sysctl: update repository",
            description = "A remote repository the update sysctl downloads new bundle versions from, over HTTPS. "
                    + "Every download is verified (checksum, and signature where required) in a staging directory "
                    + "before anything is updated.")
    public @interface Config {
        @AttributeDefinition(name = "Name", description = "The repository's name in reports and messages.")
        String name();

        @AttributeDefinition(name = "Layout", options = {
                @Option(label = "Maven repository (release layout)", value = "MAVEN"),
                @Option(label = "OSGi repository index (index.xml or index.xml.gz)", value = "INDEX")},
                description = "MAVEN: the newest release of each installed bundle's Maven coordinates; INDEX: the "
                        + "highest version of each installed bundle's symbolic name in the index.")
        Layout layout() default Layout.MAVEN;

        @AttributeDefinition(name = "URL", description = "https URL of the Maven repository's root, or of the index.")
        String url();

        @AttributeDefinition(name = "User name", required = false,
                description = "For HTTP basic authentication, sent to the repository's own host only.")
        String username() default "";

        /** {@code .password}: a private property, so it is not published with the service. */
        @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false)
        String _password() default "";

        @AttributeDefinition(name = "TLS trust store", required = false,
                description = "Trust store (PKCS12 or JKS file) of the certificates that may sign the repository's "
                        + "TLS certificate. Empty: the Java platform's default trust store.")
        String tls_truststore() default "";

        @AttributeDefinition(name = "TLS trust store password", type = AttributeType.PASSWORD, required = false)
        String _tls_truststore_password() default "";

        @AttributeDefinition(name = "Proxy host", required = false, description = "HTTPS proxy; empty: none.")
        String proxy_host() default "";

        @AttributeDefinition(name = "Proxy port", min = "0", max = "65535", description = "0: no proxy.")
        int proxy_port() default 0;

        @AttributeDefinition(name = "Connect timeout (seconds)", min = "1")
        int connect_timeout_seconds() default 10;

        @AttributeDefinition(name = "Read timeout (seconds)", min = "1",
                description = "Longest wait for an answer, and longest silence within a download.")
        int read_timeout_seconds() default 30;

        @AttributeDefinition(name = "Download timeout (seconds)", min = "1",
                description = "Longest time one download may take.")
        int download_timeout_seconds() default 600;

        @AttributeDefinition(name = "Other allowed hosts", required = false,
                description = "host or host:port of other hosts this repository may redirect to or name in its "
                        + "index. Nothing else is contacted.")
        String[] allowed_hosts() default {};

        @AttributeDefinition(name = "Require signatures",
                description = "Accept only jars whose every entry is signed by a signer the signature trust store trusts.")
        boolean signatures_required() default false;

        @AttributeDefinition(name = "Signature trust store", required = false,
                description = "Trust store (PKCS12 or JKS) of the certificates that may sign jars, directly or as a CA.")
        String signatures_truststore() default "";

        @AttributeDefinition(name = "Signature trust store password", type = AttributeType.PASSWORD, required = false)
        String _signatures_truststore_password() default "";

        @AttributeDefinition(name = "Maven coordinates", required = false,
                description = "symbolic.name=groupId:artifactId, for installed bundles whose coordinates neither their "
                        + "mvn: location nor their META-INF/maven descriptor tell (MAVEN layout).")
        String[] artifacts() default {};
    }

    private final String description;
    private final String misconfiguration;
    private final Layout layout;
    private final MavenLayout maven;
    private final RepositoryIndex index;

    @Activate
    public RepositoryComponent(Config config) {
        String name = config.name() == null || config.name().isBlank() ? "(unnamed)" : config.name().strip();
        layout = config.layout();
        description = (layout == Layout.INDEX ? "repository index " : "Maven repository ") + name + " ("
                + config.url() + ")";
        String problem = null;
        MavenLayout mavenLayout = null;
        RepositoryIndex repositoryIndex = null;
        try {
            URI url = httpsUrl(config.url());
            ArtifactDownloads downloads = new ArtifactDownloads(fetcher(config, name, url), name, signatures(config));
            if (layout == Layout.INDEX) {
                repositoryIndex = new RepositoryIndex(url, name, downloads);
            } else {
                mavenLayout = new MavenLayout(url, name, downloads, artifacts(config.artifacts()));
            }
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        misconfiguration = problem;
        maven = mavenLayout;
        index = repositoryIndex;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public List<StagedArtifact> fetchNewer(List<InstalledArtifact> installed, Path staging) throws RepositoryException {
        if (misconfiguration != null) {
            throw new RepositoryException(description + " is misconfigured (factory configuration " + FACTORY_PID
                    + "): " + misconfiguration);
        }
        return layout == Layout.INDEX ? index.fetchNewer(installed, staging) : maven.fetchNewer(installed, staging);
    }

    private static URI httpsUrl(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("url is empty");
        }
        URI url;
        try {
            url = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url '" + text + "' is not a valid URL: " + e.getMessage());
        }
        if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("url '" + text + "' is not an https URL with a host");
        }
        if (url.getUserInfo() != null) {
            throw new IllegalArgumentException("url '" + text + "' carries credentials; set username and password instead");
        }
        return url;
    }

    private static Fetcher fetcher(Config config, String name, URI url) {
        requireAtLeastOne("connect.timeout.seconds", config.connect_timeout_seconds());
        requireAtLeastOne("read.timeout.seconds", config.read_timeout_seconds());
        requireAtLeastOne("download.timeout.seconds", config.download_timeout_seconds());
        HttpClient.Builder client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(config.connect_timeout_seconds()));
        if (!config.tls_truststore().isBlank()) {
            client.sslContext(sslContext(trustStore("tls.truststore", config.tls_truststore(),
                    config._tls_truststore_password())));
        }
        if (!config.proxy_host().isBlank()) {
            if (config.proxy_port() < 1 || config.proxy_port() > 65535) {
                throw new IllegalArgumentException("proxy.port " + config.proxy_port() + " is not a port (1..65535)");
            }
            client.proxy(ProxySelector.of(InetSocketAddress.createUnresolved(config.proxy_host().strip(), config.proxy_port())));
        } else {
            client.proxy(HttpClient.Builder.NO_PROXY);
        }
        Set<String> allowed = new LinkedHashSet<>();
        allowed.add(Fetcher.authority(url));
        for (String host : config.allowed_hosts()) {
            allowed.add(allowedAuthority(host));
        }
        Optional<String> authorization = config.username().isBlank() ? Optional.empty()
                : Optional.of("Basic " + Base64.getEncoder().encodeToString(
                        (config.username() + ":" + config._password()).getBytes(StandardCharsets.UTF_8)));
        return new Fetcher(client.build(), name, url, allowed, authorization,
                Duration.ofSeconds(config.read_timeout_seconds()), Duration.ofSeconds(config.download_timeout_seconds()));
    }

    private static String allowedAuthority(String host) {
        String text = host.strip().toLowerCase(Locale.ROOT);
        if (!text.matches("[a-z0-9.-]+(:[0-9]{1,5})?|\\[[0-9a-f:.]+\\](:[0-9]{1,5})?")) {
            throw new IllegalArgumentException("allowed.hosts entry '" + host + "' is not host or host:port");
        }
        return text.matches(".*:[0-9]{1,5}") && !text.endsWith("]") ? text : text + ":443";
    }

    private static Optional<JarSignatures> signatures(Config config) {
        if (!config.signatures_required()) {
            return Optional.empty();
        }
        if (config.signatures_truststore().isBlank()) {
            throw new IllegalArgumentException("signatures.required is set but signatures.truststore is empty");
        }
        return Optional.of(new JarSignatures(trustStore("signatures.truststore", config.signatures_truststore(),
                config._signatures_truststore_password())));
    }

    private static Map<String, MavenCoordinates> artifacts(String[] entries) {
        Map<String, MavenCoordinates> artifacts = new HashMap<>();
        for (String entry : entries) {
            String[] nameAndCoordinates = entry.strip().split("=", 2);
            String[] groupAndArtifact = nameAndCoordinates.length == 2 ? nameAndCoordinates[1].strip().split(":") : new String[0];
            if (groupAndArtifact.length != 2) {
                throw new IllegalArgumentException("artifacts entry '" + entry + "' is not symbolic.name=groupId:artifactId");
            }
            artifacts.put(nameAndCoordinates[0].strip(), new MavenCoordinates(groupAndArtifact[0], groupAndArtifact[1], null));
        }
        return artifacts;
    }

    private static void requireAtLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " is " + value + ", it must be at least 1");
        }
    }

    private static KeyStore trustStore(String property, String file, String password) {
        Path path = Path.of(file.strip());
        char[] secret = password == null || password.isEmpty() ? null : password.toCharArray();
        try (InputStream in = Files.newInputStream(path)) {
            // KeyStore.getInstance(File) would pick the type; the stream form needs it, so try both
            byte[] bytes = in.readAllBytes();
            for (String type : List.of("PKCS12", "JKS")) {
                try {
                    KeyStore store = KeyStore.getInstance(type);
                    store.load(new java.io.ByteArrayInputStream(bytes), secret);
                    if (store.size() == 0) {
                        throw new IllegalArgumentException(property + " " + path + " holds no certificate");
                    }
                    return store;
                } catch (IOException | GeneralSecurityException e) {
                    // try the next type
                }
            }
            throw new IllegalArgumentException(property + " " + path + " is neither a PKCS12 nor a JKS trust store"
                    + " (or its password is wrong)");
        } catch (IOException e) {
            throw new IllegalArgumentException(property + " " + path + " cannot be read: " + e.getMessage());
        }
    }

    private static SSLContext sslContext(KeyStore trustStore) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("tls.truststore cannot be used: " + e.getMessage());
        }
    }
}
