package dev.pathpoint.web.internal;

import dev.pathpoint.api.wire.SectionCodec;
import dev.pathpoint.web.internal.auth.TokenHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

/**
 * The checked configuration. {@link #from} refuses a configuration with any bad setting, naming the
 * property and the problem, so that nothing of it is half-applied.
 */
public record WebSettings(
        String contextPath,
        boolean allowRemoteClients,
        List<TokenHash> tokenHashes,
        String jaasRealm,
        Set<String> jaasReadRoles,
        Set<String> jaasWriteRoles,
        int maxBodyBytes,
        Duration resultWait,
        Duration maxWait,
        Duration resultRetention,
        int maxRetainedResults,
        long maxRetainedBytes,
        int maxRunningRuns,
        double writesPerSecond,
        int writeBurst,
        int authFreeFailures,
        Duration authDelay,
        Duration authMaxDelay,
        Duration authFailureMemory,
        int streamMaxClients,
        int streamMaxPending,
        Duration streamHeartbeat,
        Duration statsSample,
        int statsSamples,
        int maxValues,
        String httpWhiteboardTarget) {

    /** What retained results may hold in all: 32 results of the largest body, about. */
    static final long MAX_RETAINED_BYTES = 64L * 1024 * 1024;

    /** The API's path under the context path. */
    public static final String API_PATH = "/api/v1";

    public WebSettings {
        tokenHashes = List.copyOf(tokenHashes);
        jaasReadRoles = Set.copyOf(jaasReadRoles);
        jaasWriteRoles = Set.copyOf(jaasWriteRoles);
    }

    /** The defaults, for tests. */
    public static WebSettings defaults() {
        return from(Defaults.CONFIG);
    }

    /** @throws IllegalArgumentException naming the first bad property and what is wrong with it */
    public static WebSettings from(WebConfig config) {
        List<TokenHash> hashes = new ArrayList<>();
        String[] configured = config.tokenHashes() == null ? new String[0] : config.tokenHashes();
        for (int i = 0; i < configured.length; i++) {
            if (configured[i] == null || configured[i].isBlank()) {
                continue;
            }
            try {
                hashes.add(TokenHash.parse(configured[i]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tokenHashes[" + i + "]: " + e.getMessage());
            }
        }
        String target = text(config.httpWhiteboardTarget());
        if (!target.isEmpty()) {
            try {
                FrameworkUtil.createFilter(target);
            } catch (InvalidSyntaxException e) {
                throw new IllegalArgumentException("httpWhiteboardTarget: '" + target + "' is not an LDAP filter: " + e.getMessage());
            }
        }
        if (!(config.writesPerSecond() > 0) || Double.isInfinite(config.writesPerSecond())) {
            throw new IllegalArgumentException("writesPerSecond: must be a positive number, got " + config.writesPerSecond());
        }
        int maxWait = atLeast("maxWaitSeconds", config.maxWaitSeconds(), 0);
        int wait = atLeast("waitSeconds", config.waitSeconds(), 0);
        if (wait > maxWait) {
            throw new IllegalArgumentException("waitSeconds: " + wait + " is more than maxWaitSeconds (" + maxWait + ")");
        }
        int delay = atLeast("authDelayMillis", config.authDelayMillis(), 1);
        int maxDelay = atLeast("authMaxDelaySeconds", config.authMaxDelaySeconds(), 1);
        return new WebSettings(
                contextPath(config.contextPath()),
                config.allowRemoteClients(),
                hashes,
                text(config.jaasRealm()),
                roles(config.jaasReadRoles()),
                roles(config.jaasWriteRoles()),
                between("maxBodyBytes", config.maxBodyBytes(), 1, SectionCodec.MAX_DOCUMENT_BYTES),
                Duration.ofSeconds(wait),
                Duration.ofSeconds(maxWait),
                Duration.ofSeconds(atLeast("resultRetentionSeconds", config.resultRetentionSeconds(), 1)),
                atLeast("maxRetainedResults", config.maxRetainedResults(), 0),
                MAX_RETAINED_BYTES,
                atLeast("maxRunningRuns", config.maxRunningRuns(), 1),
                config.writesPerSecond(),
                atLeast("writeBurst", config.writeBurst(), 1),
                atLeast("authFreeFailures", config.authFreeFailures(), 0),
                Duration.ofMillis(delay),
                Duration.ofSeconds(maxDelay),
                Duration.ofMinutes(atLeast("authFailureMemoryMinutes", config.authFailureMemoryMinutes(), 1)),
                atLeast("streamMaxClients", config.streamMaxClients(), 0),
                atLeast("streamMaxPending", config.streamMaxPending(), 1),
                Duration.ofSeconds(atLeast("streamHeartbeatSeconds", config.streamHeartbeatSeconds(), 1)),
                Duration.ofSeconds(atLeast("statsSampleSeconds", config.statsSampleSeconds(), 1)),
                atLeast("statsSamples", config.statsSamples(), 1),
                atLeast("maxValues", config.maxValues(), 1),
                target);
    }

    /** Whether any way of logging in is configured. */
    public boolean hasCredentials() {
        return !tokenHashes.isEmpty() || !jaasRealm.isEmpty();
    }

    /** A context path as the HTTP Whiteboard wants it: {@code /} or {@code /a/b}, no trailing slash. */
    static String contextPath(String configured) {
        String path = text(configured);
        if (path.isEmpty() || path.equals("/")) {
            return "/";
        }
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.matches("(/[A-Za-z0-9._~!$&'()*+,;=:@-]+)+")) {
            throw new IllegalArgumentException("contextPath: '" + configured + "' is not a path such as /pathpoint "
                    + "(segments of letters, digits and - . _ ~, separated by /)");
        }
        return path;
    }

    private static Set<String> roles(String[] roles) {
        Set<String> set = new LinkedHashSet<>();
        if (roles != null) {
            Arrays.stream(roles).filter(role -> role != null && !role.isBlank()).map(String::trim).forEach(set::add);
        }
        return set;
    }

    private static String text(String value) {
        return value == null ? "" : value.trim();
    }

    private static int atLeast(String property, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(property + ": must be at least " + min + ", got " + value);
        }
        return value;
    }

    private static int between(String property, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(property + ": must be from " + min + " to " + max + ", got " + value);
        }
        return value;
    }

    /** The annotation's defaults as an instance (for tests and for a component activated without configuration). */
    static final class Defaults {
        static final WebConfig CONFIG = (WebConfig) java.lang.reflect.Proxy.newProxyInstance(
                WebConfig.class.getClassLoader(), new Class<?>[] {WebConfig.class},
                (proxy, method, args) -> method.getDefaultValue());

        private Defaults() {
        }
    }
}
