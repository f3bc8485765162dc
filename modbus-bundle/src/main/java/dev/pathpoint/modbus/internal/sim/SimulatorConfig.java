package dev.pathpoint.modbus.internal.sim;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One simulated Modbus TCP device (factory PID {@code dev.pathpoint.modbus.simulator}). */
@ObjectClassDefinition(pid = ModbusSimulatorComponent.FACTORY_PID, name = "Pathpoint Modbus simulator",
        description = "A Modbus TCP server over an in-memory register image, for trials and tests.")
public @interface SimulatorConfig {

    @AttributeDefinition(name = "Bind address")
    String bindAddress() default "127.0.0.1";

    @AttributeDefinition(name = "Port", min = "0", max = "65535")
    int port() default 5020;

    @AttributeDefinition(name = "Unit ids", description = "Comma-separated unit ids served; empty: any")
    String unitIds() default "1";

    @AttributeDefinition(name = "Unknown unit", description = "GATEWAY_EXCEPTION answers exception 0B; NO_ANSWER stays silent")
    ModbusTcpSimulator.UnknownUnit unknownUnit() default ModbusTcpSimulator.UnknownUnit.GATEWAY_EXCEPTION;

    @AttributeDefinition(name = "Holding registers", description = "Addresses that exist, e.g. 0-9999,20000-20099")
    String holdingRegisters() default "0-9999";

    @AttributeDefinition(name = "Input registers")
    String inputRegisters() default "0-9999";

    @AttributeDefinition(name = "Coils")
    String coils() default "0-9999";

    @AttributeDefinition(name = "Discrete inputs")
    String discreteInputs() default "0-9999";

    @AttributeDefinition(name = "Holding register values", description = "Entries address=v1,v2,... (decimal or 0x hex)")
    String[] holdingRegisterValues() default {};

    @AttributeDefinition(name = "Input register values")
    String[] inputRegisterValues() default {};

    @AttributeDefinition(name = "Coil values", description = "Entries address=0,1,...")
    String[] coilValues() default {};

    @AttributeDefinition(name = "Discrete input values")
    String[] discreteInputValues() default {};

    @AttributeDefinition(name = "Accept FC22", description = "Mask write register; else answer exception 01")
    boolean maskWrites() default true;

    @AttributeDefinition(name = "Max connections", min = "1")
    int maxConnections() default 16;

    @AttributeDefinition(name = "Idle timeout (s)", description = "A client silent this long is disconnected", min = "1")
    int idleTimeoutSeconds() default 300;
}
