package dev.pathpoint.console.internal.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Forwards what bundles log through the OSGi log service (SCR, Config Admin, FileInstall, the
 * framework) to SLF4J, where the distribution's own logging writes it to stderr: a configuration
 * that SCR cannot apply shows up there, not only in {@code log 5 error}. The SLF4J logger is named
 * after the bundle's symbolic name. What was logged before this component started is forwarded first.
 *
 * <p>The framework's routine events (a bundle started, a service registered) are forwarded at DEBUG
 * unless they report a warning or an error. A cause's stack trace is logged at DEBUG only; its
 * messages always end the line.
 */
@Component(immediate = true)
public final class LogForwarder implements LogListener {
    /** Logger names the framework uses for its own events. */
    private static final String EVENTS = "Events.";

    private final LogReaderService reader;
    private final LogSink sink;
    /** The sequence number of the first entry heard live; earlier ones come from the log's history. */
    private final AtomicLong firstLive = new AtomicLong(Long.MAX_VALUE);

    @Activate
    public LogForwarder(@Reference LogReaderService reader) {
        this(reader, new Slf4jSink());
    }

    LogForwarder(LogReaderService reader, LogSink sink) {
        this.reader = reader;
        this.sink = sink;
        reader.addLogListener(this);
        List<LogEntry> history = new ArrayList<>(Collections.list(reader.getLog()));
        // the log's history comes newest first
        Collections.reverse(history);
        for (LogEntry entry : history) {
            if (entry.getSequence() < firstLive.get()) {
                forward(entry);
            }
        }
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        firstLive.compareAndSet(Long.MAX_VALUE, entry.getSequence());
        forward(entry);
    }

    private void forward(LogEntry entry) {
        boolean routineEvent = entry.getLoggerName() != null && entry.getLoggerName().startsWith(EVENTS);
        LogLevel level = entry.getLogLevel();
        if (routineEvent && level == LogLevel.INFO) {
            level = LogLevel.DEBUG;
        }
        sink.log(loggerName(entry), level, message(entry), entry.getException());
    }

    private static String loggerName(LogEntry entry) {
        Bundle bundle = entry.getBundle();
        String name = bundle == null ? null : bundle.getSymbolicName();
        return name == null ? "osgi" : name;
    }

    private static String message(LogEntry entry) {
        return entry.getServiceReference() == null ? String.valueOf(entry.getMessage())
                : String.valueOf(entry.getMessage()) + " [service " + entry.getServiceReference().getProperty("service.id") + "]";
    }

}
