// Samplers, after torch/utils/data/sampler.py: which indices, in which
// order; RandomSampler draws its seed and permutation as Python does.
import { PythonArgParser } from '../../_arg_parser';
import { parseNamedLeading } from '../../nn/modules/utils';
import { int64 } from '../../dtype';
import { empty, randint, randperm } from '../../factories';
import { Generator } from '../../generator';

export interface Sampler<T = number> extends Iterable<T> {
  readonly length: number;
}

export interface Sized {
  readonly length: number;
}

/**
 * Python's len(dataset): a non-negative integer, or an error naming the
 * dataset. A NaN, a fraction or a negative length made the loops below run
 * zero times, or a fraction of a batch, without a word.
 */
export function lengthOf(data_source: Sized): number {
  const n = data_source.length;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    const name = (data_source as object)?.constructor?.name ?? typeof data_source;
    throw new TypeError(`the length of ${name} must be a non-negative integer (Python's __len__() should return >= 0), got ${String(n)}`);
  }
  return n;
}

/** A data source given first, even a plain `{ length }`, is the positional one, not the keywords. */
const isSized = (v: unknown) => v !== null && typeof v === 'object' && 'length' in (v as object);

const sequentialArgs = new PythonArgParser(['SequentialSampler(Any data_source)']);
const randomArgs = new PythonArgParser(['RandomSampler(Any data_source, Any replacement=False, Any num_samples=None, Any generator=None)']);
const subsetRandomArgs = new PythonArgParser(['SubsetRandomSampler(Any indices, Any generator=None)']);
const batchArgs = new PythonArgParser(['BatchSampler(Any sampler, Any batch_size, Any drop_last)']);

export class SequentialSampler implements Sampler<number> {
  readonly data_source: Sized;

  /** Python's SequentialSampler(data_source). */
  constructor(data_source: Sized);
  constructor(options: { data_source: Sized });
  constructor(...args: unknown[]) {
    this.data_source = parseNamedLeading(sequentialArgs, args, isSized).data_source as Sized;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = lengthOf(this.data_source);
    for (let i = 0; i < n; i++) yield i;
  }

  get length(): number {
    return lengthOf(this.data_source);
  }
}

/** Draws a 64-bit seed from a generator, as `torch.empty((), dtype=torch.int64).random_(generator)`. */
export function drawSeed(generator: Generator | null): bigint {
  return (empty([], { dtype: int64 }).random_({ generator }).toTypedArray() as BigInt64Array)[0];
}

export class RandomSampler implements Sampler<number> {
  readonly replacement: boolean;
  readonly generator: Generator | null;
  private readonly _num_samples: number | null;
  readonly data_source: Sized;

  /** Python's RandomSampler(data_source, replacement=False, num_samples=None, generator=None). */
  constructor(data_source: Sized, options?: { replacement?: boolean; num_samples?: number | null; generator?: Generator | null });
  constructor(data_source: Sized, replacement: boolean, num_samples?: number | null, generator?: Generator | null);
  constructor(...args: unknown[]) {
    const o = parseNamedLeading(randomArgs, args, isSized) as { data_source: Sized; replacement: boolean; num_samples: number | null; generator: Generator | null };
    const { data_source, replacement, num_samples, generator } = o;
    this.data_source = data_source;
    if (generator !== null && !(generator instanceof Generator)) throw new TypeError(`RandomSampler(): argument 'generator' must be torch.Generator or null, not ${typeof generator}`);
    this.replacement = replacement;
    this.generator = generator;
    this._num_samples = num_samples;
    if (typeof replacement !== 'boolean') throw new TypeError(`replacement should be a boolean value, but got replacement=${String(replacement)}`);
    if (!Number.isInteger(this.num_samples) || this.num_samples <= 0) {
      throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${this.num_samples}`);
    }
  }

  get num_samples(): number {
    return this._num_samples ?? lengthOf(this.data_source);
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = lengthOf(this.data_source);
    let generator = this.generator;
    if (generator === null) {
      generator = new Generator();
      generator.manual_seed(drawSeed(null));
    }
    const total = this.num_samples;
    if (this.replacement) {
      for (let k = 0; k < Math.floor(total / 32); k++) yield* randint(n, [32], { generator }).tolist() as number[];
      yield* randint(n, [total % 32], { generator }).tolist() as number[];
    } else {
      for (let k = 0; k < Math.floor(total / n); k++) yield* randperm(n, { generator }).tolist() as number[];
      yield* (randperm(n, { generator }).tolist() as number[]).slice(0, total % n);
    }
  }

  get length(): number {
    return this.num_samples;
  }
}

/** The given indices in a random order (from one randperm). */
export class SubsetRandomSampler implements Sampler<number> {
  readonly indices: number[];
  readonly generator: Generator | null;

  /** Python's SubsetRandomSampler(indices, generator=None). */
  constructor(indices: number[], generator?: Generator | null, options?: { generator?: Generator | null });
  constructor(indices: number[], options: { generator?: Generator | null });
  constructor(...args: unknown[]) {
    const o = subsetRandomArgs.parseNamed(args) as unknown as { indices: number[]; generator: Generator | null };
    if (!Array.isArray(o.indices)) throw new TypeError(`SubsetRandomSampler(): argument 'indices' must be a list of ints, not ${typeof o.indices}`);
    this.indices = o.indices;
    this.generator = o.generator;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (const i of randperm(this.indices.length, { generator: this.generator }).tolist() as number[]) yield this.indices[i];
  }

  get length(): number {
    return this.indices.length;
  }
}

/** Groups another sampler's indices into lists of batch_size. */
export class BatchSampler implements Sampler<number[]> {
  readonly sampler: Sampler<number>;
  readonly batch_size: number;
  readonly drop_last: boolean;

  /** Python's BatchSampler(sampler, batch_size, drop_last). */
  constructor(sampler: Sampler<number>, batch_size: number, drop_last: boolean);
  constructor(sampler: Sampler<number>, options: { batch_size: number; drop_last: boolean });
  constructor(options: { sampler: Sampler<number>; batch_size: number; drop_last: boolean });
  constructor(...args: unknown[]) {
    const { sampler, batch_size, drop_last } = parseNamedLeading(batchArgs, args, isSized) as { sampler: Sampler<number>; batch_size: number; drop_last: boolean };
    this.sampler = sampler;
    this.batch_size = batch_size;
    this.drop_last = drop_last;
    if (!Number.isInteger(batch_size) || batch_size <= 0) {
      throw new RangeError(`batch_size should be a positive integer value, but got batch_size=${String(batch_size)}`);
    }
    if (typeof drop_last !== 'boolean') throw new TypeError(`drop_last should be a boolean value, but got drop_last=${String(drop_last)}`);
  }

  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const idx of this.sampler) {
      batch.push(idx);
      if (batch.length === this.batch_size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.drop_last) yield batch;
  }

  get length(): number {
    const n = this.sampler.length;
    return this.drop_last ? Math.floor(n / this.batch_size) : Math.ceil(n / this.batch_size);
  }
}
