package dev.pathpoint.mqtt.internal.tool;

import dev.pathpoint.mqtt.internal.central.CentralConfig;
import dev.pathpoint.mqtt.internal.central.CentralSettings;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** The command line of {@code pathpoint-remote}. */
record RemoteOptions(CentralSettings settings, String gateway, Path exec, Duration timeout, Duration offlineWait) {

    static final String USAGE = """
            usage: pathpoint-remote --broker URL --gateway ID --exec SECTIONS.json [options]
              --broker URL              mqtt://HOST[:PORT] or mqtts://HOST[:PORT] (TLS); default ports 1883, 8883
              --gateway ID              the gateway's id (its gatewayId)
              --exec FILE               run the sections in FILE (JSON wire format) on the gateway, print one JSON
                                        result per section on stdout, exit 0 if every order succeeded, 1 if not,
                                        2 if they could not be run (bad document, broker or gateway not reachable,
                                        timeout)
              --prefix P                the gateways' topic prefix; default pathpoint
              --timeout S               give up after S seconds (exit 2); default 600
              --offline-wait S          how long to wait for the gateway to be online; default 30
              --client-id ID            this tool's MQTT client id; default pathpoint-remote-<random>
              --username U              MQTT user name
              --password P              MQTT password (or --password-file FILE: its first line)
              --trust-store FILE        CA certificates to trust: PEM, PKCS#12 or JKS; default the JVM's
              --trust-store-password P
              --key-store FILE          client certificate and key for mutual TLS: PKCS#12 or JKS
              --key-store-password P
              --no-hostname-verification  do not check that the broker's certificate names its host
              -h, --help                this text""";

    /** {@code --help}: print the usage and exit 0. */
    static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super("help requested", null, false, false);
        }
    }

    static RemoteOptions parse(String[] args) {
        Map<String, Object> config = new HashMap<>();
        String broker = null;
        String gateway = null;
        Path exec = null;
        long timeout = 600;
        long offlineWait = 30;
        String clientId = "pathpoint-remote-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> throw new HelpRequested();
                case "--broker" -> broker = value(args, ++i, arg);
                case "--gateway" -> gateway = value(args, ++i, arg);
                case "--exec" -> exec = file(arg, value(args, ++i, arg));
                case "--prefix" -> config.put("topicPrefix", value(args, ++i, arg));
                case "--timeout" -> timeout = positive(arg, value(args, ++i, arg));
                case "--offline-wait" -> offlineWait = positive(arg, value(args, ++i, arg));
                case "--client-id" -> clientId = value(args, ++i, arg);
                case "--username" -> config.put("username", value(args, ++i, arg));
                case "--password" -> config.put("password", value(args, ++i, arg));
                case "--password-file" -> config.put("password", firstLine(arg, value(args, ++i, arg)));
                case "--trust-store" -> config.put("tlsTrustStore", file(arg, value(args, ++i, arg)).toString());
                case "--trust-store-password" -> config.put("tlsTrustStorePassword", value(args, ++i, arg));
                case "--key-store" -> config.put("tlsKeyStore", file(arg, value(args, ++i, arg)).toString());
                case "--key-store-password" -> config.put("tlsKeyStorePassword", value(args, ++i, arg));
                case "--no-hostname-verification" -> config.put("tlsHostnameVerification", false);
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (broker == null) {
            throw new IllegalArgumentException("--broker is missing: the broker's URL, e.g. mqtt://broker.example.net");
        }
        if (gateway == null) {
            throw new IllegalArgumentException("--gateway is missing: the id of the gateway to run the sections on");
        }
        if (exec == null) {
            throw new IllegalArgumentException("--exec is missing: the file of sections to run");
        }
        broker(broker, config);
        boolean tls = Boolean.TRUE.equals(config.get("tls"));
        if (!tls && (config.containsKey("tlsTrustStore") || config.containsKey("tlsKeyStore"))) {
            throw new IllegalArgumentException("--trust-store and --key-store need an mqtts:// broker URL");
        }
        config.put("clientId", clientId);
        config.put("gateways", new String[] {gateway});
        config.put("offlineWaitSeconds", (int) offlineWait);
        config.put("resultTimeoutSeconds", (int) Math.min(Integer.MAX_VALUE, timeout + 1));
        // long enough to pick results up again after a lost connection during the run, gone soon after
        config.put("sessionExpirySeconds", timeout + 60);
        config.put("reconnectDelayMillis", 200);
        config.put("maxReconnectDelayMillis", 2000);
        CentralSettings settings;
        try {
            settings = CentralSettings.from(config(config));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(optionNames(e.getMessage()));
        }
        return new RemoteOptions(settings, settings.gateways().get(0), exec, Duration.ofSeconds(timeout),
                Duration.ofSeconds(offlineWait));
    }

    /** The settings' property names as the options that set them. */
    private static String optionNames(String message) {
        return message.replace("gateways[0]", "--gateway").replace("clientId", "--client-id")
                .replace("topicPrefix", "--prefix");
    }

    private static void broker(String url, Map<String, Object> config) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--broker " + url + ": not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("mqtt") && !scheme.equals("mqtts") || uri.getHost() == null) {
            throw new IllegalArgumentException("--broker " + url + ": expected mqtt://HOST[:PORT] or mqtts://HOST[:PORT]");
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw new IllegalArgumentException("--broker " + url + ": a broker URL has no path");
        }
        config.put("host", uri.getHost());
        config.put("port", Math.max(0, uri.getPort()));
        config.put("tls", scheme.equals("mqtts"));
    }

    private static long positive(String option, String value) {
        try {
            long number = Long.parseLong(value);
            if (number > 0 && number <= Integer.MAX_VALUE) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " " + value + ": expected a whole number of seconds above 0");
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static Path file(String option, String value) {
        Path path = Path.of(value).toAbsolutePath();
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException(option + " " + value + ": not a readable file");
        }
        return path;
    }

    private static String firstLine(String option, String value) {
        try {
            String text = Files.readString(file(option, value), StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            return (end < 0 ? text : text.substring(0, end)).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + value + ": cannot be read: " + e.getMessage());
        }
    }

    /** The values as a {@link CentralConfig}, the annotation's defaults for the rest. */
    private static CentralConfig config(Map<String, Object> values) {
        return (CentralConfig) Proxy.newProxyInstance(CentralConfig.class.getClassLoader(),
                new Class<?>[] {CentralConfig.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "annotationType" -> CentralConfig.class;
                    case "toString" -> "CentralConfig" + values.keySet();
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == arguments[0];
                    default -> {
                        Object value = values.getOrDefault(method.getName(), method.getDefaultValue());
                        if (method.getReturnType() == int.class && value instanceof Number number) {
                            yield number.intValue();
                        }
                        if (method.getReturnType() == long.class && value instanceof Number number) {
                            yield number.longValue();
                        }
                        yield value;
                    }
                });
    }
}
