package dev.pathpoint.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The README's test command and its package installer, {@code .ci/install-test-packages}: what a
 * fresh machine needs is installed as root, through sudo, or named when neither is possible; the
 * README, {@code .ci/run} and the package list agree. The installer runs against fake {@code id},
 * {@code sudo} and {@code apt-get} on a PATH of its own.
 */
public class TestCommandTest {
    private static final Path ROOT = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().getParent();

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();
    private Path bin;
    private Path installed;
    private Path calls;

    @Before
    public void fakeSystem() throws IOException {
        bin = folder.newFolder("bin").toPath();
        installed = folder.newFolder("installed").toPath();
        calls = folder.getRoot().toPath().resolve("calls.log");
        Files.createFile(calls);
        // the real tools the script uses, and nothing else (no real sudo, apt-get or id)
        for (String tool : List.of("bash", "sh", "dirname", "env", "touch", "cat")) {
            Files.createSymbolicLink(bin.resolve(tool), which(tool));
        }
        script("id", "echo \"$FAKE_UID\"");
        // "installs" a package by leaving a marker the checks of the test list look for
        script("apt-get", "echo \"apt-get $* uid=$FAKE_UID\" >> '" + calls + "'\n"
                + "[ \"$FAKE_UID\" = 0 ] || exit 100\n"
                + "if [ \"$1\" = install ]; then for p in \"$@\"; do case \"$p\" in -*|install) ;; *) "
                + "[ -n \"$FAKE_BROKEN\" ] || touch '" + installed + "'/\"$p\";; esac; done; fi");
    }

    private static Path which(String tool) {
        for (String dir : List.of("/usr/bin", "/bin")) {
            Path candidate = Paths.get(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("no " + tool + " in /usr/bin or /bin");
    }

    private void script(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void sudo() throws IOException {
        // sudo -n true: may this user use sudo without a password? yes
        script("sudo", "if [ \"$1\" = -n ]; then shift; fi\n[ \"$*\" = true ] && exit 0\n"
                + "echo \"sudo $*\" >> '" + calls + "'\nFAKE_UID=0 exec \"$@\"");
    }

    /** A package list: {@code present} and {@code missing...} packages, checked by the markers. */
    private Path list(String... missing) throws IOException {
        Files.createFile(installed.resolve("present"));
        StringBuilder text = new StringBuilder("# a test list\n\npresent   test -e '" + installed + "/present'\n");
        for (String name : missing) {
            text.append(name).append("   test -e '").append(installed).append('/').append(name).append("'\n");
        }
        Path file = folder.newFile().toPath();
        Files.writeString(file, text);
        return file;
    }

    private record Run(int status, String output) {
    }

    private Run install(Path list, String uid, String... environment) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve(".ci/install-test-packages").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().put("PATH", bin.toString());
        builder.environment().put("FAKE_UID", uid);
        builder.environment().put("PATHPOINT_TEST_PACKAGES", list.toString());
        for (int i = 0; i < environment.length; i += 2) {
            builder.environment().put(environment[i], environment[i + 1]);
        }
        Process process = builder.start();
        assertTrue("the installer did not finish", process.waitFor(60, TimeUnit.SECONDS));
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private List<String> calls() throws IOException {
        return Files.readAllLines(calls);
    }

    @Test
    public void nothingHappensWhenEverythingIsThere() throws Exception {
        Run run = install(list(), "1000");
        assertEquals(run.output(), 0, run.status());
        assertEquals("", run.output());
        assertEquals(List.of(), calls());
    }

    @Test
    public void asRootTheMissingPackagesAreInstalledDirectly() throws Exception {
        Run run = install(list("python3-pymodbus", "socat"), "0");
        assertEquals(run.output(), 0, run.status());
        assertTrue(run.output(), run.output().contains("the tests need python3-pymodbus socat; installing them"));
        assertEquals(List.of("apt-get update -qq uid=0", "apt-get install -y -qq python3-pymodbus socat uid=0"), calls());
    }

    @Test
    public void otherwiseThroughSudo() throws Exception {
        sudo();
        Run run = install(list("mosquitto"), "1000");
        assertEquals(run.output(), 0, run.status());
        assertEquals(List.of("sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq",
                "apt-get update -qq uid=0",
                "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto",
                "apt-get install -y -qq mosquitto uid=0"), calls());
    }

    @Test
    public void withoutRootOrSudoItSaysWhatToInstallAndFails() throws Exception {
        Run run = install(list("python3-serial", "socat"), "1000");
        assertEquals(1, run.status());
        assertTrue(run.output(), run.output().contains(
                "cannot install python3-serial socat: this is not root and sudo is not available; as root, run: apt-get install python3-serial socat"));
        assertEquals(List.of(), calls());
    }

    @Test
    public void aPackageThatStaysUnusableAfterInstallingFails() throws Exception {
        Run run = install(list("socat"), "0", "FAKE_BROKEN", "yes");
        assertEquals(1, run.status());
        assertTrue(run.output(), run.output().contains("socat installed, but still not usable"));
    }

    /** Adding a package is one line; the list names what the tests use today. */
    @Test
    public void thePackageListHasOneCheckedPackageALine() throws IOException {
        List<String> packages = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve(".ci/test-packages"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.trim().split("\\s+", 2);
            assertEquals("a package and its check: " + line, 2, parts.length);
            packages.add(parts[0]);
        }
        assertTrue(packages.toString(), packages.containsAll(List.of("python3-pymodbus", "python3-serial", "socat")));
    }

    /** The README's second set-up command is the test command, and .ci/run runs exactly it. */
    @Test
    public void theReadmesTestCommandIsWhatCiRuns() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String setUp = readme.substring(readme.indexOf("## Set-up"), readme.indexOf("\n### ", readme.indexOf("## Set-up")));
        List<String> commands = new ArrayList<>();
        Matcher block = Pattern.compile("(?s)```\\n(.*?)\\n```").matcher(setUp);
        while (block.find()) {
            commands.add(block.group(1));
        }
        assertEquals("the two set-up commands: run the product, run the tests", 2, commands.size());
        assertEquals("distribution/pathpoint", commands.get(0));
        String ci = Files.readString(ROOT.resolve(".ci/run"));
        List<String> ciLines = ci.lines().filter(line -> !line.isBlank()).toList();
        assertEquals(commands.get(1), ciLines.get(ciLines.size() - 1));
        assertTrue(commands.get(1), commands.get(1).startsWith(".ci/install-test-packages && "));
        // the first Maven verify command the README shows is the one CI runs
        Matcher first = Pattern.compile("mvn[^`]*verify[^`]*").matcher(readme);
        assertTrue(first.find());
        assertTrue(first.group(), ci.contains(first.group()));
    }
}
