// torch.uint16, uint32 and uint64: PyTorch 2.3's unsigned types. Against a
// libtorch that has them, what tensor() makes of ints, the overflows, the
// values read back, type() and the ops libtorch lacks are Python's
// (scripts/golden/unsigned_dtypes.py); against an older one (1.13), using
// one is an error naming the function and the libtorch that has them.
import test from 'ava';

import torch, { type Tensor } from '../lib';
import { HAS_WIDE_UNSIGNED } from '../lib/dtype';
import { LIBTORCH_VERSION } from '../lib/_libtorch_version';
import { fixture } from './_helpers';

type Outcome = { dtype: string; values: (string | number | boolean)[]; type: string } | { error: string; message: string };

interface Golden {
  made: Record<string, Outcome>;
  ops: Record<string, Outcome>;
  item: number;
  repr: string;
  itemsize: number[];
  is_signed: boolean[];
}

const UNSIGNED = { uint16: torch.uint16, uint32: torch.uint32, uint64: torch.uint64 } as const;

/** What a call gave, in the golden's terms: its dtype, values (integers as exact strings) and type(), or its error's message. */
function outcome(fn: () => Tensor): { dtype: string; values: (string | number | boolean)[]; type: string } | { message: string } {
  try {
    const t = fn();
    const d = t.dtype;
    const values = d.is_floating_point || d === torch.bool ? (t.tolist() as (number | boolean)[]) : Array.from(t.toTypedArray() as ArrayLike<number | bigint>, String);
    return { dtype: d.name, values, type: t.type() };
  } catch (e) {
    return { message: (e as Error).message.split('\n')[0] };
  }
}

/**
 * Python's outcome as torchts gives it: an error's words inside ours, which
 * may name the function first, and the value that overflowed ("value 65536
 * cannot be converted ..." where Python says "value cannot be converted ...").
 */
function sameOutcome(t: import('ava').ExecutionContext, got: ReturnType<typeof outcome>, want: Outcome, what: string): void {
  if ('error' in want) {
    const words = 'message' in got ? got.message.replace(/\bvalue -?\d+ cannot/, 'value cannot') : null;
    t.true(words !== null && words.includes(want.message), `${what}: ${JSON.stringify(got)} should fail with Python's "${want.message}"`);
  } else {
    t.deepEqual(got, want, what);
  }
}

// Each test is declared against either libtorch, and skipped where it does
// not apply with the reason in its title (scripts/count_tests.js counts a
// skipped test as reported, a missing one as failed).
const withThem = HAS_WIDE_UNSIGNED ? test : test.skip;
const withoutThem = HAS_WIDE_UNSIGNED ? test.skip : test;
const ONLY_WITH = HAS_WIDE_UNSIGNED ? '' : ` [skipped: libtorch ${LIBTORCH_VERSION} has no unsigned dtypes, which PyTorch 2.3 added]`;
const ONLY_WITHOUT = HAS_WIDE_UNSIGNED ? ` [skipped: libtorch ${LIBTORCH_VERSION} has them]` : '';
// The fixture exists only where Python has the dtypes (test/fixtures/torch-2.6/).
const golden = (): Golden => fixture<Golden>('unsigned_dtypes.json');

withThem(`tensor() of ints as each unsigned dtype: Python's values, wraps and overflows${ONLY_WITH}`, (t) => {
  for (const [key, want] of Object.entries(golden().made)) {
    const [name, given] = key.split(':') as [keyof typeof UNSIGNED, string];
    const d = UNSIGNED[name];
    const build = given === 'float' ? () => torch.tensor([1.5, 2.0], { dtype: d })
      : given === 'zeros' ? () => torch.zeros(2, { dtype: d })
      : () => {
        const v = BigInt(given);
        // A value a double holds exactly goes in as a number, as most code passes one; the rest as a BigInt.
        return torch.tensor([v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v], { dtype: d });
      };
    sameOutcome(t, outcome(build), want, key);
  }
});

withThem(`ops on uint16: what libtorch implements gives Python's values, what it lacks its error${ONLY_WITH}`, (t) => {
  const x = torch.tensor([1, 65535], { dtype: torch.uint16 });
  const ops: Record<string, () => Tensor> = {
    eq: () => x.eq(1),
    float: () => x.float(),
    to_int32: () => x.to(torch.int32),
    add: () => x.add(x),
    bitwise_and: () => x.bitwise_and(x),
    max: () => x.max().reshape(1),
    promote: () => x.add(torch.tensor([1], { dtype: torch.int16 })),
    from_int32: () => torch.tensor([7, 70000], { dtype: torch.int32 }).to(torch.uint16),
  };
  const want = golden().ops;
  t.deepEqual(Object.keys(ops).sort(), Object.keys(want).sort());
  for (const [name, fn] of Object.entries(ops)) sameOutcome(t, outcome(fn), want[name], name);
});

withThem(`item, printing, typed arrays and the dtype objects are Python's${ONLY_WITH}`, (t) => {
  const g = golden();
  const x = torch.tensor([1, 65535], { dtype: torch.uint16 });
  t.is(x.select(0, 1).item(), g.item);
  t.is(String(x), g.repr);
  t.deepEqual([torch.uint16.itemsize, torch.uint32.itemsize, torch.uint64.itemsize], g.itemsize);
  t.deepEqual([torch.uint16.is_signed, torch.uint32.is_signed, torch.uint64.is_signed], g.is_signed);
  t.is(torch.tensor(new Uint16Array([3, 65535])).dtype, torch.uint16);
  t.is(torch.tensor(new Uint32Array([3])).dtype, torch.uint32);
  const big = torch.tensor(new BigUint64Array([2n ** 64n - 1n]));
  t.deepEqual([...(big.toTypedArray() as BigUint64Array)], [2n ** 64n - 1n]);
  // Beyond 2^53 a JS number is not exact: refused, with where to read it exactly.
  t.throws(() => big.tolist(), { instanceOf: RangeError, message: /uint64 value 18446744073709551615 .* BigUint64Array/ });
  t.throws(() => big.item(), { instanceOf: RangeError, message: /uint64 value 18446744073709551615/ });
});

withoutThem(`against a libtorch before 2.3, an unsigned dtype is an error naming the function and the libtorch that has it${ONLY_WITHOUT}`, (t) => {
  const needs = (name: string) => new RegExp(`torch\\.${name} needs libtorch 2\\.3 or newer .*this libtorch is ${LIBTORCH_VERSION.replace(/\./g, '\\.')}`);
  t.throws(() => torch.zeros(2, { dtype: torch.uint16 }), { instanceOf: TypeError, message: /^aten::zeros: argument 'dtype': torch\.uint16 needs libtorch 2\.3/ });
  t.throws(() => torch.ones(2).to(torch.uint32), { instanceOf: TypeError, message: needs('uint32') });
  t.throws(() => torch.tensor([1], { dtype: torch.uint64 }), { instanceOf: TypeError, message: needs('uint64') });
  // A Uint16Array stays what it was before 2.3: a sequence of numbers (int64).
  t.is(torch.tensor(new Uint16Array([1, 2])).dtype, torch.int64);
  t.is(torch.uint16.name, 'uint16');
});
