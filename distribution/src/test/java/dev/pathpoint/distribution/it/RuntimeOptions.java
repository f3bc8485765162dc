package dev.pathpoint.distribution.it;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;

/**
 * The runtime of the distribution as pax-exam options: every bundle the launcher starts (bar the
 * console shell), with FileInstall reading a copy of the default configuration, and the shared test
 * fixtures (free ports, pymodbus devices) that the tests use inside the framework.
 */
public final class RuntimeOptions {
    private RuntimeOptions() {
    }

    public static Option runtime(Path configDir) {
        List<Option> options = new ArrayList<>();
        options.add(systemProperty("pax.exam.osgi.unresolved.fail").value("true"));
        options.add(frameworkProperty("pathpoint.home").value(TestConfig.runtimeDir().toString()));
        options.add(frameworkProperty("felix.fileinstall.dir").value(configDir.toString()));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("felix.fileinstall.poll").value("200"));
        options.add(frameworkProperty("felix.fileinstall.enableConfigSave").value("false"));
        // as the launcher: HTTP off until the configuration's port arrives, and on loopback
        options.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        options.add(frameworkProperty(TestConfig.HTTP_PORT).value("-1"));
        options.add(systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("info"));
        options.add(systemProperty("org.slf4j.simpleLogger.log.com.ghgande.j2mod").value("warn"));
        // pax-exam's pax-logging-api logs at DEBUG when no logging service backs it: Jetty and the JDK's HTTP
        // client would flood the output
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("INFO"));
        options.add(cleanCaches());
        options.add(junitBundles());
        for (Path jar : runtimeBundles()) {
            options.add(bundle(jar.toUri().toString()));
        }
        options.add(bundle(TestBundles.testing().toUri().toString()));
        return composite(options.toArray(Option[]::new));
    }

    private static List<Path> runtimeBundles() {
        try (Stream<Path> jars = Files.list(TestConfig.runtimeDir().resolve("bundles"))) {
            // the console shell reads the terminal; tests need none. pax-exam brings the same javax.inject bundle itself
            return jars.filter(jar -> jar.toString().endsWith(".jar"))
                    .filter(jar -> !jar.getFileName().toString().startsWith("org.apache.felix.gogo.jline"))
                    .filter(jar -> !jar.getFileName().toString().startsWith("jakarta.inject-api"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
