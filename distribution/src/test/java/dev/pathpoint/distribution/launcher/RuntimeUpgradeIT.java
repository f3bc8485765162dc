package dev.pathpoint.distribution.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.distribution.it.BundleJars;
import dev.pathpoint.distribution.it.TestConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A runtime folder replaced by a newer build that no longer has a bundle: the framework's storage
 * still holds it from the earlier runs, and the launcher uninstalls it instead of starting it.
 */
public class RuntimeUpgradeIT {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void aBundleGoneFromBundlesIsUninstalledFromTheKeptStorage() throws Exception {
        Path runtime = copyOfRuntime(folder.newFolder("runtime").toPath());
        Path storage = folder.newFolder("storage").toPath();
        Path config = TestConfig.copyOfDefaultConfig();
        Path echo = BundleJars.echoHandlerBundle(runtime.resolve("bundles/zz-echo-handler.jar"));
        Path sections = folder.newFile("echo.json").toPath();
        Files.writeString(sections, "{\"orders\": [{\"type\": \"sysctl\", \"op_type\": \"echo\", \"op_args\": \"hi\"}]}");

        try (RuntimeProcess first = RuntimeProcess.startIn(runtime, "--config", config.toString(), "--storage",
                storage.toString(), "--exec", sections.toString())) {
            assertEquals(first.stderr(), 0, first.awaitExit(LIMIT));
            assertTrue(first.stdout(), first.stdout().contains("\"status\":\"done\""));
        }
        Files.delete(echo); // the next build of the runtime does not have it

        try (RuntimeProcess second = RuntimeProcess.startIn(runtime, "--config", config.toString(), "--storage",
                storage.toString(), "--exec", sections.toString())) {
            assertEquals(second.stderr(), 1, second.awaitExit(LIMIT));
            assertTrue(second.stderr(), second.stderr().contains("uninstalling dev.pathpoint.example.echo"));
            assertTrue(second.stderr(), second.stderr().contains("its jar is no longer in bundles/"));
            assertTrue("the handler is gone with its bundle: " + second.stdout(), second.stdout().contains("\"status\":\"unhandled\""));
        }
    }

    private static Path copyOfRuntime(Path target) throws IOException {
        Path source = TestConfig.runtimeDir();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(path -> !path.startsWith(source.resolve("cache"))).toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }
}
