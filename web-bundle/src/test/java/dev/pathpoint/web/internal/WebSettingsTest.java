package dev.pathpoint.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WebSettingsTest {
    @Test
    void theDefaultsAreLocalAndWithoutCredentials() {
        WebSettings settings = WebSettings.defaults();
        assertEquals("/pathpoint", settings.contextPath());
        assertFalse(settings.allowRemoteClients());
        assertFalse(settings.hasCredentials());
        assertEquals(1_048_576, settings.maxBodyBytes());
    }

    @Test
    void contextPathsAreNormalised() {
        assertEquals("/", WebSettings.contextPath(""));
        assertEquals("/", WebSettings.contextPath("/"));
        assertEquals("/gw/pathpoint", WebSettings.contextPath("gw/pathpoint/"));
    }

    @Test
    void aBadSettingIsRefusedNamingTheProperty() {
        assertEquals("contextPath: '/a b' is not a path such as /pathpoint (segments of letters, digits and - . _ ~, separated by /)",
                problem(Map.of("contextPath", "/a b")));
        assertTrue(problem(Map.of("tokenHashes", new String[] {"sha256:" + "0".repeat(64), "plain-token"}))
                .startsWith("tokenHashes[1]: expected sha256:"));
        assertEquals("maxBodyBytes: must be from 1 to 8388608, got 9000000", problem(Map.of("maxBodyBytes", 9_000_000)));
        assertEquals("waitSeconds: 200 is more than maxWaitSeconds (120)", problem(Map.of("waitSeconds", 200)));
        assertEquals("writesPerSecond: must be a positive number, got 0.0", problem(Map.of("writesPerSecond", 0.0)));
        assertTrue(problem(Map.of("httpWhiteboardTarget", "(broken")).startsWith("httpWhiteboardTarget: '(broken' is not an LDAP filter"));
        assertEquals("streamMaxPending: must be at least 1, got 0", problem(Map.of("streamMaxPending", 0)));
    }

    @Test
    void credentialsAndRolesAreRead() {
        WebSettings settings = TestConfigs.settings(Map.of("jaasRealm", " karaf ", "jaasWriteRoles", new String[] {"admin", " ", "ops"},
                "tokenHashes", new String[] {"", "sha256:" + "a".repeat(64)}));
        assertTrue(settings.hasCredentials());
        assertEquals("karaf", settings.jaasRealm());
        assertEquals(java.util.Set.of("admin", "ops"), settings.jaasWriteRoles());
        assertEquals(1, settings.tokenHashes().size());
    }

    private static String problem(Map<String, Object> overrides) {
        return assertThrows(IllegalArgumentException.class, () -> TestConfigs.settings(overrides)).getMessage();
    }
}
