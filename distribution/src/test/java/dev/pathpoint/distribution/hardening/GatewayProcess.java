package dev.pathpoint.distribution.hardening;

import dev.pathpoint.distribution.it.TestConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway as a process of its own: the distribution's launcher ({@code java -jar pathpoint.jar})
 * with a configuration and a framework storage that outlive it, its console on a pipe and its output
 * in a file, so that it can be killed with SIGKILL and started again on the same state.
 */
public final class GatewayProcess implements AutoCloseable {
    private final Path config;
    private final Path storage;
    private final Path output;
    private Process process;

    public GatewayProcess(Path config, Path storage) throws IOException {
        this.config = config;
        this.storage = storage;
        this.output = Files.createTempFile("pathpoint-gateway", ".log");
    }

    public void start() throws IOException {
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", TestConfig.runtimeDir().resolve("pathpoint.jar").toString(),
                "--config", config.toString(), "--storage", storage.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
    }

    /** SIGKILL: no shutdown hook, no clean disconnect, nothing flushed but what the journal synced. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("gateway " + process.pid() + " survived SIGKILL");
        }
    }

    void type(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            kill();
        }
    }
}
