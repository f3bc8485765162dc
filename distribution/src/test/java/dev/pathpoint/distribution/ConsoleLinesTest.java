package dev.pathpoint.distribution;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.Test;

public class ConsoleLinesTest {
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final List<String> above = new ArrayList<>();
    private final AtomicBoolean promptShown = new AtomicBoolean();
    private final AtomicReference<Predicate<String>> printer = new AtomicReference<>();
    private final PrintStream out = new PrintStream(new ConsoleLines(new PrintStream(terminal, true, StandardCharsets.UTF_8),
            printer::get, StandardCharsets.UTF_8), true, StandardCharsets.UTF_8);

    private String terminal() {
        return terminal.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void wholeLinesGoAboveThePromptWhileItIsShownElseStraightThrough() {
        out.println("before the console bundle");
        printer.set(line -> {
            if (!promptShown.get()) {
                return false;
            }
            above.add(line);
            return true;
        });
        out.println("while a command runs");
        promptShown.set(true);
        out.print("[FelixLogListener] ERROR dev.pathpoint.modbus - ");
        out.flush();
        assertEquals("a partial line waits for its end", List.of(), above);
        out.println("bad unitIds \u00e9");
        out.print("windows line\r\n");
        assertEquals(List.of("[FelixLogListener] ERROR dev.pathpoint.modbus - bad unitIds \u00e9", "windows line"), above);
        assertEquals("before the console bundle\nwhile a command runs\n", terminal());
    }

    @Test
    public void aFailingPrinterDoesNotSwallowTheLine() {
        printer.set(line -> {
            throw new IllegalStateException("console gone");
        });
        out.println("still printed");
        assertEquals("still printed\n", terminal());
    }

    @Test
    public void anEndlessLineGoesOutInBoundedPieces() {
        out.print("x".repeat(ConsoleLines.MAX_LINE + 10));
        out.flush();
        assertEquals(ConsoleLines.MAX_LINE, terminal().length());
    }
}
