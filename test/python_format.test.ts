// Python's format(value, format_spec) (lib/python/builtins.ts) against
// CPython 3.11 (scripts/golden/python_format.py): every value of the script
// against every spec, string for string, and its errors. A Python float with
// an integral value travels as a 0-dim float64 Tensor (a JS number 3 is
// Python's int 3), which formats as its item() does in Python.
import test from 'ava';

import torch from '../lib';
import { format } from '../lib/python/builtins';
import { fixture } from './_helpers';

type Value = { int: string } | { float: string } | string | boolean;
type Result = string | { error: string; message: string };
const golden = fixture<{ specs: string[]; values: { value: Value; results: Result[] }[]; errors: Record<string, { ok: string } | { error: string; message: string }> }>('python_format.json');

function decode(v: Value): unknown {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if ('int' in v) {
    const n = BigInt(v.int);
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  const x = v.float === 'inf' ? Infinity : v.float === '-inf' ? -Infinity : Number(v.float);
  return Number.isInteger(x) || Object.is(x, -0) ? torch.tensor(x, { dtype: torch.float64 }) : x;
}

for (const { value, results } of golden.values) {
  test(`format(${JSON.stringify(value)}, spec) for every spec as Python's`, (t) => {
    const v = decode(value);
    golden.specs.forEach((spec, i) => {
      const want = results[i];
      if (typeof want === 'string') {
        t.is(format(v, spec), want, `spec '${spec}'`);
      } else {
        const err = t.throws(() => format(v, spec), undefined, `spec '${spec}' should fail: ${want.message}`);
        t.is(err?.message, `format(): ${want.message}`, `spec '${spec}'`);
        t.true(want.error === 'TypeError' ? err instanceof TypeError : err instanceof RangeError, `spec '${spec}': ${want.error}`);
      }
    });
  });
}

test("bad specs get Python's ValueErrors (RangeErrors here)", (t) => {
  for (const [key, want] of Object.entries(golden.errors)) {
    const [kind, spec] = key.split(' ');
    const v = kind === 'int' ? 5 : kind === 'float' ? 2.5 : 'ab';
    if ('ok' in want) {
      t.is(format(v, spec), want.ok, key);
      continue;
    }
    t.throws(() => format(v, spec), { instanceOf: RangeError, message: `format(): ${want.message}` }, key);
  }
});

test('a tensor formats as Tensor.__format__ does: 0-dim as its item, others only as str()', (t) => {
  // f"{torch.tensor(0.5):.3f}", f"{torch.tensor(2.0)}", f"{torch.tensor(7)}", f"{torch.tensor(True)}"
  t.is(format(torch.tensor(0.5), '.3f'), '0.500');
  t.is(format(torch.tensor(2, { dtype: torch.float32 })), '2.0');
  t.is(format(torch.tensor(2, { dtype: torch.float32 }), '.3'), '2.0');
  t.is(format(torch.tensor(7)), '7');
  t.is(format(torch.tensor(7), '03d'), '007');
  t.is(format(torch.tensor(true)), 'True');
  t.is(format(torch.tensor([1, 2])), String(torch.tensor([1, 2])));
  // format(torch.tensor([1., 2.]), '.2f') -> TypeError: unsupported format string passed to Tensor.__format__
  t.throws(() => format(torch.tensor([1, 2]), '.2f'), { instanceOf: TypeError, message: 'format(): unsupported format string passed to Tensor.__format__' });
  t.is(format(null), 'None');
  t.throws(() => format(null, '5'), { instanceOf: TypeError, message: 'format(): unsupported format string passed to NoneType.__format__' });
  t.throws(() => format({}, ''), { instanceOf: TypeError, message: /format\(\): cannot format Object/ });
  t.throws(() => format(2 ** 60, 'd'), { instanceOf: RangeError, message: /beyond 2\*\*53/ });
  t.is(format(2n ** 60n, ',d'), '1,152,921,504,606,846,976');
  // A number 3 is Python's int 3: format(3, '.1') -> ValueError: Precision not allowed in integer format specifier
  t.throws(() => format(3, '.1'), { instanceOf: RangeError, message: 'format(): Precision not allowed in integer format specifier' });
  t.is(format(3, '.1f'), '3.0');
});
