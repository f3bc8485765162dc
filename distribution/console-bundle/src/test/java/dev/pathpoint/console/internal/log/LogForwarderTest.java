package dev.pathpoint.console.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

class LogForwarderTest {
    private final List<String> forwarded = new ArrayList<>();
    private final LogSink sink = (logger, level, message, cause) ->
            forwarded.add(level + " " + logger + " " + message + (cause == null ? "" : " / " + cause.getMessage()));

    /** A log reader with a history, newest first as the service gives it. */
    private static class Reader implements LogReaderService {
        final List<LogEntry> history = new ArrayList<>();
        final List<LogListener> listeners = new ArrayList<>();

        @Override
        public void addLogListener(LogListener listener) {
            listeners.add(listener);
        }

        @Override
        public void removeLogListener(LogListener listener) {
            listeners.remove(listener);
        }

        @Override
        public Enumeration<LogEntry> getLog() {
            List<LogEntry> newestFirst = new ArrayList<>(history);
            Collections.reverse(newestFirst);
            return Collections.enumeration(newestFirst);
        }
    }

    private static LogEntry entry(long sequence, String bundle, String logger, LogLevel level, String message, Throwable cause) {
        Bundle owner = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> method.getName().equals("getSymbolicName") ? bundle : null);
        return (LogEntry) Proxy.newProxyInstance(LogEntry.class.getClassLoader(), new Class<?>[] {LogEntry.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSequence" -> sequence;
                    case "getBundle" -> owner;
                    case "getLoggerName" -> logger;
                    case "getLogLevel" -> level;
                    case "getMessage" -> message;
                    case "getException" -> cause;
                    default -> null;
                });
    }

    @Test
    void historyIsForwardedOldestFirstThenLiveEntriesWithoutDuplicates() {
        Reader reader = new Reader();
        reader.history.add(entry(1, "org.apache.felix.scr", "LogService", LogLevel.ERROR, "activate failed",
                new IllegalArgumentException("No enum constant Transport.TCPX")));
        reader.history.add(entry(2, "org.apache.felix.configadmin", "LogService", LogLevel.WARN, "no such pid", null));
        // entry 3 arrives live while the history is being read; the history holds it too
        LogEntry live = entry(3, "org.apache.felix.fileinstall", "LogService", LogLevel.INFO, "installed x.cfg", null);
        reader.history.add(live);
        LogForwarder forwarder = new LogForwarder(new Reader() {
            @Override
            public void addLogListener(LogListener listener) {
                reader.addLogListener(listener);
                listener.logged(live);
            }

            @Override
            public Enumeration<LogEntry> getLog() {
                return reader.getLog();
            }
        }, sink);

        assertEquals(List.of("INFO org.apache.felix.fileinstall installed x.cfg",
                "ERROR org.apache.felix.scr activate failed / No enum constant Transport.TCPX",
                "WARN org.apache.felix.configadmin no such pid"), forwarded);
        forwarder.logged(entry(4, "dev.pathpoint.modbus", "LogService", LogLevel.ERROR, "bad unitIds", null));
        assertEquals("ERROR dev.pathpoint.modbus bad unitIds", forwarded.get(3));
    }

    @Test
    void routineFrameworkEventsGoToDebugButTheirWarningsAndErrorsStay() {
        LogForwarder forwarder = new LogForwarder(new Reader(), sink);
        forwarder.logged(entry(1, "dev.pathpoint.engine", "Events.Bundle", LogLevel.INFO, "BundleEvent STARTED", null));
        forwarder.logged(entry(2, "dev.pathpoint.engine", "Events.Service", LogLevel.DEBUG, "ServiceEvent MODIFIED", null));
        forwarder.logged(entry(3, "org.apache.felix.framework", "Events.Framework", LogLevel.ERROR, "FrameworkEvent ERROR", null));
        forwarder.logged(entry(4, null, null, LogLevel.TRACE, "no bundle", null));
        assertEquals(List.of("DEBUG dev.pathpoint.engine BundleEvent STARTED", "DEBUG dev.pathpoint.engine ServiceEvent MODIFIED",
                "ERROR org.apache.felix.framework FrameworkEvent ERROR", "TRACE osgi no bundle"), forwarded);
    }

    @Test
    void causesEndTheLineInOneLine() {
        Exception cause = new IllegalStateException("cannot activate", new NumberFormatException("For input string: \"x\""));
        assertEquals("IllegalStateException: cannot activate; caused by NumberFormatException: For input string: \"x\"",
                Slf4jSink.causes(cause));
        assertTrue(Slf4jSink.causes(new RuntimeException()).equals("RuntimeException"));
    }
}
