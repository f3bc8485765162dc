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

/**
 * Bundle jars made by tests: an example sysctl bundle, a driver that prints to stdout, and a copy of a
 * bundle with a newer version.
 */
public final class BundleJars {
    private BundleJars() {
    }

    /** The {@code echo} sysctl handler as a DS bundle of its own. */
    public static Path echoHandlerBundle(Path target) throws IOException {
        return componentBundle(target, "dev.pathpoint.example.echo", "dev.pathpoint.api.failure,dev.pathpoint.api.sysctl",
                dev.pathpoint.distribution.it.echo.EchoHandler.class, "dev.pathpoint.api.sysctl.SysctlHandler", "sysctl.op", "echo");
    }

    /** {@link dev.pathpoint.distribution.it.chatty.ChattyDriver} as a DS bundle serving pathpoints {@code Wchatty...}. */
    public static Path chattyDriverBundle(Path target) throws IOException {
        return componentBundle(target, "dev.pathpoint.example.chatty", "dev.pathpoint.api.driver,dev.pathpoint.api.value",
                dev.pathpoint.distribution.it.chatty.ChattyDriver.class, "dev.pathpoint.api.driver.PathpointDriver",
                "pathpoint.pattern", "Wchatty.*");
    }

    /**
     * A bundle of one immediate DS component, {@code implementation} (copied from the test classes)
     * providing {@code service} with one string property; it imports the given API packages at 1.x.
     */
    private static Path componentBundle(Path target, String symbolicName, String apiPackages, Class<?> implementation,
            String service, String property, String value) throws IOException {
        String component = """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="%s" immediate="true">
                  <implementation class="%s"/>
                  <service><provide interface="%s"/></service>
                  <property name="%s" type="String" value="%s"/>
                </scr:component>
                """.formatted(symbolicName, implementation.getName(), service, property, value);
        String classFile = implementation.getName().replace('.', '/') + ".class";
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        StringBuilder imports = new StringBuilder();
        for (String apiPackage : apiPackages.split(",")) {
            imports.append(imports.isEmpty() ? "" : ",").append(apiPackage).append(";version=\"[1.0,2)\"");
        }
        main.putValue("Import-Package", imports.toString());
        main.putValue("Service-Component", "OSGI-INF/component.xml");
        main.putValue("Require-Capability", "osgi.extender;filter:=\"(&(osgi.extender=osgi.component)(version>=1.3.0)(!(version>=2.0.0)))\"");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target), manifest)) {
            jar.putNextEntry(new JarEntry("OSGI-INF/component.xml"));
            jar.write(component.getBytes(StandardCharsets.UTF_8));
            jar.putNextEntry(new JarEntry(classFile));
            try (InputStream in = BundleJars.class.getClassLoader().getResourceAsStream(classFile)) {
                in.transferTo(jar);
            }
        }
        return target;
    }

    /** A copy of a bundle jar that says it is another version. */
    public static Path withVersion(URL bundleJar, String version, Path target) throws IOException {
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
