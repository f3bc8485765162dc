package dev.pathpoint.sysctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;

/** {@code reboot}: framework restart that a launcher loop brings back, or a configured command. */
class RebootHandlerIT {

    private static final String REBOOT_PID = "dev.pathpoint.sysctl.reboot";

    @TempDir
    Path temp;

    private RunningFramework running;

    @BeforeEach
    void startFramework() throws Exception {
        running = RunningFramework.start(temp.resolve("storage"));
    }

    @AfterEach
    void stopFramework() throws Exception {
        running.close();
    }

    @Test
    void restartsTheFrameworkAndALauncherLoopBringsItBack() throws Exception {
        running.configure(REBOOT_PID, Map.of("framework.restart.delay.millis", 0L));
        long sysctlBundleId = running.bundle("dev.pathpoint.sysctl").getBundleId();

        assertEquals("framework restart scheduled in 0 ms", running.dispatcher().execute("reboot", ""));

        // What the distribution's launcher does: wait for the stop; on STOPPED_UPDATE start again and keep waiting.
        FrameworkEvent stop = running.framework.waitForStop(RunningFramework.TIMEOUT.toMillis());
        assertEquals(FrameworkEvent.STOPPED_UPDATE, stop.getType(), "stop event type");
        running.framework.start();
        assertEquals(Bundle.ACTIVE, running.framework.getState());

        running.awaitBuiltInHandlers();
        assertEquals(sysctlBundleId, running.bundle("dev.pathpoint.sysctl").getBundleId());
        // The restarted framework's handlers answer orders again.
        OperationFailedException failure = assertThrows(OperationFailedException.class,
                () -> running.dispatcher().execute("reboot", "again"));
        assertEquals(OperationFailedReason.INVALID, failure.reason());
    }

    /** Karaf's launcher sets karaf.restart=false at each launch and launches anew when the framework stops with it true. */
    @Test
    void underKarafsLauncherRestartsTheWayKarafDoes() throws Exception {
        running.close();
        running = RunningFramework.start(temp.resolve("karaf-storage"), Map.of("karaf.restart", "false"));
        running.configure(REBOOT_PID, Map.of("framework.restart.delay.millis", 0L));
        try {
            assertEquals("framework restart scheduled in 0 ms", running.dispatcher().execute("reboot", ""));

            FrameworkEvent stop = running.framework.waitForStop(RunningFramework.TIMEOUT.toMillis());
            assertEquals(FrameworkEvent.STOPPED, stop.getType(), "a plain stop, not a system bundle update Karaf cannot follow");
            assertEquals("true", System.getProperty("karaf.restart"), "what Karaf's main loop reads to launch again");
        } finally {
            System.clearProperty("karaf.restart");
        }
    }

    @Test
    void runsTheConfiguredCommandInsteadWhenSoConfigured() throws Exception {
        Path marker = temp.resolve("rebooted");
        String[] command = {"/bin/sh", "-c", "echo rebooting > '" + marker + "'; echo done"};
        running.configure(REBOOT_PID, Map.of("mode", "COMMAND", "command", command));

        String report = running.dispatcher().execute("reboot", "");

        assertEquals("reboot command [/bin/sh, -c, echo rebooting > '" + marker + "'; echo done] exited with code 0: done",
                report);
        assertEquals("rebooting\n", Files.readString(marker));
        assertEquals(Bundle.ACTIVE, running.framework.getState());
    }

    @Test
    void failingOrHangingCommandFailsTheOrder() throws Exception {
        running.configure(REBOOT_PID, Map.of("mode", "COMMAND", "command", new String[] {"/bin/sh", "-c", "exit 4"}));
        OperationFailedException failure = assertThrows(OperationFailedException.class,
                () -> running.dispatcher().execute("reboot", ""));
        assertEquals(OperationFailedReason.ERROR, failure.reason());
        assertTrue(failure.getMessage().endsWith("exited with code 4"), failure.getMessage());

        running.configure(REBOOT_PID, Map.of("mode", "COMMAND", "command", new String[] {"/bin/sh", "-c", "exec sleep 60"},
                "command.timeout.seconds", 1L));
        failure = assertThrows(OperationFailedException.class, () -> running.dispatcher().execute("reboot", ""));
        assertEquals(OperationFailedReason.TIMEOUT, failure.reason());
    }

    @Test
    void refusesArgumentsAndACommandModeWithoutCommand() throws Exception {
        OperationFailedException failure = assertThrows(OperationFailedException.class,
                () -> running.dispatcher().execute("reboot", "now please"));
        assertEquals(OperationFailedReason.INVALID, failure.reason());
        assertEquals("reboot takes no arguments; got 'now please'", failure.getMessage());

        running.configure(REBOOT_PID, Map.of("mode", "COMMAND"));
        failure = assertThrows(OperationFailedException.class, () -> running.dispatcher().execute("reboot", ""));
        assertEquals(OperationFailedReason.INVALID, failure.reason());
        assertEquals("reboot is misconfigured: mode is COMMAND but no command is set in " + REBOOT_PID,
                failure.getMessage());
        assertEquals(Bundle.ACTIVE, running.framework.getState());
    }
}
