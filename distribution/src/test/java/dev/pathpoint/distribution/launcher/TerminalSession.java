package dev.pathpoint.distribution.launcher;

import dev.pathpoint.distribution.it.TestConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runtime on a real pseudo-terminal, as a person at a terminal runs it: {@code pty_session.py}
 * (Python's pty module, run with /usr/bin/python3) gives the command a terminal of 120 x 40 with
 * {@code TERM=xterm-256color}; what this class types arrives as keystrokes, what the runtime draws
 * comes back with its escape sequences. {@link #screen()} replays the drawing into lines, so that
 * tests see what a person sees.
 */
final class TerminalSession implements AutoCloseable {
    static final String UP = "\u001bOA";
    static final String TAB = "\t";
    static final String CTRL_C = "\u0003";
    static final String ENTER = "\r";
    private static final Pattern ESCAPE = Pattern.compile("\u001b(\\[[0-9;?]*[ -/]*[@-~]|\\][^\u0007]*\u0007|[=>()][0-9A-Za-z]?)");

    private final Process process;
    private final StringBuffer output = new StringBuffer();

    private TerminalSession(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[4096];
            try (InputStream in = process.getInputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                output.append("[terminal closed: ").append(e).append("]");
            }
        }, "terminal-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The launcher jar on a terminal. */
    static TerminalSession launcher(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), userHome(), "-jar", TestConfig.runtimeDir().resolve("pathpoint.jar").toString()));
        command.addAll(List.of(arguments));
        return start(command);
    }

    /** The runtime folder's start script on a terminal, with this JVM's java. */
    static TerminalSession startScript(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(TestConfig.runtimeDir().resolve("pathpoint").toString()));
        command.addAll(List.of(arguments));
        return start(command);
    }

    private static TerminalSession start(List<String> command) throws IOException {
        List<String> full = new ArrayList<>(List.of("/usr/bin/python3", ptyScript().toString(), "120", "40"));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        builder.environment().put("TERM", "xterm-256color");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("JAVA_OPTS", userHome());
        return new TerminalSession(builder.start());
    }

    /** The shell keeps its history in ~/.gogo.history: each session gets a home of its own, empty. */
    private static String userHome() throws IOException {
        return "-Duser.home=" + java.nio.file.Files.createTempDirectory("pathpoint-terminal-home");
    }

    private static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path ptyScript() {
        try {
            return Paths.get(TerminalSession.class.getResource("/console/pty_session.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Types on the terminal: text, or keys such as {@link #UP} and {@link #CTRL_C}. */
    void type(String keys) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(keys.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What the runtime wrote, escape sequences removed. */
    String text() {
        return ESCAPE.matcher(output.toString()).replaceAll("");
    }

    /** Waits until the text holds {@code part} at least {@code times} times. */
    void awaitText(String part, int times, Duration limit) {
        awaitCondition("'" + part + "' " + times + " times", text -> occurrences(text, part) >= times, limit);
    }

    /** Whether the text holds {@code part} within the given time. */
    boolean sees(String part, Duration within) {
        long end = System.nanoTime() + within.toNanos();
        while (!text().contains(part)) {
            if (!process.isAlive() || System.nanoTime() > end) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return true;
    }

    /** Waits until the screen's lines satisfy a condition. */
    void awaitScreen(String what, Predicate<List<String>> condition, Duration limit) {
        awaitCondition(what, text -> condition.test(screen()), limit);
    }

    private void awaitCondition(String what, Predicate<String> condition, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.test(text())) {
            if (!process.isAlive() || System.nanoTime() > end) {
                throw new AssertionError("expected " + what + " on the terminal; runtime "
                        + (process.isAlive() ? "alive" : "exited") + "\nscreen:\n" + String.join("\n", screen()));
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /**
     * The lines the terminal shows, as drawn: carriage returns, backspaces, cursor moves, erasing and
     * inserting are replayed, so that a line printed over the prompt shows as one line with both.
     */
    List<String> screen() {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int column = 0;
        String raw = output.toString();
        Matcher escape = ESCAPE.matcher(raw);
        int i = 0;
        while (i < raw.length()) {
            if (escape.find(i) && escape.start() == i) {
                String sequence = escape.group();
                char kind = sequence.charAt(sequence.length() - 1);
                int count = sequence.length() > 3 && sequence.substring(2, sequence.length() - 1).matches("\\d+")
                        ? Integer.parseInt(sequence.substring(2, sequence.length() - 1)) : 1;
                if (sequence.startsWith("\u001b[")) {
                    switch (kind) {
                        case 'C' -> column += count;
                        case 'D' -> column = Math.max(0, column - count);
                        case 'K' -> {
                            if (sequence.equals("\u001b[2K")) {
                                line.setLength(0);
                            } else if (line.length() > column) {
                                line.setLength(column);
                            }
                        }
                        case '@' -> {
                            pad(line, column);
                            line.insert(column, " ".repeat(count));
                        }
                        case 'P' -> {
                            if (column < line.length()) {
                                line.delete(column, Math.min(line.length(), column + count));
                            }
                        }
                        default -> {
                            // colours, modes: nothing drawn
                        }
                    }
                }
                i = escape.end();
                continue;
            }
            char c = raw.charAt(i++);
            switch (c) {
                case '\r' -> column = 0;
                case '\n' -> {
                    lines.add(line.toString().stripTrailing());
                    line.setLength(0);
                    column = 0;
                }
                case '\b' -> column = Math.max(0, column - 1);
                case '\u0007' -> {
                    // the bell
                }
                default -> {
                    pad(line, column);
                    if (column < line.length()) {
                        line.setCharAt(column, c);
                    } else {
                        line.append(c);
                    }
                    column++;
                }
            }
        }
        lines.add(line.toString().stripTrailing());
        return lines;
    }

    private static void pad(StringBuilder line, int column) {
        while (line.length() < column) {
            line.append(' ');
        }
    }

    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the runtime did not exit within " + limit + "\nscreen:\n" + String.join("\n", screen()));
        }
        return process.exitValue();
    }

    static int occurrences(String text, String part) {
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
