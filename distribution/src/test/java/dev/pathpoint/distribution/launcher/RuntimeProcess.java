package dev.pathpoint.distribution.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import dev.pathpoint.distribution.it.TestConfig;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** The distribution's launcher run as a separate process, as a user runs it; output collected as it comes. */
public final class RuntimeProcess implements AutoCloseable {
    private final Process process;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();

    private RuntimeProcess(Process process) {
        this.process = process;
        collect(process.getInputStream(), stdout, "stdout");
        collect(process.getErrorStream(), stderr, "stderr");
    }

    /** Runs the launcher jar itself, as {@code java -jar}. */
    public static RuntimeProcess start(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", TestConfig.runtimeDir().resolve("pathpoint.jar").toString()));
        command.addAll(List.of(arguments));
        return new RuntimeProcess(new ProcessBuilder(command).start());
    }

    /** Runs the distribution's start script, as the README says, with this JVM's java first on the PATH. */
    static RuntimeProcess startScript(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", TestConfig.runtimeDir().getParent().getParent().resolve("pathpoint").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PATH", Paths.get(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        return new RuntimeProcess(builder.start());
    }

    private static void collect(InputStream stream, StringBuffer into, String name) {
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[4096];
            try {
                for (int n = stream.read(buffer); n >= 0; n = stream.read(buffer)) {
                    into.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                into.append("[").append(name).append(" closed: ").append(e).append("]");
            }
        }, "runtime-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    void type(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    String stdout() {
        return stdout.toString();
    }

    public String stderr() {
        return stderr.toString();
    }

    /** Waits until stdout holds {@code text} at least {@code times} times. */
    void awaitStdout(String text, int times, Duration limit) {
        await(stdout, "stdout", text, times, limit);
    }

    /** Waits until stderr (the log) holds {@code text} at least {@code times} times. */
    public void awaitStderr(String text, int times, Duration limit) {
        await(stderr, "stderr", text, times, limit);
    }

    private void await(StringBuffer output, String name, String text, int times, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (occurrences(output.toString(), text) < times) {
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
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
