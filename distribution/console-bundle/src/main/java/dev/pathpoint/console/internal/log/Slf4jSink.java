package dev.pathpoint.console.internal.log;

import org.osgi.service.log.LogLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log entries into SLF4J, one line each: a cause's messages end the line; its stack trace is
 * logged only when the logger's DEBUG level is on.
 */
final class Slf4jSink implements LogSink {
    @Override
    public void log(String name, LogLevel level, String message, Throwable cause) {
        Logger logger = LoggerFactory.getLogger(name);
        String line = cause == null ? message : message + ": " + causes(cause);
        Throwable trace = cause != null && logger.isDebugEnabled() ? cause : null;
        switch (level) {
            case AUDIT, ERROR -> logger.error(line, trace);
            case WARN -> logger.warn(line, trace);
            case INFO -> logger.info(line, trace);
            case DEBUG -> logger.debug(line, trace);
            default -> logger.trace(line, trace);
        }
    }

    /** The cause and the causes behind it, on one line: {@code IllegalArgumentException: No enum constant ...}. */
    static String causes(Throwable cause) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (Throwable t = cause; t != null && depth < 8; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (depth > 0) {
                out.append("; caused by ");
            }
            out.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                out.append(": ").append(t.getMessage());
            }
        }
        return out.toString();
    }
}
