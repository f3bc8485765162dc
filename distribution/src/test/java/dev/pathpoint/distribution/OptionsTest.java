package dev.pathpoint.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class OptionsTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void defaultsLiveInTheRuntimeFolder() throws Exception {
        Path home = folder.getRoot().toPath();
        Options options = Options.parse(new String[0], home);
        assertEquals(home.resolve("conf"), options.config());
        assertEquals(home.resolve("cache"), options.storage());
        assertFalse(options.temporaryStorage());
        assertNull(options.exec());
    }

    @Test
    public void execGetsAFreshTemporaryStorageAndATimeout() throws Exception {
        Path sections = folder.newFile("sections.json").toPath();
        Path config = folder.newFolder("conf").toPath();
        Options options = Options.parse(new String[] {"--config", config.toString(), "--exec", sections.toString(),
            "--timeout", "30"}, folder.getRoot().toPath());
        assertEquals(config.toAbsolutePath(), options.config());
        assertEquals(sections.toAbsolutePath(), options.exec());
        assertTrue(options.temporaryStorage());
        assertTrue(Files.isDirectory(options.storage()));
        assertEquals(Duration.ofSeconds(30), options.execTimeout());
        Files.delete(options.storage());
    }

    @Test
    public void helpIsAskedForNotAnError() {
        Path home = folder.getRoot().toPath();
        assertTrue(Options.parse(new String[] {"--help"}, home).help());
        assertTrue(Options.parse(new String[] {"--config", "whatever", "-h"}, home).help());
        assertFalse(Options.parse(new String[0], home).help());
    }

    @Test
    public void execDashMeansStandardInputAndPipesAreFiles() throws Exception {
        Path home = folder.getRoot().toPath();
        Options stdin = Options.parse(new String[] {"--exec", "-", "--timeout", "5"}, home);
        assertTrue(stdin.execFromStdin());
        assertEquals(Duration.ofSeconds(5), stdin.execTimeout());
        Files.delete(stdin.storage());
        // /dev/stdin and <(...) are not regular files, but readable
        Options device = Options.parse(new String[] {"--exec", "/dev/null"}, home);
        assertEquals(Path.of("/dev/null"), device.exec());
        assertFalse(device.execFromStdin());
        Files.delete(device.storage());
    }

    @Test
    public void badArgumentsSayWhatIsWrong() throws Exception {
        Path home = folder.getRoot().toPath();
        assertMessage("unknown argument '--verbose'", home, "--verbose");
        assertMessage("--exec needs a value", home, "--exec");
        assertMessage("not a readable file", home, "--exec", home.resolve("absent.json").toString());
        assertMessage("not a directory", home, "--config", home.resolve("absent").toString());
        assertMessage("--timeout 0: expected a whole number of seconds above 0", home, "--timeout", "0");
        assertMessage("--timeout soon: expected a whole number", home, "--timeout", "soon");
        assertMessage("--timeout applies to --exec runs only", home, "--timeout", "30");
        Path sections = folder.newFile("sections.json").toPath();
        assertMessage("--exec is given twice", home, "--exec", sections.toString(), "--exec", sections.toString());
        assertMessage("--config is given twice", home, "--config", home.toString(), "--config", home.toString());
        assertMessage("not a readable file", home, "--exec", home.toString());
    }

    private static void assertMessage(String expected, Path home, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Options.parse(args, home));
        assertTrue(e.getMessage(), e.getMessage().contains(expected));
    }
}
