package dev.pathpoint.sysctl.internal.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;

class ResolutionCheckTest {

    private static final ProvidedCapability JAVA_17 = new ProvidedCapability("osgi.ee",
            Map.of("osgi.ee", "JavaSE", "version", List.of(new Version(1, 8, 0), new Version(17, 0, 0))));
    private static final ProvidedCapability SLF4J = new ProvidedCapability("osgi.wiring.package",
            Map.of("osgi.wiring.package", "org.slf4j", "version", new Version(1, 7, 36)));
    private static final ProvidedCapability SCR = new ProvidedCapability("osgi.extender",
            Map.of("osgi.extender", "osgi.component", "version", new Version(1, 5, 0)));
    private static final List<ProvidedCapability> FRAMEWORK = List.of(JAVA_17, SLF4J, SCR,
            new ProvidedCapability("osgi.wiring.bundle", Map.of("osgi.wiring.bundle", "com.acme.base",
                    "bundle-version", new Version(3, 0, 0))));

    @Test
    void typicalBndBundleResolvesAgainstTheFramework() {
        BundleCandidate candidate = candidate("com.acme.driver", "2.0.0", Map.of(
                "Import-Package", "org.slf4j;version=\"[1.7,2)\",java.util,java.util.concurrent",
                "Require-Capability", "osgi.extender;filter:=\"(&(osgi.extender=osgi.component)(version>=1.5.0)"
                        + "(!(version>=2.0.0)))\",osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version=17))\","
                        + "osgi.service;filter:=\"(objectClass=x.Y)\";effective:=active",
                "Require-Bundle", "com.acme.base;bundle-version=\"[3,4)\"",
                "DynamicImport-Package", "*"));
        assertEquals(List.of(), ResolutionCheck.unmetRequirements(List.of(candidate), FRAMEWORK));
    }

    @Test
    void reportsEachUnmetRequirement() {
        BundleCandidate candidate = candidate("com.acme.driver", "2.0.0", Map.of(
                "Import-Package", "org.slf4j;version=\"[2.0,3)\",com.example.nowhere,com.example.maybe;resolution:=optional",
                "Require-Capability", "osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version=21))\"",
                "Require-Bundle", "com.acme.missing",
                "Fragment-Host", "com.acme.host"));
        List<String> problems = ResolutionCheck.unmetRequirements(List.of(candidate), FRAMEWORK);
        assertEquals(5, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("com.acme.driver 2.0.0 (driver.jar) requires Import-Package org.slf4j;"
                + "version=\"[2.0.0,3.0.0)\""), problems.get(0));
        assertTrue(problems.stream().anyMatch(p -> p.contains("Import-Package com.example.nowhere,")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("Require-Bundle com.acme.missing")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("Fragment-Host com.acme.host")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("version=21")), problems.toString());
    }

    @Test
    void bundlesUpdatedTogetherMayNeedEachOthersNewVersions() {
        BundleCandidate api = candidate("com.acme.api", "2.0.0", Map.of(
                "Export-Package", "com.acme.api;version=\"2.0.0\"",
                "Provide-Capability", "acme.protocol;acme.protocol=modbus;version:Version=\"2.1\""));
        BundleCandidate user = candidate("com.acme.user", "2.0.0", Map.of(
                "Import-Package", "com.acme.api;version=\"[2.0,3)\"",
                "Require-Capability", "acme.protocol;filter:=\"(&(acme.protocol=modbus)(version>=2.0))\"",
                "Require-Bundle", "com.acme.api;bundle-version=2.0"));
        assertEquals(List.of(), ResolutionCheck.unmetRequirements(List.of(api, user), FRAMEWORK));
        assertEquals(3, ResolutionCheck.unmetRequirements(List.of(user), FRAMEWORK).size());
    }

    @Test
    void selfImportIsMetByTheBundlesOwnExport() {
        BundleCandidate candidate = candidate("com.acme.api", "2.0.0", Map.of(
                "Export-Package", "com.acme.api;version=\"2.0.0\"",
                "Import-Package", "com.acme.api;version=\"[2.0,3)\""));
        assertEquals(List.of(), ResolutionCheck.unmetRequirements(List.of(candidate), FRAMEWORK));
    }

    @Test
    void javaPackagesAreMetByThePlatformEvenIfNotListed() {
        BundleCandidate platform = candidate("com.acme.p", "1.0.0", Map.of("Import-Package", "java.util.jar,java.nio.file"));
        BundleCandidate bogus = candidate("com.acme.q", "1.0.0", Map.of("Import-Package", "java.nonexistent"));
        assertEquals(List.of(), ResolutionCheck.unmetRequirements(List.of(platform), List.of()));
        assertEquals(1, ResolutionCheck.unmetRequirements(List.of(bogus), List.of()).size());
    }

    @Test
    void malformedFilterIsReported() {
        BundleCandidate candidate = candidate("com.acme.f", "1.0.0", Map.of("Require-Capability", "x;filter:=\"(x=\""));
        List<String> problems = ResolutionCheck.unmetRequirements(List.of(candidate), FRAMEWORK);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("malformed filter"), problems.get(0));
    }

    static BundleCandidate candidate(String symbolicName, String version, Map<String, String> headers) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName + ";singleton:=true");
        manifest.getMainAttributes().putValue("Bundle-Version", version);
        headers.forEach(manifest.getMainAttributes()::putValue);
        String origin = symbolicName.substring(symbolicName.lastIndexOf('.') + 1) + ".jar";
        return BundleManifests.read(manifest, origin, () -> new ByteArrayInputStream(new byte[0]));
    }
}
