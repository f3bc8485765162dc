package dev.pathpoint.sysctl.internal.update;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.sysctl.testsupport.TestJars;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Version;

class DirectoryBundleSourceTest {

    @TempDir
    Path dir;

    @Test
    void offersEveryJarWithItsIdentityAndContent() throws Exception {
        Path jar = TestJars.write(dir.resolve("b-2.jar"), TestJars.bundle("com.acme.b", "2.0.0"));
        TestJars.write(dir.resolve("a-1.jar"), TestJars.bundle("com.acme.a", "1.5.0.qualifier"));
        Files.writeString(dir.resolve("notes.txt"), "ignored: not a jar");
        Files.write(dir.resolve(".partial.jar"), new byte[] {1, 2, 3}); // a copy in progress is skipped
        Files.createDirectory(dir.resolve("sub.jar"));

        List<BundleCandidate> candidates = new DirectoryBundleSource(dir).candidates();

        assertEquals(List.of("com.acme.a", "com.acme.b"), candidates.stream().map(BundleCandidate::symbolicName).toList());
        assertEquals(new Version(1, 5, 0, "qualifier"), candidates.get(0).version());
        assertEquals("b-2.jar", candidates.get(1).origin());
        try (InputStream in = candidates.get(1).content().open()) {
            assertArrayEquals(Files.readAllBytes(jar), in.readAllBytes());
        }
    }

    @Test
    void emptyDirectoryOffersNothing() throws Exception {
        assertEquals(List.of(), new DirectoryBundleSource(dir).candidates());
    }

    @Test
    void missingDirectoryIsRefused() {
        BundleSourceException e = assertThrows(BundleSourceException.class,
                () -> new DirectoryBundleSource(dir.resolve("nope")).candidates());
        assertTrue(e.getMessage().contains("does not exist or is not a directory"), e.getMessage());
    }

    @Test
    void anyInvalidJarRefusesTheWholeSourceNamingEachFile() throws Exception {
        TestJars.write(dir.resolve("good.jar"), TestJars.bundle("com.acme.good", "2.0.0"));
        Files.write(dir.resolve("garbage.jar"), "this is not a zip".getBytes(StandardCharsets.UTF_8));
        TestJars.writeWithoutManifest(dir.resolve("plain.jar"));
        Map<String, String> noName = TestJars.bundle("x", "1.0.0");
        noName.remove("Bundle-SymbolicName");
        TestJars.write(dir.resolve("noname.jar"), noName);
        Map<String, String> legacy = TestJars.bundle("com.acme.legacy", "1.0.0");
        legacy.remove("Bundle-ManifestVersion");
        TestJars.write(dir.resolve("legacy.jar"), legacy);
        TestJars.write(dir.resolve("badversion.jar"), TestJars.bundle("com.acme.v", "1.x"));
        Map<String, String> badImport = TestJars.bundle("com.acme.i", "1.0.0");
        badImport.put("Import-Package", "com.acme.api;version=\"[1,2\"");
        TestJars.write(dir.resolve("badimport.jar"), badImport);

        String message = assertThrows(BundleSourceException.class, () -> new DirectoryBundleSource(dir).candidates())
                .getMessage();

        assertTrue(message.contains("garbage.jar is not a readable jar"), message);
        assertTrue(message.contains("plain.jar has no META-INF/MANIFEST.MF"), message);
        assertTrue(message.contains("noname.jar has no Bundle-SymbolicName"), message);
        assertTrue(message.contains("legacy.jar is not an OSGi bundle"), message);
        assertTrue(message.contains("badversion.jar has an invalid Bundle-Version '1.x'"), message);
        assertTrue(message.contains("badimport.jar has an invalid Import-Package header: illegal version range syntax [1,2"), message);
        assertFalse(message.contains("good.jar"), message);
    }

    @Test
    void twoJarsOfTheSameBundleVersionAreRefused() throws Exception {
        TestJars.write(dir.resolve("one.jar"), TestJars.bundle("com.acme.a", "2.0.0"));
        TestJars.write(dir.resolve("two.jar"), TestJars.bundle("com.acme.a", "2.0.0"));
        String message = assertThrows(BundleSourceException.class, () -> new DirectoryBundleSource(dir).candidates())
                .getMessage();
        assertTrue(message.contains("two.jar and one.jar both hold com.acme.a 2.0.0"), message);
    }
}
