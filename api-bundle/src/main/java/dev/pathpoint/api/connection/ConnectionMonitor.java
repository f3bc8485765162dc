package dev.pathpoint.api.connection;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Tells the state of the connections a bundle keeps to the outside: the device connections behind
 * its drivers, or its links to a broker. Register it as a service; the shell, the web API and the
 * statistics list what every monitor reports.
 */
@ConsumerType
public interface ConnectionMonitor {

    /** Service property: the kind of connections it reports ({@code modbus}, {@code mqtt}). */
    String KIND = "connection.kind";

    /**
     * Every connection it is configured for, including configurations that could not be applied
     * ({@link ConnectionState#MISCONFIGURED}). Quick and non-blocking: a snapshot of known state.
     */
    List<ConnectionReport> connections();
}
