#!/usr/bin/python3
"""Writes expressions and the values Python gives them, for ReparsePythonOracleTest.

The seed library evaluates reparse expressions with Python's eval(), so Python itself is the oracle
for the language (operators, precedence, the builtins min max float int str bool). Each random
expression tree is rendered to text with as few parentheses as Python's precedence needs (plus a few
spare ones), evaluated node by node with Python's operators to see whether any intermediate leaves the
bounds of the Java implementation (64-bit integers, texts of 4096 characters), and checked against
eval() of its text, which proves the rendering means the tree.

Output lines: EXPRESSION <TAB> KIND:VALUE, KIND one of int float str bool (VALUE as Python's str()),
or "error" when Python raises (or a bound is crossed). Regenerate with
    /usr/bin/python3 -W ignore engine-bundle/src/test/python/reparse_oracle.py > \
        engine-bundle/src/test/resources/dev/pathpoint/engine/internal/reparse/python-oracle.tsv
"""
import math
import operator
import random
import sys

LOW, HIGH = -2 ** 63, 2 ** 63 - 1
MAX_TEXT = 4096
ENV = {'__builtins__': {}, 'min': min, 'max': max, 'float': float, 'int': int, 'str': str, 'bool': bool}


class Bound(Exception):
    """The Java implementation refuses this (a bound), where Python would go on."""


INTS = ['0', '1', '2', '3', '7', '10', '42', '255', '65535', '1_000', '0x1F', '0o17', '0b1011', '0xffff',
        '4611686018427387904', '9223372036854775807', '3037000499', '00']
FLOATS = ['0.0', '1.5', '0.1', '.25', '2.', '1e3', '1E-3', '1_0.5', '1e308', '1e-320', '3.0', '2.5e-5',
          '123456789.125', '0.3', '1e16', '1e22', '7.0e-1']
TEXTS = ["''", "'a'", "'ab'", "'Ab c'", "' 12 '", "'-7'", "'1_000'", "'3.25'", "'1e3'", "'inf'", "'-nan'",
         "'0x1f'", "'0b11'", "'  '", "'12a'", "'007'", "'0o17'", "'1__0'", "'+5'", '"xyz"', "'z'", "'0'",
         "'9223372036854775808'", "'-9223372036854775808'", "'1.'", "'.5'", "'Infinity'", "'1e'"]
BINARY = {'|': 6, '^': 7, '&': 8, '<<': 9, '>>': 9, '+': 10, '-': 10, '*': 11, '/': 11, '//': 11, '%': 11}
COMPARE = ['<', '<=', '>', '>=', '==', '!=', 'in', 'not in']
FUNCS = ['min', 'max', 'float', 'int', 'str', 'bool']
OPS = {'|': operator.or_, '^': operator.xor, '&': operator.and_, '<<': operator.lshift, '>>': operator.rshift,
       '+': operator.add, '-': operator.sub, '*': operator.mul, '/': operator.truediv, '//': operator.floordiv,
       '%': operator.mod, '**': operator.pow}
CMPS = {'<': operator.lt, '<=': operator.le, '>': operator.gt, '>=': operator.ge, '==': operator.eq,
        '!=': operator.ne, 'in': lambda a, b: a in b, 'not in': lambda a, b: a not in b}


def leaf(rng, flavour):
    kind = rng.random()
    if flavour == 'number':
        if kind < 0.55:
            return ('lit', rng.choice(INTS))
        if kind < 0.9:
            return ('lit', rng.choice(FLOATS))
        return ('lit', rng.choice(['True', 'False']))
    if flavour == 'text':
        if kind < 0.8:
            return ('lit', rng.choice(TEXTS))
        return ('lit', rng.choice(['0', '1', '2', '3', 'True']))
    if kind < 0.4:
        return ('lit', rng.choice(INTS))
    if kind < 0.7:
        return ('lit', rng.choice(FLOATS))
    if kind < 0.9:
        return ('lit', rng.choice(TEXTS))
    return ('lit', rng.choice(['True', 'False']))


def tree(rng, depth, flavour):
    """Numbers only, texts (with a few small ints), or anything: uniform trees fail less often."""
    if depth == 0 or rng.random() < 0.2:
        return leaf(rng, flavour)
    kind = rng.choice(['bin'] * 8 + ['pow', 'cmp', 'cmp', 'neg', 'pos', 'inv', 'not', 'and', 'or', 'cond',
                                     'call', 'call', 'index', 'slice'])
    sub = lambda: tree(rng, depth - 1, flavour)
    if kind == 'bin':
        return ('bin', rng.choice(list(BINARY)), sub(), sub())
    if kind == 'pow':
        return ('pow', sub(), sub())
    if kind == 'cmp':
        count = rng.choice([1, 1, 2])
        return ('cmp', [rng.choice(COMPARE) for _ in range(count)], [sub() for _ in range(count + 1)])
    if kind in ('neg', 'pos', 'inv', 'not'):
        return (kind, sub())
    if kind in ('and', 'or'):
        return (kind, sub(), sub())
    if kind == 'cond':
        return ('cond', sub(), sub(), sub())
    if kind == 'call':
        name = rng.choice(FUNCS)
        if name in ('min', 'max'):
            arguments = [sub() for _ in range(rng.choice([1, 2, 2, 3]))]
        elif name == 'int' and rng.random() < 0.3:
            arguments = [('lit', rng.choice(TEXTS)), ('lit', rng.choice(['0', '2', '8', '10', '16', '36', '1', '37']))]
        else:
            arguments = [sub() for _ in range(rng.choice([0, 1, 1, 1]))]
        return ('call', name, arguments)
    if kind == 'index':
        return ('index', sub(), ('lit', rng.choice(['0', '1', '2', '-1', '5'])) if rng.random() < 0.7 else sub())
    parts = [rng.choice([None, ('lit', rng.choice(['0', '1', '2', '-1', '10']))]) for _ in range(3)]
    if parts[2] is not None and rng.random() < 0.5:
        parts[2] = ('neg', ('lit', rng.choice(['1', '2'])))
    return ('slice', sub(), parts[0], parts[1], parts[2], rng.random() < 0.5)


def precedence(node):
    return {'cond': 1, 'or': 2, 'and': 3, 'not': 4, 'cmp': 5, 'neg': 12, 'pos': 12, 'inv': 12, 'pow': 13,
            'call': 14, 'index': 14, 'slice': 14, 'lit': 15}.get(node[0]) or BINARY[node[1]]


def render(node, rng, at_least=1):
    text = spell(node, rng)
    if precedence(node) < at_least or rng.random() < 0.05:
        return '(' + text + ')'
    return text


def spell(node, rng):
    kind = node[0]
    if kind == 'lit':
        return node[1]
    if kind == 'bin':
        level = BINARY[node[1]]
        return render(node[2], rng, level) + ' ' + node[1] + ' ' + render(node[3], rng, level + 1)
    if kind == 'pow':
        return render(node[1], rng, 14) + ' ** ' + render(node[2], rng, 12)
    if kind == 'cmp':
        text = render(node[2][0], rng, 6)
        for op, operand in zip(node[1], node[2][1:]):
            text += ' ' + op + ' ' + render(operand, rng, 6)
        return text
    if kind in ('neg', 'pos', 'inv'):
        return {'neg': '-', 'pos': '+', 'inv': '~'}[kind] + render(node[1], rng, 12)
    if kind == 'not':
        return 'not ' + render(node[1], rng, 4)
    if kind == 'and':
        return render(node[1], rng, 3) + ' and ' + render(node[2], rng, 4)
    if kind == 'or':
        return render(node[1], rng, 2) + ' or ' + render(node[2], rng, 3)
    if kind == 'cond':
        return render(node[1], rng, 2) + ' if ' + render(node[2], rng, 2) + ' else ' + render(node[3], rng, 1)
    if kind == 'call':
        return node[1] + '(' + ', '.join(render(a, rng) for a in node[2]) + ')'
    if kind == 'index':
        return render(node[1], rng, 14) + '[' + render(node[2], rng) + ']'
    start, stop, step = (render(p, rng) if p is not None else '' for p in node[2:5])
    inside = start + ':' + stop + (':' + step if node[5] or step else '')
    return render(node[1], rng, 14) + '[' + inside + ']'


def bounded(value):
    if type(value) is int and not LOW <= value <= HIGH:
        raise Bound('int')
    if type(value) is str and len(value) > MAX_TEXT:
        raise Bound('text')
    if type(value) is complex:
        raise Bound('complex')
    return value


def whole(value):
    return type(value) in (int, bool)


def binary(op, a, b):
    if op == '**' and whole(a) and whole(b) and b > 64 and abs(a) > 1:
        raise Bound('int')
    if op == '<<' and whole(a) and whole(b) and b > 64 and a != 0:
        raise Bound('int')
    if op == '*' and ((type(a) is str and whole(b)) or (type(b) is str and whole(a))):
        text, times = (a, b) if type(a) is str else (b, a)
        if text and times > 0 and len(text) * times > MAX_TEXT:
            raise Bound('text')
    if op == '%' and type(a) is str:
        raise Bound('printf')  # Python formats; the Java side refuses
    return bounded(OPS[op](a, b))


def evaluate(node):
    kind = node[0]
    if kind == 'lit':
        return bounded(eval(node[1], ENV))
    if kind == 'bin':
        return binary(node[1], evaluate(node[2]), evaluate(node[3]))
    if kind == 'pow':
        return binary('**', evaluate(node[1]), evaluate(node[2]))
    if kind == 'cmp':
        left = evaluate(node[2][0])
        for op, operand in zip(node[1], node[2][1:]):
            right = evaluate(operand)
            if not CMPS[op](left, right):
                return False
            left = right
        return True
    if kind == 'neg':
        return bounded(-evaluate(node[1]))
    if kind == 'pos':
        return bounded(+evaluate(node[1]))
    if kind == 'inv':
        return bounded(~evaluate(node[1]))
    if kind == 'not':
        return not evaluate(node[1])
    if kind == 'and':
        left = evaluate(node[1])
        return evaluate(node[2]) if left else left
    if kind == 'or':
        left = evaluate(node[1])
        return left if left else evaluate(node[2])
    if kind == 'cond':
        return evaluate(node[1]) if evaluate(node[2]) else evaluate(node[3])
    if kind == 'call':
        return bounded(ENV[node[1]](*[evaluate(a) for a in node[2]]))
    if kind == 'index':
        return evaluate(node[1])[evaluate(node[2])]
    target = evaluate(node[1])
    start, stop, step = (evaluate(p) if p is not None else None for p in node[2:5])
    return target[start:stop:step]


def outcome(function):
    try:
        value = function()
    except Bound:
        return 'bound'
    except (ZeroDivisionError, TypeError, ValueError, OverflowError, IndexError):
        return 'error'
    if isinstance(value, complex):
        return 'error'
    return type(value).__name__ + ':' + str(value)


def main():
    rng = random.Random(20240516)
    seen = set()
    lines = []
    while len(lines) < 5000:
        node = tree(rng, rng.choice([1, 2, 2, 3, 3, 4]), rng.choice(['number', 'number', 'text', 'any']))
        text = render(node, rng)
        if text in seen or '\t' in text:
            continue
        seen.add(text)
        from_tree = outcome(lambda: evaluate(node))
        if from_tree == 'bound':
            from_tree = 'error'  # eval() of the text might compute a huge number: not run
        elif from_tree != outcome(lambda: bounded(eval(text, dict(ENV)))):
            raise SystemExit('rendering does not mean the tree: ' + text)
        if '\n' in from_tree or '\t' in from_tree or (from_tree == 'error' and rng.random() < 0.7):
            continue  # most random trees fail: keep a third of the failures
        lines.append(text + '\t' + from_tree)
    sys.stdout.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
