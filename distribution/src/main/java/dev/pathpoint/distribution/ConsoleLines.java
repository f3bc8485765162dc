package dev.pathpoint.distribution;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Stdout and stderr of an interactive runtime, line by line: each complete line is offered to the
 * console's line printer (a {@code Predicate<String>} service with {@value #LINES_PROPERTY}=true, the
 * console bundle's), which prints it above the shell's prompt while the prompt is shown; otherwise,
 * or without a printer, the line goes out as it is. So log lines never print over the prompt.
 *
 * <p>Installed before the framework starts, so that everything which captures the streams at its
 * start (Gogo's per-thread streams) writes through it.
 */
final class ConsoleLines extends OutputStream {
    static final String LINES_PROPERTY = "pathpoint.console.lines";
    /** A line longer than this goes out even without its end: nothing is held without bound. */
    static final int MAX_LINE = 64 * 1024;

    private final PrintStream through;
    private final Supplier<Predicate<String>> printer;
    private final Charset charset;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    /** Lines to {@code printer}'s printer, when there is one and it takes them, else to {@code through}. */
    ConsoleLines(PrintStream through, Supplier<Predicate<String>> printer, Charset charset) {
        this.through = through;
        this.printer = printer;
        this.charset = charset;
    }

    /** Routes System.out and System.err through the console's line printer, once it is there. */
    static void install(BundleContext systemContext) {
        ServiceTracker<Predicate<String>, Predicate<String>> printers;
        try {
            printers = new ServiceTracker<>(systemContext, systemContext.createFilter(
                    "(&(objectClass=" + Predicate.class.getName() + ")(" + LINES_PROPERTY + "=true))"), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        printers.open();
        Charset charset = Charset.defaultCharset();
        System.setOut(new PrintStream(new ConsoleLines(System.out, printers::getService, charset), true, charset));
        System.setErr(new PrintStream(new ConsoleLines(System.err, printers::getService, charset), true, charset));
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n' || line.size() >= MAX_LINE) {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public synchronized void flush() {
        // a partial line waits for its end; flushed at once, it could not go above the prompt whole
        through.flush();
    }

    private void emit() {
        Predicate<String> current = printer.get();
        String text = line.toString(charset);
        String content = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (content.endsWith("\r")) {
            content = content.substring(0, content.length() - 1);
        }
        boolean printed = false;
        if (current != null) {
            try {
                printed = current.test(content);
            } catch (RuntimeException e) {
                // a failing printer must not swallow the line
                printed = false;
            }
        }
        if (!printed) {
            try {
                line.writeTo(through);
            } catch (IOException e) {
                // a PrintStream does not throw; it sets its error flag
            }
            through.flush();
        }
        line.reset();
    }
}
