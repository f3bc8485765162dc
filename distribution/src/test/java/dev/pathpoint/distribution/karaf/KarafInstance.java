package dev.pathpoint.distribution.karaf;

import static org.awaitility.Awaitility.await;

import dev.pathpoint.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * An Apache Karaf copied from an unpacked distribution, run as a separate process ({@code bin/karaf
 * server}), and driven through {@code bin/client -b}: commands on stdin, output and exit code back.
 * Maven URLs resolve offline from the given repositories; SSH and JMX listen on free ports.
 */
final class KarafInstance {
    private static final String USER = "karaf";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path home;
    private final String projectVersion;
    private final int sshPort;
    private final AtomicInteger batches = new AtomicInteger();
    private Process process;

    private KarafInstance(Path home, String projectVersion, int sshPort) {
        this.home = home;
        this.projectVersion = projectVersion;
        this.sshPort = sshPort;
    }

    /**
     * Copies {@code distribution} to {@code workDir/karaf} (replacing an earlier run's copy) and
     * configures it: a karaf/karaf admin user for the client, free ports, and Maven resolution from
     * {@code repositories} only, in that order, with no remote repository.
     */
    static KarafInstance freshCopy(Path distribution, Path workDir, String projectVersion, Path... repositories)
            throws IOException {
        deleteTree(workDir);
        Path home = workDir.resolve("karaf");
        copyTree(distribution, home);
        Path etc = home.resolve("etc");

        Files.writeString(etc.resolve("users.properties"), String.join("\n", "",
                USER + " = " + USER + ",_g_:admingroup",
                "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh", ""),
                StandardOpenOption.APPEND);

        List<String> defaultRepositories = new ArrayList<>();
        defaultRepositories.add("${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots");
        for (int i = 0; i < repositories.length; i++) {
            defaultRepositories.add(repositories[i].toUri() + "@id=test" + i + "@snapshots");
        }
        Files.writeString(etc.resolve("org.ops4j.pax.url.mvn.cfg"), String.join("\n",
                "# written by KarafFeatureIT: offline, the build's repositories only",
                "org.ops4j.pax.url.mvn.useFallbackRepositories = false",
                // an empty local repository of its own: nothing is found but in the repositories above
                "org.ops4j.pax.url.mvn.localRepository = " + workDir.resolve("m2-scratch").toUri(),
                "org.ops4j.pax.url.mvn.defaultRepositories = " + String.join(", ", defaultRepositories),
                "org.ops4j.pax.url.mvn.repositories = ", ""));

        int sshPort = FreePorts.pick();
        replaceProperty(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", Integer.toString(sshPort));
        replaceProperty(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort", Integer.toString(FreePorts.pick()));
        replaceProperty(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort", Integer.toString(FreePorts.pick()));
        return new KarafInstance(home, projectVersion, sshPort);
    }

    String projectVersion() {
        return projectVersion;
    }

    /** The Karaf's home directory, e.g. to put configuration into {@code etc/} before {@link #start}. */
    Path home() {
        return home;
    }

    /** Starts Karaf and returns once its console accepts commands. */
    void start(Duration timeout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        process = builder.start();
        await("Karaf's SSH console on port " + sshPort).atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Karaf exited with " + process.exitValue() + ": " + console());
                    }
                    return accepts(sshPort);
                });
        // the SSH server starts before every shell command is registered
        awaitOutput(timeout, "karaf-ready", "echo karaf-ready");
    }

    /** Runs the commands in one batch; fails unless every one succeeds. */
    String execute(Duration timeout, String... commands) {
        Result result = run(timeout, commands);
        if (result.exitCode() != 0) {
            throw new AssertionError("Karaf batch failed: " + result);
        }
        return result.output();
    }

    /** Runs the commands until their output contains {@code expected}, at most {@code timeout}. */
    String awaitOutput(Duration timeout, String expected, String... commands) {
        AtomicReference<Result> last = new AtomicReference<>();
        await("'" + expected + "' from " + String.join("; ", commands)).atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Result result = run(timeout, commands);
                    last.set(result);
                    return result.output().contains(expected);
                });
        return last.get().output();
    }

    /** One {@code bin/client -b} session with the commands on stdin; its output without colours. */
    Result run(Duration timeout, String... commands) {
        int batch = batches.incrementAndGet();
        Path input = home.resolve("batch-" + batch + ".txt");
        Path output = home.resolve("batch-" + batch + ".out");
        try {
            Files.writeString(input, String.join("\n", commands) + "\n");
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/client").toString(),
                    "-h", "127.0.0.1", "-a", Integer.toString(sshPort), "-u", USER, "-p", USER, "-b")
                    .directory(home.toFile())
                    .redirectInput(input.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process client = builder.start();
            if (!client.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                destroyTree(client.toHandle());
                throw new AssertionError("bin/client did not finish within " + timeout + ": "
                        + String.join("; ", commands) + "; output: " + Files.readString(output));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8).replaceAll("\u001B\\[[;\\d]*m", "");
            return new Result(client.exitValue(), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + String.join("; ", commands), e);
        }
    }

    /** Karaf's log file (pax-logging), where the bundles' SLF4J output lands. */
    String log() {
        try {
            return Files.readString(home.resolve("data/log/karaf.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops Karaf and every process it started: SIGTERM first (Karaf shuts down cleanly), then kill. */
    void stop() {
        if (process != null) {
            destroyTree(process.toHandle());
        }
    }

    private String console() {
        try {
            return Files.readString(home.resolve("console.log"));
        } catch (IOException e) {
            return "(no console log: " + e + ")";
        }
    }

    private static void destroyTree(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                handle.destroyForcibly();
            } catch (ExecutionException e) {
                handle.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                tree.forEach(ProcessHandle::destroyForcibly);
                return;
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }


    private static void replaceProperty(Path file, String key, String value) throws IOException {
        List<String> lines = Files.readAllLines(file);
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\s*" + key + "\\s*=.*")) {
                lines.set(i, key + " = " + value);
                replaced = true;
            }
        }
        if (!replaced) {
            throw new IOException("no " + key + " in " + file);
        }
        Files.write(file, lines);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                // keeps the scripts' execute permission
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** What one client batch printed and its exit code. */
    record Result(int exitCode, String output) {
    }
}
