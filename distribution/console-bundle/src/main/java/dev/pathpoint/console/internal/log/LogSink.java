package dev.pathpoint.console.internal.log;

import org.osgi.service.log.LogLevel;

/** Where forwarded log entries go. */
interface LogSink {
    void log(String logger, LogLevel level, String message, Throwable cause);
}
