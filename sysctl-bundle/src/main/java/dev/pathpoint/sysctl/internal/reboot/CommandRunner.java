package dev.pathpoint.sysctl.internal.reboot;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs an operating system command with a bounded time, capturing the start of its output. */
final class CommandRunner {

    /** Enough output to say what went wrong, not enough to flood a report. */
    static final int MAX_OUTPUT_BYTES = 2048;

    private CommandRunner() {
    }

    /**
     * @return a report with the exit code and the output
     * @throws OperationFailedException INVALID if the command cannot be started, TIMEOUT if it runs
     *         longer than {@code timeout} (it is then killed), ERROR if it exits with a non-zero code
     */
    static String run(List<String> command, Duration timeout) throws OperationFailedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException | SecurityException | IllegalArgumentException e) {
            throw new OperationFailedException(OperationFailedReason.INVALID,
                    "reboot command " + command + " could not be started: " + e.getMessage(), e);
        }
        closeQuietly(process);
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readCapped(process.getInputStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new OperationFailedException(OperationFailedReason.TIMEOUT,
                        "reboot command " + command + " did not finish within " + timeout.toSeconds() + " s; killed it");
            }
            String text = output.get(timeout.toMillis(), TimeUnit.MILLISECONDS).strip();
            int exit = process.exitValue();
            String report = "reboot command " + command + " exited with code " + exit
                    + (text.isEmpty() ? "" : ": " + text);
            if (exit != 0) {
                throw new OperationFailedException(OperationFailedReason.ERROR, report);
            }
            return report;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new OperationFailedException(OperationFailedReason.ERROR,
                    "interrupted while waiting for reboot command " + command, e);
        } catch (ExecutionException | TimeoutException e) {
            // The command exited but something it started holds its output open; report without it.
            return "reboot command " + command + " exited with code " + process.exitValue();
        }
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // Nothing to do: the command just does not get an end-of-input on stdin.
        }
    }

    private static String readCapped(InputStream in) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        try (in) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                int room = MAX_OUTPUT_BYTES - kept.size();
                if (room > 0) {
                    kept.write(buffer, 0, Math.min(room, read));
                }
            }
        } catch (IOException ignored) {
            // The process went away; keep what was read.
        }
        return kept.toString(StandardCharsets.UTF_8);
    }
}
