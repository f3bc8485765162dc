package dev.pathpoint.modbus.internal;

import dev.pathpoint.modbus.internal.name.RegisterOrder;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One Modbus connection (factory PID {@code dev.pathpoint.modbus}); each configuration is one driver service. */
@ObjectClassDefinition(pid = ModbusConnectionComponent.FACTORY_PID, name = "Pathpoint Modbus connection",
        description = "One Modbus device or gateway; each configuration registers one pathpoint driver.")
public @interface ModbusConnectionConfig {

    @AttributeDefinition(name = "Name", description = "Driver name in statistics and logs; empty: the transport and address")
    String name() default "";

    @AttributeDefinition(name = "Transport", description = "TCP, RTU (serial), RTU_OVER_TCP or UDP")
    Transport transport() default Transport.TCP;

    @AttributeDefinition(name = "Host", description = "Device or gateway host (TCP, RTU over TCP, UDP)")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "Device or gateway port (TCP, RTU over TCP, UDP)", min = "1", max = "65535")
    int port() default 502;

    @AttributeDefinition(name = "Serial port", description = "Serial device for RTU, e.g. /dev/ttyUSB0")
    String serialPort() default "/dev/ttyUSB0";

    @AttributeDefinition(name = "Baud rate", min = "1")
    int baudRate() default 9600;

    @AttributeDefinition(name = "Data bits", min = "5", max = "8")
    int dataBits() default 8;

    @AttributeDefinition(name = "Parity")
    Parity parity() default Parity.EVEN;

    @AttributeDefinition(name = "Stop bits", min = "1", max = "2")
    int stopBits() default 1;

    @AttributeDefinition(name = "Unit ids", description = "Comma-separated unit ids this connection serves; empty: any")
    String unitIds() default "";

    @AttributeDefinition(name = "Pathpoint pattern", description = "Regular expression of served pathpoint names, "
            + "overriding the one derived from the unit ids; empty: derived")
    String pathpointPattern() default "";

    @AttributeDefinition(name = "Connect timeout (ms)", min = "1")
    int connectTimeoutMillis() default 3000;

    @AttributeDefinition(name = "Response timeout (ms)", description = "Longest wait for an answer to one request", min = "1")
    int responseTimeoutMillis() default 1000;

    @AttributeDefinition(name = "Inter-request delay (ms)", description = "Quiet time between requests (slow devices, RTU)",
            min = "0", max = "60000")
    int interRequestDelayMillis() default 0;

    @AttributeDefinition(name = "Reconnect delay (ms)", description = "Wait after a failed connect; doubles on each failure",
            min = "0")
    int reconnectDelayMillis() default 250;

    @AttributeDefinition(name = "Maximum reconnect delay (ms)", min = "0")
    int maxReconnectDelayMillis() default 10000;

    @AttributeDefinition(name = "Close after each request", description = "For devices that accept only one short "
            + "connection at a time")
    boolean closeAfterEachRequest() default false;

    @AttributeDefinition(name = "Byte/word order", description = "Default order of values over several registers "
            + "(f, d, :32 and :64 integers): ABCD, CDAB, BADC or DCBA; a name's @ORDER overrides it")
    RegisterOrder byteOrder() default RegisterOrder.ABCD;

    @AttributeDefinition(name = "Max registers per read", min = "1", max = "125")
    int maxReadRegisters() default 125;

    @AttributeDefinition(name = "Max bits per read", min = "1", max = "2000")
    int maxReadBits() default 2000;

    @AttributeDefinition(name = "Max register gap", description = "Unrequested registers a merged read may span", min = "0", max = "125")
    int maxRegisterGap() default 10;

    @AttributeDefinition(name = "Max bit gap", description = "Unrequested bits a merged read may span", min = "0", max = "2000")
    int maxBitGap() default 64;

    @AttributeDefinition(name = "Max registers per write", min = "1", max = "123")
    int maxWriteRegisters() default 123;

    @AttributeDefinition(name = "Max coils per write", min = "1", max = "1968")
    int maxWriteCoils() default 1968;

    @AttributeDefinition(name = "Device accepts FC16", description = "Write multiple registers; else FC6 per register")
    boolean multipleRegisterWrites() default true;

    @AttributeDefinition(name = "Device accepts FC22", description = "Mask write register; else read-modify-write for bits")
    boolean maskWrites() default true;

    @AttributeDefinition(name = "Queue capacity", description = "Batches queued at most; when full, operations fail TIMEOUT "
            + "at once. A change applies live to the batches submitted from then on", min = "1")
    int queueCapacity() default 1000;

    @AttributeDefinition(name = "Max outstanding requests", description = "Read requests sent before their answers come "
            + "(TCP only, answers matched by transaction id); 1: one transaction at a time. For devices and gateways that "
            + "accept several MBAP transactions at once", min = "1", max = "16")
    int maxOutstandingRequests() default 1;

    @AttributeDefinition(name = "Service ranking", description = "Higher wins when several drivers match a pathpoint")
    int service_ranking() default 0;
}
