// Samplers, after torch/utils/data/sampler.py: which indices, in which
// order; RandomSampler draws its seed and permutation as Python does.
import { checkOptions } from '../../_options';
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

export class SequentialSampler implements Sampler<number> {
  constructor(readonly data_source: Sized) {}

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

  constructor(
    readonly data_source: Sized,
    options: { replacement?: boolean; num_samples?: number | null; generator?: Generator | null } = {},
  ) {
    checkOptions('RandomSampler', options, { replacement: 'any', num_samples: 'float?', generator: 'object?' });
    const { replacement = false, num_samples = null, generator = null } = options;
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
  constructor(
    readonly indices: number[],
    readonly generator: Generator | null = null,
  ) {}

  *[Symbol.iterator](): Iterator<number> {
    for (const i of randperm(this.indices.length, { generator: this.generator }).tolist() as number[]) yield this.indices[i];
  }

  get length(): number {
    return this.indices.length;
  }
}

/** Groups another sampler's indices into lists of batch_size. */
export class BatchSampler implements Sampler<number[]> {
  constructor(
    readonly sampler: Sampler<number>,
    readonly batch_size: number,
    readonly drop_last: boolean,
  ) {
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
