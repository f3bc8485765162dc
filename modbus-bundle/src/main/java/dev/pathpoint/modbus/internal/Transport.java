package dev.pathpoint.modbus.internal;

/** How a connection reaches its device. */
public enum Transport {
    /** Modbus TCP (MBAP framing) to host:port. */
    TCP,
    /** Modbus RTU on a serial port. */
    RTU,
    /** Modbus RTU frames (with CRC) over a TCP socket, as serial-to-Ethernet converters speak. */
    RTU_OVER_TCP,
    /** Modbus over UDP (MBAP framing, one frame per datagram). */
    UDP
}
