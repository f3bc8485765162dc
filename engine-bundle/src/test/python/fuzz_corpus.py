#!/usr/bin/python3
"""Writes the seed corpus of ReparseExpressionFuzzTest in Jazzer's encoding of a String argument.

Jazzer (0.24) reads a corpus file for a nullable String parameter as: one byte, non-zero for "not
null"; a 4-byte big-endian length; that many bytes of UTF-8. A file holding only the plain text would
be read shifted by five bytes. Regenerate (from the repository root) with
    /usr/bin/python3 engine-bundle/src/test/python/fuzz_corpus.py
"""
import os
import struct

DIRECTORY = 'engine-bundle/src/test/resources/dev/pathpoint/engine/internal/reparse/ReparseExpressionFuzzTestInputs/parse'

SEEDS = {
    'seed-example': 'rf{W1r4002}*0.1+2',
    'distinct-constituents': 'rW{W1r1}+{W1r2}*{W1r1}-{f1r10}',
    'nested-reference': 'rf{rW{W1r1}+{W1r2}}*{W1r1}',
    'nested-too-deep': 'rd{rd{rd{rd{rd{rd{rd{rd{rd{W1r1}+1}+1}+1}+1}+1}+1}+1}+1}+1',
    'precedence': 'rd2**3**2 + -2**2 - 7//2*2 % 3 / 4.5',
    'logic-and-chains': 'rB{W1r1} > 10 and not {W1r2} == 3 or 1 < {W1r3} <= 5',
    'conditional-text': "ru'on' if {B1c1} else 'off'",
    'text-operations': "ru{u1r7#8}[1:3] + str({W1r1}) + '\\x41\\u00e9' + r'\\d' 'x'",
    'sensor-conversions': 'rfkty81({W1r1}) + pt1000({W1r2}) + huba505({f1r3}) + negz({w1r4})',
    'register-functions': 'rfmkflt({W1r1}, {W1r2}) + mkint32({W1r3}, {W1r4}) + d({W1r5}, {W1r6}) + D(1, 2) + ked(30, 20)',
    'builtins': "rdmin({W1r1}, 2.5) + max(1, 2, 3) + float('1e3') + int('ff', 16) + bool('')",
    'division-by-zero': 'rf{W1r1}/0',
    'integer-overflow': 'rw9223372036854775807+1',
    'text-too-long': "ru'ab'*2049",
    'too-deep': 'rf' + '(' * 33 + '1' + ')' * 33,
    'unclosed-parenthesis': 'rf{W1r1}*(2+',
    'unclosed-brace': 'rf{W1r1',
    'unknown-type': 'rq{W1r1}',
    'unknown-function': 'rfabs({W1r1})',
    'named-escape': "rf'\\N{DASH}'",
    'number-forms': 'rf0x1F + 0o17 + 0b11 + 1_000 + .5e-3',
    'leading-zero': 'rf007',
    'type-missing': 'r',
    'not-reparse': 'W1r4002',
    'slice-types': "rf{W1r1}['x'::{W1r2}]",
    'power-errors': 'rf(-8)**0.5 + 0.0**-1 + 10.0**400',
    'too-long': 'rf1' + ' ' * 2046,
}


def main():
    os.makedirs(DIRECTORY, exist_ok=True)
    for name in os.listdir(DIRECTORY):
        if not name.startswith('crash-'):
            os.remove(os.path.join(DIRECTORY, name))
    for name, text in SEEDS.items():
        data = text.encode('utf-8')
        with open(os.path.join(DIRECTORY, name), 'wb') as out:
            out.write(b'\x01' + struct.pack('>i', len(data)) + data)


if __name__ == '__main__':
    main()
