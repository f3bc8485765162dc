package dev.pathpoint.sysctl.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.sysctl.testsupport.TestJars;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/** {@code update} replacing real bundles in a running Felix, and refusing what it must refuse. */
class UpdateHandlerIT {

    private static final String UPDATE_PID = "dev.pathpoint.sysctl.update";
    private static final String WIDGET = "dev.pathpoint.test.widget";
    private static final String WIDGET_API = "dev.pathpoint.test.widget.api";

    @TempDir
    Path temp;

    private RunningFramework running;
    private Path source;
    private Bundle widget;
    private Bundle widgetUser;

    @BeforeEach
    void startFrameworkWithWidgetV1() throws Exception {
        running = RunningFramework.start(temp.resolve("storage"));
        source = Files.createDirectory(temp.resolve("updates"));
        Path installed = Files.createDirectory(temp.resolve("installed"));
        widget = running.context().installBundle(widgetJar(installed, "1.0.0", Map.of()).toUri().toString());
        Map<String, String> user = TestJars.bundle("dev.pathpoint.test.widget.user", "1.0.0");
        user.put("Import-Package", WIDGET_API + ";version=\"[1.0,3)\"");
        widgetUser = running.context().installBundle(TestJars.write(installed.resolve("user.jar"), user).toUri().toString());
        widget.start();
        widgetUser.start();
        running.configure(UPDATE_PID, Map.of("source.directory", source.toString()));
    }

    @AfterEach
    void stopFramework() throws Exception {
        running.close();
    }

    @Test
    void updatesInPlaceToTheNewerVersionAndRefreshesTheWiring() throws Exception {
        widgetJar(source, "1.5.0", Map.of());
        widgetJar(source, "2.0.0", Map.of());
        widgetJar(source, "0.9.0", Map.of());
        assertEquals(new Version(1, 0, 0), providerOfWidgetApi());

        String report = running.dispatcher().execute("update", WIDGET);

        assertEquals("updated " + WIDGET + " 1.0.0 -> 2.0.0; wiring refreshed", report);
        Bundle after = running.context().getBundle(widget.getBundleId());
        assertEquals(new Version(2, 0, 0), after.getVersion());
        assertEquals(Bundle.ACTIVE, after.getState());
        try (InputStream in = after.getEntry("version.txt").openStream()) {
            assertEquals("2.0.0", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        // The refresh rewired the importer to the new export, and restarted it.
        assertEquals(new Version(2, 0, 0), providerOfWidgetApi());
        assertEquals(Bundle.ACTIVE, widgetUser.getState());

        assertEquals("nothing to update from directory " + source.toAbsolutePath() + ": every bundle is up to date",
                running.dispatcher().execute("update", ""));
    }

    @Test
    void updatesEveryBundleThatHasANewerVersionWhenNoneIsNamed() throws Exception {
        widgetJar(source, "1.1.0", Map.of());
        Map<String, String> user = TestJars.bundle("dev.pathpoint.test.widget.user", "1.2.0");
        user.put("Import-Package", WIDGET_API + ";version=\"[1.0,3)\"");
        TestJars.write(source.resolve("user-1.2.0.jar"), user);

        String report = running.dispatcher().execute("update", "   ");

        assertEquals("updated " + WIDGET + " 1.0.0 -> 1.1.0, dev.pathpoint.test.widget.user 1.0.0 -> 1.2.0;"
                + " wiring refreshed", report);
        assertEquals(new Version(1, 1, 0), widget.getVersion());
        assertEquals(new Version(1, 2, 0), widgetUser.getVersion());
    }

    @Test
    void refusesASourceHoldingABrokenJarAndUpdatesNothing() throws Exception {
        widgetJar(source, "2.0.0", Map.of());
        Files.write(source.resolve("broken.jar"), "PK not really a zip".getBytes(StandardCharsets.UTF_8));

        OperationFailedException failure = assertThrows(OperationFailedException.class,
                () -> running.dispatcher().execute("update", ""));

        assertEquals(OperationFailedReason.INVALID, failure.reason());
        assertTrue(failure.getMessage().startsWith("nothing updated: update source directory "), failure.getMessage());
        assertTrue(failure.getMessage().contains("broken.jar is not a readable jar"), failure.getMessage());
        assertWidgetUntouched();

        Files.delete(source.resolve("broken.jar"));
        Map<String, String> noName = TestJars.bundle("ignored", "3.0.0");
        noName.remove("Bundle-SymbolicName");
        TestJars.write(source.resolve("noname.jar"), noName);
        failure = assertThrows(OperationFailedException.class, () -> running.dispatcher().execute("update", WIDGET));
        assertEquals(OperationFailedReason.INVALID, failure.reason());
        assertTrue(failure.getMessage().contains("noname.jar has no Bundle-SymbolicName"), failure.getMessage());
        assertWidgetUntouched();
    }

    @Test
    void refusesAVersionThatWouldNotResolveAndUpdatesNothing() throws Exception {
        widgetJar(source, "3.0.0", Map.of("Import-Package", "com.example.nowhere;version=\"[1.0,2)\""));
        Map<String, String> user = TestJars.bundle("dev.pathpoint.test.widget.user", "1.2.0");
        TestJars.write(source.resolve("user-1.2.0.jar"), user); // valid on its own, but all-or-nothing

        OperationFailedException failure = assertThrows(OperationFailedException.class,
                () -> running.dispatcher().execute("update", ""));

        assertEquals(OperationFailedReason.INVALID, failure.reason());
        assertEquals("nothing updated: would not resolve: " + WIDGET + " 3.0.0 (widget-3.0.0.jar) requires "
                + "Import-Package com.example.nowhere;version=\"[1.0.0,2.0.0)\", which neither the running framework "
                + "nor this update provides", failure.getMessage());
        assertWidgetUntouched();
        assertEquals(new Version(1, 0, 0), widgetUser.getVersion());

        Files.delete(source.resolve("widget-3.0.0.jar"));
        widgetJar(source, "3.0.0", Map.of("Require-Capability", "osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version=99))\""));
        failure = assertThrows(OperationFailedException.class, () -> running.dispatcher().execute("update", WIDGET));
        assertTrue(failure.getMessage().contains("requires Require-Capability osgi.ee"), failure.getMessage());
        assertWidgetUntouched();
    }

    @Test
    void refusesAVersionWithAUsesConflictAndUpdatesNothing() throws Exception {
        // p 1.0 and p 2.0 from two bundles; q uses p and is wired to p 2.0
        Path installed = Files.createDirectories(temp.resolve("installed-uses"));
        Map<String, String> p1 = TestJars.bundle("dev.pathpoint.test.p1", "1.0.0");
        p1.put("Export-Package", "dev.pathpoint.test.p;version=1.0");
        Map<String, String> p2 = TestJars.bundle("dev.pathpoint.test.p2", "2.0.0");
        p2.put("Export-Package", "dev.pathpoint.test.p;version=2.0");
        Map<String, String> q = TestJars.bundle("dev.pathpoint.test.q", "1.0.0");
        q.put("Export-Package", "dev.pathpoint.test.q;version=1.0;uses:=\"dev.pathpoint.test.p\"");
        q.put("Import-Package", "dev.pathpoint.test.p;version=\"[2,3)\"");
        for (Map<String, String> headers : List.of(p1, p2, q)) {
            String name = headers.get("Bundle-SymbolicName");
            running.context().installBundle(TestJars.write(installed.resolve(name + ".jar"), headers).toUri().toString())
                    .start();
        }
        // the new widget wants p 1.x and q: each alone is there, but q's class space holds p 2.0
        widgetJar(source, "2.5.0", Map.of("Import-Package", "dev.pathpoint.test.p;version=\"[1,2)\",dev.pathpoint.test.q"));

        OperationFailedException failure = assertThrows(OperationFailedException.class,
                () -> running.dispatcher().execute("update", WIDGET));

        assertEquals(OperationFailedReason.INVALID, failure.reason());
        assertTrue(failure.getMessage().startsWith("nothing updated: would not resolve: " + WIDGET
                + " 2.5.0 (widget-2.5.0.jar) requires Import-Package dev.pathpoint.test."), failure.getMessage());
        assertTrue(failure.getMessage().contains("but wiring it would break a uses constraint"), failure.getMessage());
        assertTrue(failure.getMessage().contains("dev.pathpoint.test.p"), failure.getMessage());
        assertWidgetUntouched();
    }

    @Test
    void refusesAVersionThatWouldLeaveAnInstalledImporterUnresolved() throws Exception {
        // the user imports the widget API [1.0,3): a widget exporting it at 3.0.0 would strand it
        widgetJar(source, "3.0.0", Map.of());

        OperationFailedException failure = assertThrows(OperationFailedException.class,
                () -> running.dispatcher().execute("update", WIDGET));

        assertEquals("nothing updated: would not resolve: dev.pathpoint.test.widget.user 1.0.0 (installed) requires "
                + "Import-Package " + WIDGET_API + ";version=\"[1.0.0,3.0.0)\", which neither the running framework "
                + "nor this update provides", failure.getMessage());
        assertWidgetUntouched();
        assertEquals(Bundle.ACTIVE, widgetUser.getState());
    }

    @Test
    void refusesMalformedArgumentsAndMissingConfiguration() throws Exception {
        assertInvalid("a b", "update takes one bundle symbolic name (e.g. dev.pathpoint.modbus) or nothing for all "
                + "bundles; got 'a b'");
        assertInvalid("com.acme.(x)", "update takes one bundle symbolic name");
        assertInvalid("com.acme.notinstalled", "nothing updated: no installed bundle has the symbolic name "
                + "com.acme.notinstalled");

        running.configure(UPDATE_PID, Map.of("source.directory", temp.resolve("missing").toString()));
        assertInvalid("", "does not exist or is not a directory");

        running.configure(UPDATE_PID, Map.of("source.directory", ""));
        assertInvalid("", "update has no source: set source.directory in configuration " + UPDATE_PID);
    }

    @Test
    void updatesTheSysctlBundleItselfAfterAnsweringTheOrder() throws Exception {
        Bundle sysctl = running.bundle("dev.pathpoint.sysctl");
        Version before = sysctl.getVersion(); // read now: the bundle may update itself as soon as it has answered
        copyWithVersion(RunningFramework.SYSCTL_JAR, source.resolve("sysctl-1.0.1.jar"), "1.0.1");

        String report = running.dispatcher().execute("update", "dev.pathpoint.sysctl");

        assertTrue(report.startsWith("updated from directory "), report);
        assertTrue(report.contains("dev.pathpoint.sysctl " + before + " -> 1.0.1 (pending: this bundle "
                + "updates itself after this order; its handlers restart)"), report);
        await().atMost(RunningFramework.TIMEOUT).ignoreExceptions().untilAsserted(() -> {
            assertEquals(new Version(1, 0, 1), sysctl.getVersion());
            assertEquals(Bundle.ACTIVE, sysctl.getState());
            // The new revision's handler answers, with the configuration Config Admin kept.
            assertTrue(running.dispatcher().execute("update", "").startsWith("nothing to update"));
        });
    }

    private void assertInvalid(String args, String expected) {
        OperationFailedException failure = assertThrows(OperationFailedException.class,
                () -> running.dispatcher().execute("update", args));
        assertEquals(OperationFailedReason.INVALID, failure.reason());
        assertTrue(failure.getMessage().contains(expected), failure.getMessage());
    }

    private void assertWidgetUntouched() {
        assertEquals(new Version(1, 0, 0), widget.getVersion());
        assertEquals(Bundle.ACTIVE, widget.getState());
        assertEquals(new Version(1, 0, 0), providerOfWidgetApi());
    }

    private Version providerOfWidgetApi() {
        BundleWiring wiring = widgetUser.adapt(BundleWiring.class);
        return wiring.getRequiredWires("osgi.wiring.package").stream()
                .filter(wire -> WIDGET_API.equals(wire.getCapability().getAttributes().get("osgi.wiring.package")))
                .map(BundleWire::getCapability)
                .map(capability -> (Version) capability.getAttributes().get("version"))
                .findFirst().orElseThrow();
    }

    private static Path widgetJar(Path directory, String version, Map<String, String> extra) throws IOException {
        Map<String, String> headers = TestJars.bundle(WIDGET, version);
        headers.put("Export-Package", WIDGET_API + ";version=\"" + version + "\"");
        headers.putAll(extra);
        return TestJars.write(directory.resolve("widget-" + version + ".jar"), headers);
    }

    /** A copy of a bundle jar with another Bundle-Version: a "newer build" of it. */
    private static void copyWithVersion(Path jar, Path copy, String version) throws IOException {
        try (JarFile in = new JarFile(jar.toFile())) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (OutputStream file = Files.newOutputStream(copy); JarOutputStream out = new JarOutputStream(file, manifest)) {
                Enumeration<JarEntry> entries = in.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().equalsIgnoreCase("META-INF/MANIFEST.MF")) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream content = in.getInputStream(entry)) {
                        content.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
    }
}
