#!/usr/bin/python3
"""Writes doubles (as raw 64-bit patterns in hex) and Python's repr() of each, for PythonNumbersTest.

Regenerate with
    /usr/bin/python3 engine-bundle/src/test/python/float_repr_oracle.py > \
        engine-bundle/src/test/resources/dev/pathpoint/engine/internal/reparse/python-float-repr.tsv
"""
import random
import struct
import sys


def bits(value):
    return struct.unpack('>Q', struct.pack('>d', value))[0]


def main():
    rng = random.Random(7)
    values = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 1e16, 1e15, 9999999999999998.0, 1e-4, 1e-5,
              0.0001234, 123456789012345678.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 100.0,
              1e22, 1e23, 2.0 ** 53, 2.0 ** 53 + 2, 0.5, 1.5, 94.4, 4.35, 2.675, float('inf'), float('-inf'), float('nan')]
    patterns = [bits(v) for v in values]
    patterns += [rng.getrandbits(64) for _ in range(1500)]  # any pattern: every exponent, NaNs included
    patterns += [bits(rng.uniform(-1e6, 1e6)) for _ in range(500)]
    patterns += [bits(float(rng.randint(-10 ** 6, 10 ** 6)) / rng.choice([1, 10, 100, 1000, 3, 7])) for _ in range(500)]
    patterns += [bits(struct.unpack('f', struct.pack('f', rng.uniform(-1000, 1000)))[0]) for _ in range(500)]
    lines = []
    for pattern in patterns:
        value = struct.unpack('>d', struct.pack('>Q', pattern))[0]
        lines.append('%016x\t%s' % (pattern, repr(value)))
    sys.stdout.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
