"""A Modbus TCP device on pymodbus 3.0.0 that logs every register write, for the MQTT link's tests.

Unit 7 holds holding registers 0..9999, all 0 at start (zero_mode=True: protocol addresses). Each
register written is appended to the log as one line "ADDRESS VALUE" and flushed, so a test counts how
often each write reached the device, even across restarts of the gateway.
Usage: counting_device.py PORT LOGFILE
"""
import logging
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartTcpServer
from pymodbus.transaction import ModbusSocketFramer

REGISTERS = 10000
UNIT = 7


class CountingBlock(ModbusSequentialDataBlock):
    def __init__(self, log):
        super().__init__(0, [0] * REGISTERS)
        self.log = log

    def setValues(self, address, values):
        super().setValues(address, values)
        if not isinstance(values, list):
            values = [values]
        for offset, value in enumerate(values):
            self.log.write("%d %d\n" % (address + offset, value))
        self.log.flush()


def main():
    logging.basicConfig(level=logging.ERROR)
    port = int(sys.argv[1])
    log = open(sys.argv[2], "a", buffering=1)
    unit = ModbusSlaveContext(hr=CountingBlock(log), zero_mode=True)
    context = ModbusServerContext(slaves={UNIT: unit}, single=False)
    StartTcpServer(context=context, framer=ModbusSocketFramer, address=("127.0.0.1", port), allow_reuse_address=True)


if __name__ == "__main__":
    main()
