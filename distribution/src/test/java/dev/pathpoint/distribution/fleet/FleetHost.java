package dev.pathpoint.distribution.fleet;

import dev.pathpoint.api.driver.PathpointDriver;
import dev.pathpoint.engine.internal.EngineSettings;
import dev.pathpoint.engine.internal.dispatch.Engine;
import dev.pathpoint.engine.internal.registry.ServiceProperties;
import dev.pathpoint.engine.internal.registry.Whiteboard;
import dev.pathpoint.engine.internal.time.SystemTimeSource;
import dev.pathpoint.modbus.internal.ConnectionSettings;
import dev.pathpoint.modbus.internal.ModbusDriver;
import dev.pathpoint.mqtt.internal.LinkConfigs;
import dev.pathpoint.mqtt.internal.link.Link;
import dev.pathpoint.mqtt.internal.link.LinkSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A JVM hosting several gateways of the fleet, without OSGi: per gateway an engine, a Modbus driver
 * to its device (a simulator in the orchestrating JVM, which outlives the host) and an MQTT link with
 * its own journal; one copy of the classes and one Netty event loop for all of them. Killed with
 * SIGKILL by the orchestrator and started again on the same journals.
 *
 * <p>Arguments: broker port, journal root, then {@code gatewayId=devicePort} per gateway.
 */
public final class FleetHost {
    private FleetHost() {
    }

    public static void main(String[] args) throws Exception {
        int brokerPort = Integer.parseInt(args[0]);
        Path journals = Path.of(args[1]);
        EngineSettings engineSettings = EngineSettings.from(Map.of("statisticsLogIntervalSeconds", 0L,
                "dispatchSpinMicros", 0L, "handlerPoolSize", 1));
        for (int i = 2; i < args.length; i++) {
            String[] gateway = args[i].split("=");
            String id = gateway[0];
            Whiteboard whiteboard = Whiteboard.driversOnly();
            Engine engine = new Engine(engineSettings, whiteboard, new SystemTimeSource(Clock.systemUTC(), id + "-timer"), id)
                    .start();
            ModbusDriver driver = new ModbusDriver(ConnectionSettings.tcp(id + "-device", "127.0.0.1",
                    Integer.parseInt(gateway[1])));
            whiteboard.drivers().add(driver, Map.of(PathpointDriver.PATHPOINT_PATTERN, "W1r[0-9]+",
                    PathpointDriver.DRIVER_NAME, id + "-device", ServiceProperties.SERVICE_RANKING, 0,
                    ServiceProperties.SERVICE_ID, (long) i));
            Path journal = journals.resolve(id);
            Link link = new Link(LinkSettings.from(LinkConfigs.of(Map.of("gatewayId", id, "host", "127.0.0.1",
                    "port", brokerPort, "journalDirectory", journal.toString(), "reconnectDelayMillis", 100,
                    "maxReconnectDelayMillis", 1000, "messagesEnabled", false, "baobEnabled", false)), journal),
                    "fleet", engine, Clock.systemUTC());
            link.start();
        }
        System.out.println("fleet host ready: " + (args.length - 2) + " gateways");
        new CountDownLatch(1).await(); // until killed
    }
}
