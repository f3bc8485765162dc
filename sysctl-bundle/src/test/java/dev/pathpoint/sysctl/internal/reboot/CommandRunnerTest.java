package dev.pathpoint.sysctl.internal.reboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {

    @Test
    void reportsExitCodeAndOutput() throws Exception {
        String report = CommandRunner.run(List.of("/bin/sh", "-c", "echo going down; echo err >&2"), Duration.ofSeconds(30));
        assertEquals("reboot command [/bin/sh, -c, echo going down; echo err >&2] exited with code 0: going down\nerr",
                report);
    }

    @Test
    void nonZeroExitFails() {
        OperationFailedException e = assertThrows(OperationFailedException.class,
                () -> CommandRunner.run(List.of("/bin/sh", "-c", "echo no permission; exit 3"), Duration.ofSeconds(30)));
        assertEquals(OperationFailedReason.ERROR, e.reason());
        assertTrue(e.getMessage().contains("exited with code 3: no permission"), e.getMessage());
    }

    @Test
    void commandThatCannotStartIsInvalid() {
        OperationFailedException e = assertThrows(OperationFailedException.class,
                () -> CommandRunner.run(List.of("/nonexistent/reboot-now"), Duration.ofSeconds(30)));
        assertEquals(OperationFailedReason.INVALID, e.reason());
        assertTrue(e.getMessage().contains("could not be started"), e.getMessage());
    }

    @Test
    void commandRunningTooLongIsKilled() {
        // 'sleep' stands for a command that hangs.
        OperationFailedException e = assertThrows(OperationFailedException.class,
                () -> CommandRunner.run(List.of("/bin/sh", "-c", "exec sleep 60"), Duration.ofSeconds(1)));
        assertEquals(OperationFailedReason.TIMEOUT, e.reason());
        assertTrue(e.getMessage().contains("did not finish within 1 s"), e.getMessage());
    }

    @Test
    void standardInputIsClosedSoACommandReadingItDoesNotHang() throws Exception {
        String report = CommandRunner.run(List.of("/bin/sh", "-c", "cat; echo done"), Duration.ofSeconds(30));
        assertTrue(report.endsWith("exited with code 0: done"), report);
    }

    @Test
    void outputIsCapped() throws Exception {
        String report = CommandRunner.run(List.of("/bin/sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x"),
                Duration.ofSeconds(30));
        assertTrue(report.length() < CommandRunner.MAX_OUTPUT_BYTES + 200, "report length " + report.length());
    }
}
