package dev.pathpoint.distribution.it;

import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import dev.pathpoint.testing.FreePorts;
import java.net.InetAddress;

/**
 * A Modbus TCP device for tests that must outlive the Modbus bundle (whose embedded simulator goes
 * away when the bundle is updated): j2mod's own slave, on a free loopback port.
 */
final class DeviceServer implements AutoCloseable {
    private final ModbusSlave slave;
    private final SimpleProcessImage image;
    private final int port;

    DeviceServer(int unitId, int registers) throws Exception {
        this.port = FreePorts.pick();
        this.image = new SimpleProcessImage(unitId);
        for (int i = 0; i < registers; i++) {
            image.addRegister(new SimpleRegister(0));
        }
        this.slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 8, false);
        slave.addProcessImage(unitId, image);
        slave.open();
    }

    int port() {
        return port;
    }

    /** The register's value as the device holds it now. */
    int register(int address) {
        return image.getRegister(address).getValue();
    }

    @Override
    public void close() {
        ModbusSlaveFactory.close(slave);
    }
}
