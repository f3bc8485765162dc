package dev.pathpoint.distribution.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.pathpoint.distribution.it.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The Felix console as a person uses it, on a real pseudo-terminal: history and line editing,
 * completion, help, Ctrl-C, log lines that arrive while the prompt waits, {@code exit}, and the
 * start script of the runtime folder surviving a {@code reboot}.
 */
public class ConsoleIT {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final String PROMPT = "g! ";
    /** Logged by the engine once the simulator's connection serves pathpoints. */
    private static final String DRIVER_READY = "Driver simulator added";

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();
    private Path config;
    private Path storage;

    @Before
    public void configurationOnAFreePort() throws Exception {
        config = TestConfig.copyOfDefaultConfig();
        storage = folder.newFolder("cache").toPath();
    }

    private TerminalSession ready(TerminalSession terminal) {
        terminal.awaitText(DRIVER_READY, 1, LIMIT);
        terminal.awaitText(PROMPT, 1, LIMIT);
        return terminal;
    }

    @Test
    public void historyLineEditingCompletionAndHelp() throws Exception {
        try (TerminalSession terminal = ready(TerminalSession.launcher("--config", config.toString(), "--storage", storage.toString()))) {
            terminal.type("pathpoint:read W1r0" + TerminalSession.ENTER);
            terminal.awaitText("read W1r0 (FORCE): done = 1200", 1, LIMIT);

            // the Up arrow brings the line back (it used to insert ^[[A and fail to parse)
            terminal.type(TerminalSession.UP + TerminalSession.ENTER);
            terminal.awaitText("read W1r0 (FORCE): done = 1200", 2, LIMIT);

            // line editing: Ctrl-A goes to the start of the line, where the missing scope is typed
            terminal.type("read W1r1 advise\u0001pathpoint:" + TerminalSession.ENTER);
            terminal.awaitText("read W1r1 (ADVISE): done = 1", 1, LIMIT);

            // Tab completes a command name
            terminal.type("pathpoint:sta" + TerminalSession.TAB + TerminalSession.ENTER);
            terminal.awaitText("orders completed", 1, LIMIT);

            terminal.type("help pathpoint:read" + TerminalSession.ENTER);
            terminal.awaitText("the pathpoint's name, e.g. W1r0", 1, LIMIT);
            terminal.type("pathpoint:read" + TerminalSession.ENTER);
            terminal.awaitText("usage: pathpoint:read <pathpoint> [<advise>]", 1, LIMIT);

            terminal.type("exit" + TerminalSession.ENTER);
            assertEquals(0, terminal.awaitExit(LIMIT));
        }
    }

    @Test
    public void ctrlCInterruptsTheWaitingCommandAndTheRuntimeCarriesOn() throws Exception {
        try (TerminalSession terminal = ready(TerminalSession.launcher("--config", config.toString(), "--storage", storage.toString()))) {
            // no driver serves unit 9: a FORCE read waits 30 s for one
            terminal.type("pathpoint:read W9r0" + TerminalSession.ENTER);
            // once the shell has taken the line (a Ctrl-C before would discard the typed line)...
            terminal.awaitScreen("the command line taken", screen -> {
                int line = indexOf(screen, PROMPT + "pathpoint:read W9r0");
                return line >= 0 && line < screen.size() - 1;
            }, LIMIT);
            // ...Ctrl-C until the command has taken it: one that comes before the command runs finds nothing to
            // interrupt. Gogo reports the interrupted command as an InterruptedException and shows the prompt.
            long end = System.nanoTime() + LIMIT.toNanos();
            do {
                terminal.type(TerminalSession.CTRL_C);
            } while (!terminal.sees("InterruptedException", Duration.ofMillis(500)) && System.nanoTime() < end);
            terminal.awaitScreen("the prompt after the interrupted command", screen -> {
                int interrupted = indexOf(screen, "InterruptedException");
                return interrupted >= 0 && interrupted < screen.size() - 1 && last(screen).startsWith(PROMPT);
            }, LIMIT);
            assertTrue("Ctrl-C must not end the runtime", terminal.isAlive());

            terminal.type("pathpoint:read W1r0" + TerminalSession.ENTER);
            terminal.awaitText("read W1r0 (FORCE): done = 1200", 1, LIMIT);
            terminal.type("stop 0" + TerminalSession.ENTER);
            assertEquals(0, terminal.awaitExit(LIMIT));
        }
    }

    @Test
    public void logLinesPrintAboveThePromptAndWhatWasTypedStays() throws Exception {
        try (TerminalSession terminal = ready(TerminalSession.launcher("--config", config.toString(), "--storage", storage.toString()))) {
            terminal.type("pathpoint:rea");
            terminal.awaitScreen("the typed text", screen -> last(screen).startsWith(PROMPT + "pathpoint:rea"), LIMIT);
            // a connection file SCR cannot apply: its error comes through the OSGi log service
            Files.writeString(config.resolve("dev.pathpoint.modbus-plc2.config"), "name=\"plc2\"\nhost=\"192.0.2.10\"\nunitIds=\"3,x\"\n");
            terminal.awaitScreen("the log line above the redrawn prompt", screen -> {
                int logLine = indexOf(screen, "ERROR dev.pathpoint.modbus");
                return logLine >= 0 && logLine < screen.size() - 1 && last(screen).startsWith(PROMPT + "pathpoint:rea");
            }, LIMIT);
            List<String> screen = terminal.screen();
            String logLine = screen.get(indexOf(screen, "ERROR dev.pathpoint.modbus"));
            // SLF4J's line (the thread in brackets first), whichever thread logged it: not after the prompt
            assertTrue("the log line stands alone, not after the prompt: " + logLine,
                    logLine.startsWith("[") && !logLine.startsWith(PROMPT));
            assertTrue(logLine, logLine.contains("unitIds"));

            terminal.type("d W1r0" + TerminalSession.ENTER);
            terminal.awaitText("read W1r0 (FORCE): done = 1200", 1, LIMIT);
            terminal.type("exit" + TerminalSession.ENTER);
            assertEquals(0, terminal.awaitExit(LIMIT));
        }
    }

    @Test
    public void theRuntimeFoldersStartScriptRestartsAfterRebootAndTheConsoleComesBack() throws Exception {
        try (TerminalSession terminal = ready(TerminalSession.startScript("--config", config.toString(), "--storage", storage.toString()))) {
            terminal.type("pathpoint:read W1r0" + TerminalSession.ENTER);
            terminal.awaitText("done = 1200", 1, LIMIT);
            terminal.type("pathpoint:sysctl reboot" + TerminalSession.ENTER);
            terminal.awaitText("pathpoint: restarting", 1, LIMIT);
            terminal.awaitText(DRIVER_READY, 2, LIMIT);
            terminal.awaitText("Welcome to Apache Felix Gogo", 2, LIMIT);
            terminal.type("pathpoint:read W1r0" + TerminalSession.ENTER);
            terminal.awaitText("done = 1200", 2, LIMIT);
            terminal.type("exit" + TerminalSession.ENTER);
            assertEquals(0, terminal.awaitExit(LIMIT));
        }
    }

    private static String last(List<String> screen) {
        return screen.get(screen.size() - 1);
    }

    private static int indexOf(List<String> screen, String part) {
        for (int i = 0; i < screen.size(); i++) {
            if (screen.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }
}
