package dev.pathpoint.console.internal.prompt;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.jline.reader.LineReader;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Keeps log lines (and anything else other threads print) from printing over the shell's prompt:
 * while the prompt waits for input, a line is printed above it and the prompt is redrawn with what
 * was typed so far.
 *
 * <p>The launcher routes every line printed to stdout and stderr through the {@link Predicate}
 * service this component registers ({@value #LINES_PROPERTY}): {@code test(line)} prints the line
 * above the prompt and returns true while the prompt is shown, else returns false and the launcher
 * prints it as it is. The shell's line reader is learnt from the first command of a session (its
 * login profile runs before the first prompt).
 */
@Component(service = {CommandSessionListener.class, Predicate.class}, property = PromptGuard.LINES_PROPERTY + "=true")
public final class PromptGuard implements CommandSessionListener, Predicate<String> {
    /** Service property by which the launcher finds this line printer. */
    static final String LINES_PROPERTY = "pathpoint.console.lines";
    /** The session variable in which Gogo's JLine shell keeps its line reader. */
    static final String READER_VARIABLE = ".reader";

    private final AtomicReference<LineReader> reader = new AtomicReference<>();

    @Deactivate
    void deactivate() {
        reader.set(null);
    }

    @Override
    public boolean test(String line) {
        LineReader current = reader.get();
        if (current == null || !current.isReading()) {
            return false;
        }
        current.printAbove(line);
        return true;
    }

    @Override
    public void beforeExecute(CommandSession session, CharSequence commandline) {
        if (session.get(READER_VARIABLE) instanceof LineReader lineReader) {
            reader.set(lineReader);
        }
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence commandline, Exception exception) {
        // nothing to do after a command
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence commandline, Object result) {
        // nothing to do after a command
    }
}
