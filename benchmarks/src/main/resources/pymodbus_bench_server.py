"""An independent Modbus TCP server for the read-planning benchmark, on pymodbus 3.0.0.

Unit 1 holds holding registers 0..COUNT-1 (zero-based, zero_mode=True), register n = n % 65536.
Usage: pymodbus_bench_server.py PORT COUNT
"""
import logging
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartTcpServer
from pymodbus.transaction import ModbusSocketFramer


def main():
    logging.basicConfig(level=logging.ERROR)
    port, count = int(sys.argv[1]), int(sys.argv[2])
    unit = ModbusSlaveContext(hr=ModbusSequentialDataBlock(0, [n % 65536 for n in range(count)]), zero_mode=True)
    context = ModbusServerContext(slaves={1: unit}, single=False)
    StartTcpServer(context=context, framer=ModbusSocketFramer, address=("127.0.0.1", port), allow_reuse_address=True)


if __name__ == "__main__":
    main()
