"""A Modbus TCP device on pymodbus 3.0.0 for the hardening tests (the peer is pymodbus, not our code).

Every unit holds holding registers 0..299 with value = unit * 1000 + address (zero-based addresses,
zero_mode=True), so a value read tells which unit and address answered it.
Usage: modbus_device.py PORT UNIT[,UNIT...]
"""
import logging
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartTcpServer
from pymodbus.transaction import ModbusSocketFramer

REGISTERS = 300


def unit_context(unit):
    return ModbusSlaveContext(
        hr=ModbusSequentialDataBlock(0, [unit * 1000 + address for address in range(REGISTERS)]),
        zero_mode=True,
    )


def main():
    logging.basicConfig(level=logging.ERROR)
    port = int(sys.argv[1])
    units = [int(unit) for unit in sys.argv[2].split(",")]
    context = ModbusServerContext(slaves={unit: unit_context(unit) for unit in units}, single=False)
    StartTcpServer(context=context, framer=ModbusSocketFramer, address=("127.0.0.1", port), allow_reuse_address=True)


if __name__ == "__main__":
    main()
