"""A Modbus server on pymodbus 3.0.0 for the driver's tests (not written by us: the peer is pymodbus).

Image, the same for units 1 and 2 (zero-based addresses, zero_mode=True):
  holding registers 0-99 and 200-299 (100-199 missing: exception 02), value = address * 3
  input registers   0-99, value = 1000 + address
  coils             0-99, value = address % 2
  discrete inputs   0-99, value = 1 if address % 3 == 0 else 0
Unit 3 is a sparse device: holding registers 200-201, 210-211, 220-223 and 230 only (value = address * 3),
everything between answering exception 02.
Usage: pymodbus_server.py tcp|udp|rtu-over-tcp PORT   or   pymodbus_server.py serial DEVICE BAUD
"""
import logging
import sys

from pymodbus.datastore import (ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext,
                                ModbusSparseDataBlock)
from pymodbus.server import StartSerialServer, StartTcpServer, StartUdpServer
from pymodbus.transaction import ModbusRtuFramer, ModbusSocketFramer


def unit_context():
    holding = {address: address * 3 for address in list(range(0, 100)) + list(range(200, 300))}
    return ModbusSlaveContext(
        hr=ModbusSparseDataBlock(holding),
        ir=ModbusSequentialDataBlock(0, [1000 + address for address in range(100)]),
        co=ModbusSequentialDataBlock(0, [address % 2 for address in range(100)]),
        di=ModbusSequentialDataBlock(0, [1 if address % 3 == 0 else 0 for address in range(100)]),
        zero_mode=True,
    )


def sparse_context():
    holding = {address: address * 3 for address in [200, 201, 210, 211, 220, 221, 222, 223, 230]}
    return ModbusSlaveContext(hr=ModbusSparseDataBlock(holding), zero_mode=True)


def main():
    logging.basicConfig(level=logging.WARNING)
    context = ModbusServerContext(slaves={1: unit_context(), 2: unit_context(), 3: sparse_context()}, single=False)
    mode = sys.argv[1]
    if mode == "serial":
        StartSerialServer(context=context, framer=ModbusRtuFramer, port=sys.argv[2], baudrate=int(sys.argv[3]),
                          bytesize=8, parity="N", stopbits=1, timeout=0.05)
        return
    address = ("127.0.0.1", int(sys.argv[2]))
    if mode == "tcp":
        StartTcpServer(context=context, framer=ModbusSocketFramer, address=address, allow_reuse_address=True)
    elif mode == "rtu-over-tcp":
        StartTcpServer(context=context, framer=ModbusRtuFramer, address=address, allow_reuse_address=True)
    elif mode == "udp":
        StartUdpServer(context=context, framer=ModbusSocketFramer, address=address)
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
