package dev.pathpoint.distribution.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Bundle jars made by tests: an example sysctl bundle, and a copy of a bundle with a newer version. */
final class BundleJars {
    private BundleJars() {
    }

    /** The {@code echo} sysctl handler as a DS bundle of its own. */
    static Path echoHandlerBundle(Path target) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "dev.pathpoint.example.echo");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Import-Package", "dev.pathpoint.api.failure;version=\"[1.0,2)\",dev.pathpoint.api.sysctl;version=\"[1.0,2)\"");
        main.putValue("Service-Component", "OSGI-INF/echo.xml");
        main.putValue("Require-Capability", "osgi.extender;filter:=\"(&(osgi.extender=osgi.component)(version>=1.3.0)(!(version>=2.0.0)))\"");
        String component = """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="echo" immediate="true">
                  <implementation class="dev.pathpoint.distribution.it.echo.EchoHandler"/>
                  <service><provide interface="dev.pathpoint.api.sysctl.SysctlHandler"/></service>
                  <property name="sysctl.op" type="String" value="echo"/>
                </scr:component>
                """;
        String classFile = "dev/pathpoint/distribution/it/echo/EchoHandler.class";
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target), manifest)) {
            jar.putNextEntry(new JarEntry("OSGI-INF/echo.xml"));
            jar.write(component.getBytes(StandardCharsets.UTF_8));
            jar.putNextEntry(new JarEntry(classFile));
            try (InputStream in = BundleJars.class.getClassLoader().getResourceAsStream(classFile)) {
                in.transferTo(jar);
            }
        }
        return target;
    }

    /** A copy of a bundle jar that says it is another version. */
    static Path withVersion(URL bundleJar, String version, Path target) throws IOException {
        try (JarInputStream in = new JarInputStream(bundleJar.openStream())) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (OutputStream file = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                }
            }
        }
        return target;
    }
}
