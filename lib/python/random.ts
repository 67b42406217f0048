// Python's `random` module (CPython 3.11: Lib/random.py over
// Modules/_randommodule.c), draw for draw, so that Python code that seeds it
// (`random.seed(0)`) and draws from it (torchvision's RandomChoice and
// RandomOrder do) gives the same numbers here:
//
//   import * as random from 'torchts/python/random';
//   random.seed(0);
//   random.random();        // 0.8444218515250481, as Python prints it
//
// The generator is the Mersenne Twister MT19937 (Matsumoto and Nishimura,
// 1998) with CPython's seeding (init_by_array over the seed's 32-bit
// chunks) and CPython's derived draws (random() from two words, ints by
// rejection from getrandbits). The module-level functions are the methods
// of one hidden instance, as Python's are.
//
// Python's ints are unbounded; here an int is a JS number (a safe integer)
// or, where a value may not fit 2**53, a bigint: the result's type follows
// the arguments' (randrange(10n) is a bigint), never the value drawn.
// Left out: the distributions beyond uniform (gauss, normalvariate,
// expovariate, ...), which go through libm's log, exp and cos, and JS's
// Math does not promise glibc's last bit; and SystemRandom.
import { createHash, randomFillSync } from 'node:crypto';

import { def_ } from '../nn/modules/utils';
import { describeValue } from '../_describe';

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** What seed() takes: Python's None, int (number or bigint), float, str, bytes (Uint8Array) and bool. */
export type Seed = number | bigint | string | Uint8Array | boolean | null | undefined;

/** A sequence to draw from: an array, a typed array, a string, anything with length and indices. */
export type Sequence<T> = ArrayLike<T>;

/** Python's state tuple: (version 3, the 624 words and the index, gauss_next). */
export type RandomState = [version: 3, internalstate: number[], gauss_next: number | null];

const seedArgs = def_<{ a: unknown; version: number }>('seed(Any a=None, int version=2)');
// (a C method of random.Random: no keyword suggestion)
const getrandbitsArgs = def_<{ k: unknown }>('getrandbits(Any k)', { builtin: true });
const randbytesArgs = def_<{ n: number }>('randbytes(int n)');
const randrangeArgs = def_<{ start: unknown; stop: unknown; step: unknown }>('randrange(Any start, Any stop=None, Any step=1)');
const randintArgs = def_<{ a: unknown; b: unknown }>('randint(Any a, Any b)');
const choiceArgs = def_<{ seq: unknown }>('choice(Any seq)');
const shuffleArgs = def_<{ x: unknown }>('shuffle(Any x)');
const sampleArgs = def_<{ population: unknown; k: unknown; counts: unknown }>('sample(Any population, Any k, *, Any counts=None)');
const choicesArgs = def_<{ population: unknown; weights: unknown; cum_weights: unknown; k: unknown }>('choices(Any population, Any weights=None, *, Any cum_weights=None, Any k=1)');
const uniformArgs = def_<{ a: unknown; b: unknown }>('uniform(Any a, Any b)');
const setstateArgs = def_<{ state: unknown }>('setstate(Any state)');

/** The number of bits of n >= 0 (Python's int.bit_length()), for n below 2**53. */
function bitLength(n: number): number {
  if (n < 0x100000000) return 32 - Math.clz32(n);
  return 64 - Math.clz32(Math.floor(n / 0x100000000));
}

function bigBitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** abs(n) as little-endian 32-bit words, at least one: how CPython's seed() splits an int. */
function words(n: bigint): Uint32Array {
  let v = n < 0n ? -n : n;
  const out = new Uint32Array(Math.max(1, Math.ceil(bigBitLength(v) / 32)));
  for (let i = 0; i < out.length; i++, v >>= 32n) out[i] = Number(v & 0xffffffffn);
  return out;
}

const f64 = new DataView(new ArrayBuffer(8));
const HASH_MODULUS = (1n << 61n) - 1n;

/**
 * Python's hash() of a float that is not an integer: x = m * 2**e exactly,
 * hashed as the rational m * 2**e modulo the prime 2**61 - 1 (so 2**e is
 * 2**(e mod 61)), with x's sign, -1 made -2; infinities are +-314159.
 */
function floatHash(x: number): bigint {
  if (x === Infinity) return 314159n;
  if (x === -Infinity) return -314159n;
  f64.setFloat64(0, Math.abs(x));
  const hi = f64.getUint32(0);
  const lo = f64.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  const e = ((exponent % 61) + 61) % 61;
  let h = ((mantissa % HASH_MODULUS) << BigInt(e)) % HASH_MODULUS;
  if (x < 0) h = -h;
  return h === -1n ? -2n : h;
}

function isSequence(v: unknown): v is ArrayLike<unknown> {
  if (typeof v === 'string') return true;
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return !(v instanceof DataView);
  return false;
}

/** An int argument: a safe-integer number (a boolean is Python's 0 or 1), or a bigint; null for anything else. */
function asInt(v: unknown): number | bigint | null {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  return null;
}

/** Python's bisect.bisect_right(a, x, lo, hi). */
function bisectRight(a: ArrayLike<number>, x: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < a[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A sequence of numbers (a boolean is Python's 0 or 1), checked. */
function numbers(fn: string, what: string, values: unknown): number[] {
  if (!isSequence(values) || typeof values === 'string') throw new TypeError(`${fn}(): ${what} must be a sequence of numbers, got ${describeValue(values)}`);
  return Array.from(values, (v, i) => {
    const x = typeof v === 'boolean' ? Number(v) : v;
    if (typeof x !== 'number') throw new TypeError(`${fn}(): ${what}[${i}] must be a number, got ${describeValue(v)}`);
    return x;
  });
}

/** Python's itertools.accumulate of numbers: running sums, added left to right as Python adds them. */
function accumulate(fn: string, what: string, values: unknown): number[] {
  const out = numbers(fn, what, values);
  for (let i = 1; i < out.length; i++) out[i] = out[i - 1] + out[i];
  return out;
}

/**
 * Python's random.Random: a Mersenne Twister seeded as CPython seeds it.
 * `new Random(0)` draws what Python's `random.Random(0)` draws.
 */
export class Random {
  static readonly VERSION = 3;
  private readonly mt = new Uint32Array(N);
  private index = N;
  /** Python's cached second normal deviate of gauss(); kept in the state only (gauss is not ported). */
  gauss_next: number | null = null;

  /** Python's Random(x=None): seeded by seed(x). */
  constructor(x?: Seed) {
    this.seed(x);
  }

  // ---------------------------------------------------------------- the generator

  /** MT19937's state from one 32-bit word (Matsumoto and Nishimura's init_genrand). */
  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1];
      mt[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
    }
    this.index = N;
  }

  /** MT19937's state from an array of words (init_by_array), as CPython seeds. */
  private initByArray(key: Uint32Array): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1];
      // Uint32Array stores the sum modulo 2**32, as C's uint32_t arithmetic wraps.
      mt[i] = (mt[i] ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + key[j] + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1];
      mt[i] = (mt[i] ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    // The most significant bit set: the state is never all zeros.
    mt[0] = 0x80000000;
    this.index = N;
  }

  /** The next 32-bit word, tempered (genrand_uint32). */
  private genrand(): number {
    const mt = this.mt;
    if (this.index >= N) {
      let kk = 0;
      let y: number;
      for (; kk < N - M; kk++) {
        y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  // ---------------------------------------------------------------- state

  /**
   * Python's seed(a=None, version=2). An int seeds with all the bits of
   * abs(a); a float that is not an integer (or an infinity) seeds with
   * Python's hash of it; a str (UTF-8) or bytes (Uint8Array) with version 2
   * seeds with int.from_bytes(a + sha512(a)); version 1 with Python 2's
   * string hash; None (undefined) from the system's entropy.
   */
  seed(...args: [a?: Seed, version?: number] | [a: Seed, options: { version?: number }] | [{ a?: Seed; version?: number }]): void {
    let { a, version } = seedArgs(args);
    if (a === undefined || a === null) {
      // As CPython without a seed: N words of system entropy.
      this.initByArray(randomFillSync(new Uint32Array(N)));
      this.gauss_next = null;
      return;
    }
    if (typeof a === 'string' || a instanceof Uint8Array) {
      const bytes = typeof a === 'string' ? Buffer.from(a, 'utf8') : Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      if (version === 1) {
        // Python 2's string hash. A str is hashed by its code points, bytes by their values.
        const codes = typeof a === 'string' ? Array.from(a, (c) => c.codePointAt(0)!) : Array.from(bytes);
        let x = codes.length > 0 ? BigInt(codes[0]) << 7n : 0n;
        for (const c of codes) x = ((1000003n * x) ^ BigInt(c)) & 0xffffffffffffffffn;
        a = x ^ BigInt(codes.length);
      } else if (version === 2) {
        const all = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()]);
        a = BigInt(`0x${all.toString('hex')}`);
      } else {
        // Python would seed with hash(a), which PYTHONHASHSEED randomizes per process.
        throw new RangeError(`seed(): a ${typeof a === 'string' ? 'str' : 'bytes'} seed takes version 1 or 2, got version=${version}`);
      }
    }
    let key: Uint32Array;
    if (typeof a === 'bigint') {
      key = words(a);
    } else if (typeof a === 'boolean') {
      key = words(a ? 1n : 0n);
    } else if (typeof a === 'number') {
      if (Number.isNaN(a)) throw new RangeError('seed(): a NaN seed is refused: Python seeds with the hash of that NaN object, which differs from object to object');
      if (Number.isInteger(a)) {
        if (!Number.isSafeInteger(a)) {
          throw new RangeError(`seed(): ${a} is beyond 2**53, where a number cannot say whether Python's int or float is meant (they seed differently); pass the int as a bigint`);
        }
        key = words(BigInt(a));
      } else {
        // CPython seeds with the hash as an unsigned size_t.
        key = words(BigInt.asUintN(64, floatHash(a)));
      }
    } else {
      throw new TypeError(`seed(): The only supported seed types are: None,\nint, float, str, bytes, and bytearray. Got ${describeValue(a)}`);
    }
    this.initByArray(key);
    this.gauss_next = null;
  }

  /** Python's getstate(): [3, the 624 words and the index, gauss_next]. */
  getstate(): RandomState {
    return [3, [...this.mt, this.index], this.gauss_next];
  }

  /** Python's setstate(state), from what getstate() returned (or Python's tuple, as a list). */
  setstate(...args: [state: RandomState] | [{ state: RandomState }]): void {
    const { state } = setstateArgs(args);
    if (!Array.isArray(state) || state.length !== 3) throw new TypeError(`setstate(): state must be [version, internalstate, gauss_next] as getstate() returns it, got ${describeValue(state)}`);
    const [version, internal, gaussNext] = state as unknown[];
    if (version !== 3) throw new RangeError(`setstate(): state with version ${String(version)} passed to Random.setstate() of version 3`);
    if (!Array.isArray(internal)) throw new TypeError('setstate(): state vector must be a tuple (an array)');
    if (internal.length !== N + 1) throw new RangeError('setstate(): state vector is the wrong size');
    if (!internal.every((w, i) => typeof w === 'number' && Number.isInteger(w) && w >= 0 && (i === N || w <= 0xffffffff))) {
      throw new RangeError('setstate(): the state vector must hold 624 unsigned 32-bit ints and an index');
    }
    const index = internal[N] as number;
    if (index > N) throw new RangeError('setstate(): invalid state');
    if (gaussNext !== null && typeof gaussNext !== 'number') throw new TypeError(`setstate(): gauss_next must be a float or None, got ${describeValue(gaussNext)}`);
    this.mt.set(internal.slice(0, N) as number[]);
    this.index = index;
    this.gauss_next = gaussNext;
  }

  // ---------------------------------------------------------------- draws

  /** A float in [0, 1): 53 random bits, from two words (27 and 26 bits), as CPython's random(). */
  random(): number {
    const a = this.genrand() >>> 5;
    const b = this.genrand() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * An int of k random bits: the words from the least significant up, the
   * last one's low bits dropped. A number k gives a number (k <= 53); a
   * bigint k gives a bigint, of any size.
   */
  getrandbits(k: number): number;
  getrandbits(k: bigint): bigint;
  getrandbits(options: { k: number }): number;
  getrandbits(options: { k: bigint }): bigint;
  getrandbits(...args: unknown[]): number | bigint {
    const { k } = getrandbitsArgs(args);
    if (typeof k === 'bigint') {
      if (k < 0n) throw new RangeError('getrandbits(): number of bits must be non-negative');
      return this.bigBits(k);
    }
    if (typeof k !== 'number' || !Number.isInteger(k)) throw new TypeError(`getrandbits(): k must be an int, got ${describeValue(k)}`);
    if (k < 0) throw new RangeError('getrandbits(): number of bits must be non-negative');
    if (k > 53) throw new RangeError(`getrandbits(): ${k} bits do not fit a number exactly (53 do); ask with a bigint, getrandbits(${k}n), for a bigint`);
    return this.bits(k);
  }

  /** k <= 53 random bits as a number. */
  private bits(k: number): number {
    if (k === 0) return 0;
    if (k <= 32) return this.genrand() >>> (32 - k);
    const low = this.genrand();
    return low + (this.genrand() >>> (64 - k)) * 0x100000000;
  }

  private bigBits(k: bigint): bigint {
    let out = 0n;
    let shift = 0n;
    for (let left = k; left > 0n; left -= 32n, shift += 32n) {
      let r = this.genrand();
      if (left < 32n) r >>>= 32 - Number(left);
      out |= BigInt(r) << shift;
    }
    return out;
  }

  /** Python's randbytes(n): n random bytes, getrandbits(n * 8) little-endian. */
  randbytes(...args: [n: number] | [{ n: number }]): Uint8Array {
    const { n } = randbytesArgs(args);
    if (n < 0) throw new RangeError('randbytes(): number of bits must be non-negative');
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const left = Math.min(4, n - i);
      const r = this.genrand() >>> (32 - 8 * left);
      for (let b = 0; b < left; b++) out[i + b] = (r >>> (8 * b)) & 0xff;
    }
    return out;
  }

  /** An int in [0, n), n > 0, by rejection: getrandbits(n.bit_length()) until below n (_randbelow_with_getrandbits). */
  _randbelow(n: number): number {
    const k = bitLength(n);
    let r = this.bits(k);
    while (r >= n) r = this.bits(k);
    return r;
  }

  private bigRandbelow(n: bigint): bigint {
    const k = BigInt(bigBitLength(n));
    let r = this.bigBits(k);
    while (r >= n) r = this.bigBits(k);
    return r;
  }

  /**
   * Python's randrange(start, stop=None, step=1): an int of range(start,
   * stop, step), or of range(start) with one argument. Numbers give a
   * number; any bigint argument gives a bigint.
   */
  randrange(start: number, stop?: number | null, step?: number): number;
  randrange(start: bigint | number, stop?: bigint | number | null, step?: bigint | number): bigint;
  randrange(start: number, stop: number | null, options: { step?: number }): number;
  randrange(start: number, options: { stop?: number | null; step?: number }): number;
  randrange(options: { start: number; stop?: number | null; step?: number }): number;
  randrange(...args: unknown[]): number | bigint {
    const { start, stop, step } = randrangeArgs(args);
    return this.range('randrange', start, stop, step);
  }

  private range(fn: string, start: unknown, stop: unknown, step: unknown): number | bigint {
    const ordinal = ['arg 1', 'stop', 'step'];
    const values = [start, stop, step].map((v, i) => {
      if (i === 1 && (v === null || v === undefined)) return null;
      const n = asInt(v);
      if (n === null) {
        // Python: int() of a float that is not integral, a ValueError; anything else, int()'s TypeError.
        if (typeof v === 'number') throw new RangeError(`${fn}(): non-integer ${ordinal[i]} for randrange(), got ${v}`);
        throw new TypeError(`${fn}(): ${i === 0 ? 'start' : ordinal[i]} must be an int, got ${describeValue(v)}`);
      }
      return n;
    });
    const big = values.some((v) => typeof v === 'bigint');
    if (big) {
      const [a, b, s] = values.map((v) => (v === null ? null : BigInt(v)));
      if (b === null) {
        if (s !== 1n) throw new TypeError(`${fn}(): Missing a non-None stop argument`);
        if (a! > 0n) return this.bigRandbelow(a!);
        throw new RangeError(`${fn}(): empty range for randrange()`);
      }
      const width = b - a!;
      if (s === 1n) {
        if (width > 0n) return a! + this.bigRandbelow(width);
        throw new RangeError(`${fn}(): empty range for randrange() (${a}, ${b}, ${width})`);
      }
      // Python's floor division: BigInt's / truncates toward zero.
      const floorDiv = (x: bigint, y: bigint) => (x % y !== 0n && x < 0n !== y < 0n ? x / y - 1n : x / y);
      let n: bigint;
      if (s! > 0n) n = floorDiv(width + s! - 1n, s!);
      else if (s! < 0n) n = floorDiv(width + s! + 1n, s!);
      else throw new RangeError(`${fn}(): zero step for randrange()`);
      if (n <= 0n) throw new RangeError(`${fn}(): empty range for randrange()`);
      return a! + s! * this.bigRandbelow(n);
    }
    const [a, b, s] = values as [number, number | null, number];
    for (const v of values) {
      if (v !== null && !Number.isSafeInteger(v)) throw new RangeError(`${fn}(): ${v} is beyond 2**53, where numbers are not exact ints; pass bigints`);
    }
    if (b === null) {
      if (s !== 1) throw new TypeError(`${fn}(): Missing a non-None stop argument`);
      if (a > 0) return this._randbelow(a);
      throw new RangeError(`${fn}(): empty range for randrange()`);
    }
    const width = b - a;
    if (!Number.isSafeInteger(width)) throw new RangeError(`${fn}(): the range's width ${b} - ${a} is beyond 2**53; pass bigints`);
    if (s === 1) {
      if (width > 0) return a + this._randbelow(width);
      throw new RangeError(`${fn}(): empty range for randrange() (${a}, ${b}, ${width})`);
    }
    let n: number;
    if (s > 0) n = Math.floor((width + s - 1) / s);
    else if (s < 0) n = Math.floor((width + s + 1) / s);
    else throw new RangeError(`${fn}(): zero step for randrange()`);
    if (n <= 0) throw new RangeError(`${fn}(): empty range for randrange()`);
    return a + s * this._randbelow(n);
  }

  /** Python's randint(a, b): an int in [a, b], both ends included: randrange(a, b + 1). */
  randint(a: number, b: number): number;
  randint(a: bigint | number, b: bigint | number): bigint;
  randint(options: { a: number; b: number }): number;
  randint(...args: unknown[]): number | bigint {
    const { a, b } = randintArgs(args);
    const hi = asInt(b);
    if (hi === null) {
      if (typeof b === 'number') throw new RangeError(`randint(): non-integer stop for randrange(), got ${b} + 1`);
      throw new TypeError(`randint(): b must be an int, got ${describeValue(b)}`);
    }
    return this.range('randint', a, typeof hi === 'bigint' ? hi + 1n : hi + 1, 1);
  }

  /** Python's choice(seq): one element of a non-empty sequence, seq[_randbelow(len(seq))]. */
  choice<T>(seq: Sequence<T>): T;
  choice<T>(options: { seq: Sequence<T> }): T;
  choice(...args: unknown[]): unknown {
    const { seq } = choiceArgs(args);
    if (!isSequence(seq)) throw new TypeError(`choice(): seq must be a sequence (an array, a typed array or a string), got ${describeValue(seq)}`);
    if (seq.length === 0) throw new RangeError('choice(): Cannot choose from an empty sequence');
    return seq[this._randbelow(seq.length)];
  }

  /** Python's shuffle(x): x shuffled in place (Fisher-Yates from the end, j = _randbelow(i + 1)); returns undefined, as Python returns None. */
  shuffle(x: unknown[] | ArrayLike<number> | { x: unknown[] }): void;
  shuffle(...args: unknown[]): void {
    const { x } = shuffleArgs(args);
    if (!(Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView)))) {
      throw new TypeError(`shuffle(): x must be an array or a typed array (shuffled in place), got ${typeof x === 'string' ? "a string, which does not support item assignment" : describeValue(x)}`);
    }
    const a = x as unknown as unknown[];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this._randbelow(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /**
   * Python's sample(population, k, *, counts=None): k distinct positions of
   * population, in selection order. As Python, a k small beside the
   * population redraws positions already taken (a set); otherwise it
   * draws from a shrinking pool. counts repeats each element that often.
   */
  sample<T>(population: Sequence<T>, k: number, options?: { counts?: ArrayLike<number> | null }): T[];
  sample<T>(options: { population: Sequence<T>; k: number; counts?: ArrayLike<number> | null }): T[];
  sample(...args: unknown[]): unknown[] {
    const { population, k, counts } = sampleArgs(args);
    if (!isSequence(population)) throw new TypeError(`sample(): Population must be a sequence.  For dicts or sets, use sorted(d). Got ${describeValue(population)}`);
    if (typeof k !== 'number' || !Number.isInteger(k)) throw new TypeError(`sample(): k must be an int, got ${describeValue(k)}`);
    const n = population.length;
    if (counts !== null && counts !== undefined) {
      const cum = accumulate('sample', 'counts', counts);
      if (cum.length !== n) throw new RangeError('sample(): The number of counts does not match the population');
      const total = cum.pop();
      if (total === undefined || !Number.isInteger(total)) throw new TypeError('sample(): Counts must be integers');
      if (total <= 0) throw new RangeError('sample(): Total of counts must be greater than zero');
      const selections = this.sampleIndices(total, k);
      return selections.map((s) => population[bisectRight(cum, s, 0, cum.length)]);
    }
    return this.sampleIndices(n, k).map((j) => population[j]);
  }

  /** sample(range(n), k). */
  private sampleIndices(n: number, k: number): number[] {
    if (!(k >= 0 && k <= n)) throw new RangeError('sample(): Sample larger than population or is negative');
    const result = new Array<number>(k);
    // Python's memory estimate: a k-set's table against an n-list. It
    // computes 4 ** ceil(log(3k, 4)); 3k is never a power of 4, so the
    // least power of 4 above 3k is the same number, found exactly here.
    let setsize = 21;
    if (k > 5) {
      let p = 1;
      while (p < k * 3) p *= 4;
      setsize += p;
    }
    if (n <= setsize) {
      const pool = Array.from({ length: n }, (_, i) => i);
      for (let i = 0; i < k; i++) {
        const j = this._randbelow(n - i);
        result[i] = pool[j];
        pool[j] = pool[n - i - 1];
      }
    } else {
      const selected = new Set<number>();
      for (let i = 0; i < k; i++) {
        let j = this._randbelow(n);
        while (selected.has(j)) j = this._randbelow(n);
        selected.add(j);
        result[i] = j;
      }
    }
    return result;
  }

  /**
   * Python's choices(population, weights=None, *, cum_weights=None, k=1):
   * k elements drawn with replacement, each by one random(): without
   * weights population[floor(random() * n)], with them the first whose
   * cumulative weight exceeds random() * total (bisect_right).
   */
  choices<T>(population: Sequence<T>, weights?: ArrayLike<number> | null, options?: { cum_weights?: ArrayLike<number> | null; k?: number }): T[];
  choices<T>(population: Sequence<T>, options: { weights?: ArrayLike<number> | null; cum_weights?: ArrayLike<number> | null; k?: number }): T[];
  choices<T>(options: { population: Sequence<T>; weights?: ArrayLike<number> | null; cum_weights?: ArrayLike<number> | null; k?: number }): T[];
  choices(...args: unknown[]): unknown[] {
    const { population, weights, cum_weights, k } = choicesArgs(args);
    if (!isSequence(population)) throw new TypeError(`choices(): population must be a sequence, got ${describeValue(population)}`);
    if (typeof weights === 'number') throw new TypeError(`choices(): The number of choices must be a keyword argument: k=${weights}`);
    if (typeof k !== 'number' || !Number.isInteger(k)) throw new TypeError(`choices(): k must be an int, got ${describeValue(k)}`);
    const n = population.length;
    const pick = (i: number) => {
      // Python indexes population[i] and fails there on an empty one.
      if (i >= n) throw new RangeError('choices(): list index out of range (the population is empty)');
      return population[i];
    };
    const out: unknown[] = [];
    let cum: number[];
    if (cum_weights === null || cum_weights === undefined) {
      if (weights === null || weights === undefined) {
        for (let i = 0; i < k; i++) out.push(pick(Math.floor(this.random() * n)));
        return out;
      }
      cum = accumulate('choices', 'weights', weights);
    } else {
      if (weights !== null && weights !== undefined) throw new TypeError('choices(): Cannot specify both weights and cumulative weights');
      cum = numbers('choices', 'cum_weights', cum_weights);
    }
    if (cum.length !== n) throw new RangeError('choices(): The number of weights does not match the population');
    const total = cum[n - 1];
    if (total === undefined || total <= 0) throw new RangeError('choices(): Total of weights must be greater than zero');
    if (!Number.isFinite(total)) throw new RangeError('choices(): Total of weights must be finite');
    for (let i = 0; i < k; i++) out.push(pick(bisectRight(cum, this.random() * total, 0, n - 1)));
    return out;
  }

  /** Python's uniform(a, b): a + (b - a) * random(). */
  uniform(a: number, b: number): number;
  uniform(options: { a: number; b: number }): number;
  uniform(...args: unknown[]): number {
    const { a, b } = uniformArgs(args);
    const x = typeof a === 'boolean' ? Number(a) : a;
    const y = typeof b === 'boolean' ? Number(b) : b;
    if (typeof x !== 'number') throw new TypeError(`uniform(): a must be a number, got ${describeValue(a)}`);
    if (typeof y !== 'number') throw new TypeError(`uniform(): b must be a number, got ${describeValue(b)}`);
    return x + (y - x) * this.random();
  }
}

// The module's own generator, seeded from the system's entropy as Python's
// is at import; the functions below are its methods, as in Python.
const _inst = new Random();

/** The module's generator (Python's random._inst), which the functions below draw from. */
export { _inst };
export const seed: Random['seed'] = _inst.seed.bind(_inst);
export const getstate: Random['getstate'] = _inst.getstate.bind(_inst);
export const setstate: Random['setstate'] = _inst.setstate.bind(_inst);
export const random: Random['random'] = _inst.random.bind(_inst);
export const getrandbits: Random['getrandbits'] = _inst.getrandbits.bind(_inst);
export const randbytes: Random['randbytes'] = _inst.randbytes.bind(_inst);
export const randrange: Random['randrange'] = _inst.randrange.bind(_inst);
export const randint: Random['randint'] = _inst.randint.bind(_inst);
export const choice: Random['choice'] = _inst.choice.bind(_inst);
export const shuffle: Random['shuffle'] = _inst.shuffle.bind(_inst);
export const sample: Random['sample'] = _inst.sample.bind(_inst);
export const choices: Random['choices'] = _inst.choices.bind(_inst);
export const uniform: Random['uniform'] = _inst.uniform.bind(_inst);
