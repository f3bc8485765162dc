package dev.pathpoint.sysctl.internal.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Manifest;
import org.apache.felix.resolver.Logger;
import org.apache.felix.resolver.ResolverImpl;
import org.apache.felix.utils.resource.ResourceBuilder;
import org.junit.jupiter.api.Test;
import org.osgi.resource.Capability;
import org.osgi.resource.Resource;
import org.osgi.resource.Wire;
import org.osgi.resource.Wiring;

/** The pre-check with the Felix resolver, against a stand-in for the running framework. */
class ResolutionCheckTest {

    /** What a running framework offers: the Java platform and a few resolved bundles' exports. */
    private static final Map<String, String> FRAMEWORK = Map.of(
            "Bundle-ManifestVersion", "2",
            "Bundle-SymbolicName", "system.bundle",
            "Export-Package", "java.util,java.util.concurrent,java.util.jar,java.nio.file,org.slf4j;version=1.7.36",
            "Provide-Capability", "osgi.ee;osgi.ee=JavaSE;version:List<Version>=\"1.8,17\","
                    + "osgi.extender;osgi.extender=osgi.component;version:Version=1.5.0");
    private static final Map<String, String> BASE = Map.of(
            "Bundle-ManifestVersion", "2",
            "Bundle-SymbolicName", "com.acme.base",
            "Bundle-Version", "3.0.0");

    private final ResolutionCheck check = new ResolutionCheck(new ResolverImpl(new Logger(Logger.LOG_ERROR)),
            Duration.ofSeconds(30));

    @Test
    void typicalBndBundleResolvesAgainstTheFramework() {
        BundleCandidate candidate = candidate("com.acme.driver", "2.0.0", Map.of(
                "Import-Package", "org.slf4j;version=\"[1.7,2)\",java.util,java.util.concurrent",
                "Require-Capability", "osgi.extender;filter:=\"(&(osgi.extender=osgi.component)(version>=1.5.0)"
                        + "(!(version>=2.0.0)))\",osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version=17))\","
                        + "osgi.service;filter:=\"(objectClass=x.Y)\";effective:=active",
                "Require-Bundle", "com.acme.base;bundle-version=\"[3,4)\"",
                "DynamicImport-Package", "*"));
        assertEquals(List.of(), check.problems(List.of(candidate), framework()));
    }

    @Test
    void reportsEachUnmetRequirement() {
        BundleCandidate candidate = candidate("com.acme.driver", "2.0.0", Map.of(
                "Import-Package", "org.slf4j;version=\"[2.0,3)\",com.example.nowhere,com.example.maybe;resolution:=optional",
                "Require-Capability", "osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version=21))\"",
                "Require-Bundle", "com.acme.missing",
                "Fragment-Host", "com.acme.host"));
        List<String> problems = check.problems(List.of(candidate), framework());
        assertEquals(5, problems.size(), problems.toString());
        assertTrue(problems.contains("com.acme.driver 2.0.0 (driver.jar) requires Import-Package org.slf4j;"
                + "version=\"[2.0.0,3.0.0)\", which neither the running framework nor this update provides"),
                problems.toString());
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
        assertEquals(List.of(), check.problems(List.of(api, user), framework()));
        assertEquals(3, check.problems(List.of(user), framework()).size());
    }

    @Test
    void selfImportIsMetByTheBundlesOwnExport() {
        BundleCandidate candidate = candidate("com.acme.api", "2.0.0", Map.of(
                "Export-Package", "com.acme.api;version=\"2.0.0\"",
                "Import-Package", "com.acme.api;version=\"[2.0,3)\""));
        assertEquals(List.of(), check.problems(List.of(candidate), framework()));
    }

    @Test
    void javaPackagesComeFromTheSystemBundleLikeAnyOther() {
        BundleCandidate platform = candidate("com.acme.p", "1.0.0", Map.of("Import-Package", "java.util.jar,java.nio.file"));
        BundleCandidate bogus = candidate("com.acme.q", "1.0.0", Map.of("Import-Package", "java.nonexistent"));
        assertEquals(List.of(), check.problems(List.of(platform), framework()));
        assertEquals(List.of("com.acme.q 1.0.0 (q.jar) requires Import-Package java.nonexistent, which neither the "
                + "running framework nor this update provides"), check.problems(List.of(bogus), framework()));
    }

    @Test
    void predictsAUsesConflict() {
        // p 1.0 and p 2.0 from two bundles; q uses p and is wired to p 2.0; the new user wants p 1.x and q
        BundleCandidate p1 = candidate("com.acme.p1", "1.0.0", Map.of("Export-Package", "com.acme.p;version=1.0"));
        BundleCandidate p2 = candidate("com.acme.p2", "2.0.0", Map.of("Export-Package", "com.acme.p;version=2.0"));
        BundleCandidate q = candidate("com.acme.q", "1.0.0", Map.of(
                "Export-Package", "com.acme.q;version=1.0;uses:=\"com.acme.p\"",
                "Import-Package", "com.acme.p;version=\"[2,3)\""));
        BundleCandidate user = candidate("com.acme.user", "3.0.0", Map.of(
                "Import-Package", "com.acme.p;version=\"[1,2)\",com.acme.q"));

        List<String> problems = check.problems(List.of(p1, p2, q, user), framework());

        assertEquals(1, problems.size(), problems.toString());
        String problem = problems.get(0);
        assertTrue(problem.startsWith("com.acme.user 3.0.0 (user.jar) requires Import-Package com.acme."), problem);
        assertTrue(problem.contains("but wiring it would break a uses constraint"), problem);
        assertTrue(problem.contains("com.acme.p"), problem);
        // without q's constraint the same bundles resolve
        BundleCandidate plainQ = candidate("com.acme.q", "1.0.0", Map.of(
                "Export-Package", "com.acme.q;version=1.0", "Import-Package", "com.acme.p;version=\"[2,3)\""));
        assertEquals(List.of(), check.problems(List.of(p1, p2, plainQ, user), framework()));
    }

    @Test
    void aBundleTheRefreshReResolvesMustStillResolve() {
        // com.acme.user stays installed, imports com.acme.api [1,2); the update moves the api to 2.0
        Map<String, String> userHeaders = Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "com.acme.user",
                "Bundle-Version", "1.0.0", "Import-Package", "com.acme.api;version=\"[1.0,2)\"");
        Resource user = resource(userHeaders);
        BundleCandidate api = candidate("com.acme.api", "2.0.0", Map.of("Export-Package", "com.acme.api;version=2.0.0"));
        InstalledState installed = framework(List.of(user));
        installed.headers().put(user, userHeaders);

        List<String> problems = check.problems(List.of(api), installed);

        assertEquals(List.of("com.acme.user/1.0.0 requires Import-Package com.acme.api;version=\"[1.0.0,2.0.0)\", "
                + "which neither the running framework nor this update provides"), problems);
        BundleCandidate compatible = candidate("com.acme.api", "1.1.0", Map.of("Export-Package", "com.acme.api;version=1.1.0"));
        assertEquals(List.of(), check.problems(List.of(compatible), installed));
    }

    @Test
    void aSingletonCannotJoinAResolvedSingletonOfTheSameName() {
        Map<String, String> headers = new LinkedHashMap<>(BASE);
        headers.put("Bundle-SymbolicName", "com.acme.base;singleton:=true");
        InstalledState installed = framework(List.of(), resource(headers));
        BundleCandidate candidate = candidate("com.acme.base", "4.0.0", Map.of());

        List<String> problems = check.problems(List.of(candidate), installed);

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("com.acme.base 4.0.0 (base.jar) is a singleton, and com.acme.base/3.0.0"
                + " of the same name stays resolved"), problems.get(0));
    }

    @Test
    void aMalformedHeaderIsRefusedWhenTheJarIsRead() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> candidate("com.acme.f", "1.0.0", Map.of("Require-Capability", "x;filter:=\"(x=\"")));
        assertTrue(e.getMessage().startsWith("has an invalid Require-Capability header: "), e.getMessage());
        assertTrue(e.getMessage().contains("(x="), e.getMessage());
    }

    /** A jar's manifest as a candidate, singleton like bnd makes DS bundles. */
    static BundleCandidate candidate(String symbolicName, String version, Map<String, String> headers) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName + ";singleton:=true");
        manifest.getMainAttributes().putValue("Bundle-Version", version);
        headers.forEach(manifest.getMainAttributes()::putValue);
        String origin = symbolicName.substring(symbolicName.lastIndexOf('.') + 1) + ".jar";
        return CandidateManifest.read(manifest, origin, () -> new ByteArrayInputStream(new byte[0]));
    }

    private static InstalledState framework() {
        return framework(List.of());
    }

    /** The framework and com.acme.base resolved, plus resolved bundles the refresh re-resolves. */
    private static InstalledState framework(List<Resource> rewired, Resource... moreWired) {
        Map<Resource, Wiring> wired = new IdentityHashMap<>();
        List<Resource> resolved = new ArrayList<>(List.of(resource(FRAMEWORK), resource(BASE)));
        resolved.addAll(List.of(moreWired));
        resolved.forEach(resource -> wired.put(resource, new UnwiredWiring(resource)));
        Map<Resource, Map<String, String>> headers = new IdentityHashMap<>();
        return new InstalledState(wired, rewired, List.of(), headers);
    }

    private static Resource resource(Map<String, String> headers) {
        try {
            return ResourceBuilder.build(null, headers);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A resolved resource that needs nothing: it offers its capabilities and has no wires. */
    private record UnwiredWiring(Resource getResource) implements Wiring {
        @Override
        public List<Capability> getResourceCapabilities(String namespace) {
            return getResource.getCapabilities(namespace);
        }

        @Override
        public List<org.osgi.resource.Requirement> getResourceRequirements(String namespace) {
            return getResource.getRequirements(namespace);
        }

        @Override
        public List<Wire> getProvidedResourceWires(String namespace) {
            return List.of();
        }

        @Override
        public List<Wire> getRequiredResourceWires(String namespace) {
            return List.of();
        }
    }
}
