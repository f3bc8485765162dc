package dev.pathpoint.distribution.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import dev.pathpoint.distribution.it.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The distribution's launcher run as a separate process, as a user runs it. Its stdout and stderr go
 * to files (read as they grow), so that nothing written just before it exits is lost.
 */
public final class RuntimeProcess implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private RuntimeProcess(ProcessBuilder builder) throws IOException {
        this.stdout = Files.createTempFile("pathpoint-stdout", ".txt");
        this.stderr = Files.createTempFile("pathpoint-stderr", ".txt");
        this.process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    }

    /** Runs the launcher jar itself, as {@code java -jar}. */
    public static RuntimeProcess start(String... arguments) throws IOException {
        return startIn(TestConfig.runtimeDir(), arguments);
    }

    /** Runs the launcher jar of a copy of the runtime folder. */
    static RuntimeProcess startIn(Path runtimeFolder, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", runtimeFolder.resolve("pathpoint.jar").toString()));
        command.addAll(List.of(arguments));
        return new RuntimeProcess(new ProcessBuilder(command));
    }

    /** Runs the launcher jar with {@code input} on its standard input, which is then closed. */
    static RuntimeProcess startWithInput(byte[] input, String... arguments) throws IOException {
        RuntimeProcess runtime = start(arguments);
        try (OutputStream in = runtime.process.getOutputStream()) {
            in.write(input);
        }
        return runtime;
    }

    /** Runs the runtime folder's start script, as a service manager runs it: no terminal, this JVM's java. */
    static RuntimeProcess startScript(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(TestConfig.runtimeDir().resolve("pathpoint").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return new RuntimeProcess(builder);
    }

    /** Runs another script of the runtime folder (e.g. pathpoint-remote), as a user runs it: this JVM's java. */
    static RuntimeProcess startRuntimeScript(String script, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(TestConfig.runtimeDir().resolve(script).toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("PATH", Paths.get(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        return new RuntimeProcess(builder);
    }

    /** Sends SIGTERM, as a service manager stops a service. */
    void terminate() {
        process.destroy();
    }

    long pid() {
        return process.pid();
    }

    void type(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until stdout holds {@code text} at least {@code times} times. */
    void awaitStdout(String text, int times, Duration limit) {
        await(stdout, "stdout", text, times, limit);
    }

    /** Waits until stderr (the log) holds {@code text} at least {@code times} times. */
    public void awaitStderr(String text, int times, Duration limit) {
        await(stderr, "stderr", text, times, limit);
    }

    private void await(Path output, String name, String text, int times, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (occurrences(read(output), text) < times) {
            if (!process.isAlive() || System.nanoTime() > end) {
                throw new AssertionError("expected '" + text + "' " + times + " times on " + name + "; process "
                        + (process.isAlive() ? "alive" : "exited") + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the runtime did not exit within " + limit + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
        }
        return process.exitValue();
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    @Override
    public void close() throws IOException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
    }
}
