// Python's random module (lib/python/random.ts) against CPython's own draws
// (scripts/golden/python_random.py): every seed kind, then a run of calls
// replayed call for call, equal exactly; and Python's errors for bad input.
import test from 'ava';

import * as random from '../lib/python/random';
import { Random } from '../lib/python/random';
import { fixture } from './_helpers';

type Json = number | string | boolean | null | Json[] | { int: string } | { bytes: string } | { [k: string]: Json };
interface Case {
  kind: 'int' | 'bigint' | 'float' | 'bool' | 'str' | 'bytes';
  seed: number | string | boolean;
  version: number;
  state_head: number[];
  state_sum: number;
  state_index: number;
  results: Json[];
}
const golden = fixture<{ calls: [string, Json[], Record<string, Json>][]; cases: Case[]; module_level: Json[] }>('python_random.json');

/** A JSON value as the JS call takes it: {"int"} as a bigint, {"bytes"} as a Uint8Array. */
function dec(v: Json): unknown {
  if (Array.isArray(v)) return v.map(dec);
  if (v !== null && typeof v === 'object' && 'int' in v) return BigInt(v.int as string);
  if (v !== null && typeof v === 'object' && 'bytes' in v) return Uint8Array.from(Buffer.from(v.bytes as string, 'hex'));
  return v;
}

/** A result as the fixture holds it: ints beyond 2**53 (bigints) as {"int"}, bytes as {"bytes"}. */
function enc(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(enc);
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) && BigInt(Number(v)) === v ? Number(v) : { int: v.toString() };
  if (v instanceof Uint8Array) return { bytes: Buffer.from(v).toString('hex') };
  return v;
}

function seedOf(c: Case): unknown {
  switch (c.kind) {
    case 'bigint': return BigInt(c.seed as string);
    case 'float': return c.seed === 'inf' ? Infinity : c.seed === '-inf' ? -Infinity : Number(c.seed);
    case 'bytes': return Uint8Array.from(Buffer.from(c.seed as string, 'hex'));
    default: return c.seed;
  }
}

for (const c of golden.cases) {
  test(`seed(${c.kind} ${String(c.seed)}, version=${c.version}) gives Python's state and Python's draws`, (t) => {
    const rng = new Random();
    rng.seed(seedOf(c) as random.Seed, c.version);
    const [version, state, gaussNext] = rng.getstate();
    t.is(version, 3);
    t.is(gaussNext, null);
    t.deepEqual(state.slice(0, 4), c.state_head);
    t.is(state.slice(0, 624).reduce((a, b) => a + b, 0), c.state_sum);
    t.is(state[624], c.state_index);
    golden.calls.forEach(([name, args, kwargs], i) => {
      const a = args.map(dec);
      const call = Object.keys(kwargs).length > 0 ? [...a, Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, dec(v)]))] : a;
      let got: unknown;
      if (name === 'random_n') {
        for (let n = 0; n < (a[0] as number); n++) got = rng.random();
      } else if (name === 'shuffle') {
        const x = [...(a[0] as unknown[])];
        t.is(rng.shuffle(x), undefined);
        got = x;
      } else {
        got = (rng as any)[name](...call);
      }
      t.deepEqual(enc(got), c.results[i], `call ${i}: ${name}(${JSON.stringify(args)}, ${JSON.stringify(kwargs)})`);
    });
  });
}

test('the module-level functions draw from one generator that random.seed seeds', (t) => {
  // random.seed(2024); [random.random(), random.randrange(100), random.choice('xyz'), random.sample(range(50), 3)]
  random.seed(2024);
  t.deepEqual([random.random(), random.randrange(100), random.choice('xyz'), random.sample(Array.from({ length: 50 }, (_, i) => i), 3)], golden.module_level);
  random.seed(2024);
  t.is(random.random(), golden.module_level[0] as number);
});

test('number arguments give numbers and bigint ones bigints, whatever the value drawn', (t) => {
  const rng = new Random(3);
  t.is(typeof rng.getrandbits(53), 'number');
  t.is(typeof rng.getrandbits(3n), 'bigint');
  t.is(typeof rng.randrange(10), 'number');
  t.is(typeof rng.randrange(10n), 'bigint');
  t.is(typeof rng.randint(0, 1n), 'bigint');
});

test('getstate and setstate restore the draws', (t) => {
  const rng = new Random(99);
  rng.random();
  const state = rng.getstate();
  const first = [rng.random(), rng.randrange(1000), rng.getrandbits(40)];
  rng.setstate(state);
  t.deepEqual([rng.random(), rng.randrange(1000), rng.getrandbits(40)], first);
  // Another generator takes the same state.
  const other = new Random(1);
  other.setstate(state);
  t.is(other.random(), first[0]);
});

test('seed() without a seed draws from the system, differently each time', (t) => {
  const a = new Random();
  const b = new Random();
  t.not(a.random(), b.random());
});

test("bad input gets Python's errors, naming the function", (t) => {
  const rng = new Random(0);
  // random.seed([1]) -> TypeError: The only supported seed types are: None, int, float, str, bytes, and bytearray.
  t.throws(() => rng.seed([1] as any), { instanceOf: TypeError, message: /^seed\(\): The only supported seed types are: None,\nint, float, str, bytes, and bytearray\. Got an array$/ });
  t.throws(() => rng.seed(NaN), { instanceOf: RangeError, message: /seed\(\): a NaN seed is refused/ });
  t.throws(() => rng.seed(2 ** 60), { instanceOf: RangeError, message: /beyond 2\*\*53.*pass the int as a bigint/ });
  t.throws(() => rng.seed('abc', 3), { instanceOf: RangeError, message: /version 1 or 2, got version=3/ });
  // random.getrandbits(-1) -> ValueError: number of bits must be non-negative
  t.throws(() => rng.getrandbits(-1), { instanceOf: RangeError, message: 'getrandbits(): number of bits must be non-negative' });
  t.throws(() => rng.getrandbits(64), { instanceOf: RangeError, message: /64 bits do not fit a number exactly.*getrandbits\(64n\)/ });
  t.throws(() => rng.getrandbits(2.5), { instanceOf: TypeError, message: 'getrandbits(): k must be an int, got number 2.5' });
  // random.randrange(0) -> ValueError: empty range for randrange()
  t.throws(() => rng.randrange(0), { instanceOf: RangeError, message: 'randrange(): empty range for randrange()' });
  // random.randrange(5, 5) -> ValueError: empty range for randrange() (5, 5, 0)
  t.throws(() => rng.randrange(5, 5), { instanceOf: RangeError, message: 'randrange(): empty range for randrange() (5, 5, 0)' });
  t.throws(() => rng.randrange(5n, 5n), { instanceOf: RangeError, message: 'randrange(): empty range for randrange() (5, 5, 0)' });
  // random.randrange(0, 10, 0) -> ValueError: zero step for randrange()
  t.throws(() => rng.randrange(0, 10, 0), { instanceOf: RangeError, message: 'randrange(): zero step for randrange()' });
  // random.randrange(10, 0, 2) -> ValueError: empty range for randrange()
  t.throws(() => rng.randrange(10, 0, 2), { instanceOf: RangeError, message: 'randrange(): empty range for randrange()' });
  // random.randrange(10, None, 2) -> TypeError: Missing a non-None stop argument
  t.throws(() => rng.randrange(10, null, 2), { instanceOf: TypeError, message: 'randrange(): Missing a non-None stop argument' });
  // random.randrange(2.5) -> ValueError: non-integer arg 1 for randrange()
  t.throws(() => rng.randrange(2.5), { instanceOf: RangeError, message: 'randrange(): non-integer arg 1 for randrange(), got 2.5' });
  t.throws(() => rng.randrange('3' as any), { instanceOf: TypeError, message: "randrange(): start must be an int, got string '3'" });
  t.throws(() => rng.randrange(0, 2 ** 60), { instanceOf: RangeError, message: /randrange\(\): 1152921504606847000 is beyond 2\*\*53, where numbers are not exact ints; pass bigints/ });
  t.throws(() => rng.randrange(-(2 ** 52), 2 ** 52), { instanceOf: RangeError, message: /the range's width .* is beyond 2\*\*53; pass bigints/ });
  // random.randint(3, 1) -> ValueError: empty range for randrange() (3, 2, -1)
  t.throws(() => rng.randint(3, 1), { instanceOf: RangeError, message: 'randint(): empty range for randrange() (3, 2, -1)' });
  // random.choice([]) -> IndexError: Cannot choose from an empty sequence
  t.throws(() => rng.choice([]), { instanceOf: RangeError, message: 'choice(): Cannot choose from an empty sequence' });
  t.throws(() => rng.choice(new Set([1]) as any), { instanceOf: TypeError, message: /choice\(\): seq must be a sequence/ });
  // random.shuffle('abc') -> TypeError: 'str' object does not support item assignment
  t.throws(() => rng.shuffle('abc' as any), { instanceOf: TypeError, message: /shuffle\(\): x must be an array .*does not support item assignment/ });
  // random.sample({1, 2}, 1) -> TypeError: Population must be a sequence.  For dicts or sets, use sorted(d).
  t.throws(() => rng.sample(new Set([1, 2]) as any, 1), { instanceOf: TypeError, message: /^sample\(\): Population must be a sequence\.  For dicts or sets, use sorted\(d\)\./ });
  // random.sample([1, 2], 3) -> ValueError: Sample larger than population or is negative
  t.throws(() => rng.sample([1, 2], 3), { instanceOf: RangeError, message: 'sample(): Sample larger than population or is negative' });
  t.throws(() => rng.sample([1, 2], -1), { instanceOf: RangeError, message: 'sample(): Sample larger than population or is negative' });
  // random.sample([1, 2], 1, counts=[1]) -> ValueError: The number of counts does not match the population
  t.throws(() => rng.sample([1, 2], 1, { counts: [1] }), { instanceOf: RangeError, message: 'sample(): The number of counts does not match the population' });
  // random.sample([1, 2], 1, counts=[1.5, 1]) -> TypeError: Counts must be integers
  t.throws(() => rng.sample([1, 2], 1, { counts: [1.5, 1] }), { instanceOf: TypeError, message: 'sample(): Counts must be integers' });
  // random.sample([1, 2], 1, counts=[0, 0]) -> ValueError: Total of counts must be greater than zero
  t.throws(() => rng.sample([1, 2], 1, { counts: [0, 0] }), { instanceOf: RangeError, message: 'sample(): Total of counts must be greater than zero' });
  // random.choices([1, 2], 3) -> TypeError: The number of choices must be a keyword argument: k=3
  t.throws(() => rng.choices([1, 2], 3 as any), { instanceOf: TypeError, message: 'choices(): The number of choices must be a keyword argument: k=3' });
  // random.choices([1, 2], [1], cum_weights=[1]) -> TypeError: Cannot specify both weights and cumulative weights
  t.throws(() => rng.choices([1, 2], [1], { cum_weights: [1] }), { instanceOf: TypeError, message: 'choices(): Cannot specify both weights and cumulative weights' });
  // random.choices([1, 2], [1]) -> ValueError: The number of weights does not match the population
  t.throws(() => rng.choices([1, 2], [1]), { instanceOf: RangeError, message: 'choices(): The number of weights does not match the population' });
  // random.choices([1, 2], [0, 0]) -> ValueError: Total of weights must be greater than zero
  t.throws(() => rng.choices([1, 2], [0, 0]), { instanceOf: RangeError, message: 'choices(): Total of weights must be greater than zero' });
  // random.choices([1, 2], [1, float('inf')]) -> ValueError: Total of weights must be finite
  t.throws(() => rng.choices([1, 2], [1, Infinity]), { instanceOf: RangeError, message: 'choices(): Total of weights must be finite' });
  // random.choices([]) -> IndexError: list index out of range
  t.throws(() => rng.choices([]), { instanceOf: RangeError, message: /^choices\(\): list index out of range/ });
  t.throws(() => rng.choices([1, 2], ['a', 1] as any), { instanceOf: TypeError, message: "choices(): weights[0] must be a number, got string 'a'" });
  // random.choice([1], 2) -> TypeError (too many arguments); unknown keywords too
  t.throws(() => (rng.choice as any)([1], 2), { instanceOf: TypeError, message: /choice\(\) takes 1 positional argument but 2 were given/ });
  t.throws(() => rng.choices([1, 2], { n: 3 } as any), { instanceOf: TypeError, message: "choices() got an unexpected keyword argument 'n'" });
  t.throws(() => rng.uniform('a' as any, 1), { instanceOf: TypeError, message: "uniform(): a must be a number, got string 'a'" });
  // random.setstate((3, (0,) * 624 + (625,), None)) -> ValueError: invalid state
  t.throws(() => rng.setstate([3, [...new Array(624).fill(0), 625], null]), { instanceOf: RangeError, message: 'setstate(): invalid state' });
  t.throws(() => rng.setstate([3, [1, 2], null]), { instanceOf: RangeError, message: 'setstate(): state vector is the wrong size' });
  t.throws(() => rng.setstate([2, [], null] as any), { instanceOf: RangeError, message: 'setstate(): state with version 2 passed to Random.setstate() of version 3' });
});
