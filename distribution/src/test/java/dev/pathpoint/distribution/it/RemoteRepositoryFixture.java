package dev.pathpoint.distribution.it;

import dev.pathpoint.sysctl.testsupport.TestCa;
import dev.pathpoint.sysctl.testsupport.TestRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.osgi.framework.Version;

/**
 * An HTTPS Maven repository on loopback (the sysctl module's test repository, with a CA made for the
 * run) serving a newer build of the Modbus bundle, and the configuration that points the update
 * sysctl at it. Runs on the test driver's side, outside the framework: {@code @Configuration} starts
 * it, and it serves until the JVM ends.
 */
final class RemoteRepositoryFixture {
    static final String GROUP = "dev.pathpoint";
    static final String MODBUS = "dev.pathpoint.modbus";

    // held for the JVM's life: the framework's update handler downloads from it
    private static TestRepository repository;

    private RemoteRepositoryFixture() {
    }

    /**
     * Publishes a copy of the runtime's Modbus bundle one micro version higher, writes a repository
     * configuration named {@code remote} into {@code configDir} and empties the local source.
     *
     * @return the newer version
     */
    static synchronized String serveNewerModbus(Path configDir) {
        try {
            Path work = Files.createTempDirectory("pathpoint-it-remote");
            TestCa ca = TestCa.create(work.resolve("ca"));
            if (repository != null) {
                repository.close();
            }
            repository = TestRepository.start(ca);
            Path installed = modbusJar();
            Version current;
            try (JarFile jar = new JarFile(installed.toFile())) {
                current = Version.parseVersion(jar.getManifest().getMainAttributes().getValue("Bundle-Version"));
            }
            String newer = new Version(current.getMajor(), current.getMinor(), current.getMicro() + 1).toString();
            Path newerJar = BundleJars.withVersion(installed.toUri().toURL(), newer, work.resolve(MODBUS + "-" + newer + ".jar"));
            repository.publish(GROUP, MODBUS, newer, MODBUS, newer, newerJar);
            Files.writeString(configDir.resolve("dev.pathpoint.sysctl.update.repository-remote.cfg"), String.join("\n",
                    "name = remote",
                    "url = " + repository.maven(),
                    "tls.truststore = " + ca.trustStore(),
                    ".tls.truststore.password = " + TestCa.PASSWORD,
                    ""));
            Files.writeString(configDir.resolve("dev.pathpoint.sysctl.update.cfg"), "source.directory = \n");
            return newer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path modbusJar() throws IOException {
        try (Stream<Path> jars = Files.list(TestConfig.runtimeDir().resolve("bundles"))) {
            return jars.filter(jar -> jar.getFileName().toString().startsWith(MODBUS + "-")).findFirst()
                    .orElseThrow(() -> new IOException("no " + MODBUS + " jar in the runtime's bundles"));
        }
    }
}
