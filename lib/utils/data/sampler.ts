// Samplers, after torch/utils/data/sampler.py: which indices, in which
// order; RandomSampler draws its seed and permutation as Python does.
import { PYTHON_DEF, PythonArgParser } from '../../_arg_parser';
import { parseNamedLeading } from '../../nn/modules/utils';
import { float64, int64 } from '../../dtype';
import { empty, randint, randperm, tensor } from '../../factories';
import * as distributed from '../../distributed/distributed_c10d';
import { Generator } from '../../generator';
import { Tensor } from '../../tensor';
import { describeValue } from '../../_options';

/**
 * The base of every sampler (Python's Sampler): an iterable of indices (or
 * of index lists, for a batch sampler) with a length. A subclass defines
 * [Symbol.iterator] (Python's __iter__) and `length` (Python's __len__);
 * any object with those two serves where a Sampler is asked for.
 */
export abstract class Sampler<T = number> implements Iterable<T> {
  /** Python's Sampler(data_source): the argument is accepted and unused, as in Python. */
  constructor(_data_source?: Sized | null) {}

  abstract [Symbol.iterator](): Iterator<T>;

  abstract get length(): number;
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

// Python classes: an unknown keyword's message suggests the nearest parameter as CPython 3.13 does (_arg_parser.ts).

const sequentialArgs = new PythonArgParser(['SequentialSampler(Any data_source)'], PYTHON_DEF);
const randomArgs = new PythonArgParser(['RandomSampler(Any data_source, Any replacement=False, Any num_samples=None, Any generator=None)'], PYTHON_DEF);
const subsetRandomArgs = new PythonArgParser(['SubsetRandomSampler(Any indices, Any generator=None)'], PYTHON_DEF);
const batchArgs = new PythonArgParser(['BatchSampler(Any sampler, Any batch_size, Any drop_last)'], PYTHON_DEF);
const weightedArgs = new PythonArgParser(['WeightedRandomSampler(Any weights, Any num_samples, Any replacement=True, Any generator=None)'], PYTHON_DEF);
const distributedArgs = new PythonArgParser([
  'DistributedSampler(Any dataset, int? num_replicas=None, int? rank=None, bool shuffle=True, int seed=0, bool drop_last=False)',
], PYTHON_DEF);

function checkGenerator(who: string, generator: unknown): Generator | null {
  if (generator !== null && !(generator instanceof Generator)) throw new TypeError(`${who}(): argument 'generator' must be torch.Generator or null, not ${describeValue(generator)}`);
  return generator;
}

/** 0, 1, ..., len(data_source) - 1, in order. */
export class SequentialSampler extends Sampler<number> {
  readonly data_source: Sized;

  /** Python's SequentialSampler(data_source). */
  constructor(data_source: Sized);
  constructor(options: { data_source: Sized });
  constructor(...args: unknown[]) {
    super();
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

/**
 * A random order of the data source's indices (num_samples of them, from
 * repeated permutations), or num_samples indices drawn with replacement.
 * Without a generator each iteration seeds its own from the default one, as
 * Python does, so the order follows torch.manual_seed.
 */
export class RandomSampler extends Sampler<number> {
  readonly replacement: boolean;
  readonly generator: Generator | null;
  private readonly _num_samples: number | null;
  readonly data_source: Sized;

  /** Python's RandomSampler(data_source, replacement=False, num_samples=None, generator=None). */
  constructor(data_source: Sized, options?: { replacement?: boolean; num_samples?: number | null; generator?: Generator | null });
  constructor(data_source: Sized, replacement: boolean, num_samples?: number | null, generator?: Generator | null);
  constructor(...args: unknown[]) {
    super();
    const o = parseNamedLeading(randomArgs, args, isSized) as { data_source: Sized; replacement: boolean; num_samples: number | null; generator: Generator | null };
    const { data_source, replacement, num_samples, generator } = o;
    this.data_source = data_source;
    checkGenerator('RandomSampler', generator);
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
export class SubsetRandomSampler extends Sampler<number> {
  readonly indices: number[];
  readonly generator: Generator | null;

  /** Python's SubsetRandomSampler(indices, generator=None). */
  constructor(indices: number[], generator?: Generator | null, options?: { generator?: Generator | null });
  constructor(indices: number[], options: { generator?: Generator | null });
  constructor(...args: unknown[]) {
    super();
    const o = subsetRandomArgs.parseNamed(args) as unknown as { indices: number[]; generator: Generator | null };
    checkGenerator('SubsetRandomSampler', o.generator);
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
export class BatchSampler extends Sampler<number[]> {
  readonly sampler: Sampler<number>;
  readonly batch_size: number;
  readonly drop_last: boolean;

  /** Python's BatchSampler(sampler, batch_size, drop_last). */
  constructor(sampler: Sampler<number>, batch_size: number, drop_last: boolean);
  constructor(sampler: Sampler<number>, options: { batch_size: number; drop_last: boolean });
  constructor(options: { sampler: Sampler<number>; batch_size: number; drop_last: boolean });
  constructor(...args: unknown[]) {
    super();
    const { sampler, batch_size, drop_last } = parseNamedLeading(batchArgs, args, isSized) as { sampler: Sampler<number>; batch_size: number; drop_last: boolean };
    this.sampler = sampler;
    this.batch_size = batch_size;
    this.drop_last = drop_last;
    if (typeof batch_size !== 'number' || !Number.isInteger(batch_size) || batch_size <= 0) {
      throw new RangeError(`batch_size should be a positive integer value, but got batch_size=${String(batch_size)}`);
    }
    if (typeof drop_last !== 'boolean') throw new RangeError(`drop_last should be a boolean value, but got drop_last=${String(drop_last)}`);
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

/**
 * num_samples indices drawn with probability proportional to weights (one
 * torch.multinomial of the weights as float64, as Python's), with or
 * without replacement.
 */
export class WeightedRandomSampler extends Sampler<number> {
  readonly weights: Tensor;
  readonly num_samples: number;
  readonly replacement: boolean;
  readonly generator: Generator | null;

  /** Python's WeightedRandomSampler(weights, num_samples, replacement=True, generator=None). */
  constructor(weights: readonly number[] | Tensor, num_samples: number, replacement?: boolean, generator?: Generator | null, options?: { replacement?: boolean; generator?: Generator | null });
  constructor(weights: readonly number[] | Tensor, num_samples: number, options: { replacement?: boolean; generator?: Generator | null });
  constructor(options: { weights: readonly number[] | Tensor; num_samples: number; replacement?: boolean; generator?: Generator | null });
  constructor(...args: unknown[]) {
    super();
    const o = weightedArgs.parseNamed(args) as unknown as { weights: unknown; num_samples: unknown; replacement: unknown; generator: unknown };
    if (typeof o.num_samples !== 'number' || !Number.isInteger(o.num_samples) || o.num_samples <= 0) {
      throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${pyRepr(o.num_samples)}`);
    }
    if (typeof o.replacement !== 'boolean') throw new RangeError(`replacement should be a boolean value, but got replacement=${pyRepr(o.replacement)}`);
    let weights: Tensor;
    if (o.weights instanceof Tensor) weights = o.weights.to(float64);
    else if (Array.isArray(o.weights) || ArrayBuffer.isView(o.weights)) weights = tensor(o.weights as number[], { dtype: float64 });
    else throw new TypeError(`WeightedRandomSampler(): argument 'weights' must be a sequence of floats or a Tensor, not ${describeValue(o.weights)}`);
    if (weights.ndim !== 1) {
      throw new RangeError(`weights should be a 1d sequence but given weights have shape (${weights.shape.join(', ')}${weights.ndim === 1 ? ',' : ''})`);
    }
    this.weights = weights;
    this.num_samples = o.num_samples;
    this.replacement = o.replacement;
    this.generator = checkGenerator('WeightedRandomSampler', o.generator);
  }

  *[Symbol.iterator](): Iterator<number> {
    yield* this.weights.multinomial(this.num_samples, this.replacement, { generator: this.generator }).tolist() as number[];
  }

  get length(): number {
    return this.num_samples;
  }
}

/** Python's repr of a value in an error message: True/False/None as Python writes them. */
function pyRepr(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  return String(v);
}

/**
 * The share of a dataset's indices that one of num_replicas processes takes
 * (rank's every num_replicas-th index, after padding the list to a multiple
 * of num_replicas, or trimming it with drop_last), shuffled by a generator
 * seeded with seed + epoch (set_epoch) so every replica shuffles alike.
 * num_replicas and rank default to the default process group's world size
 * and this process's rank in it (torch.distributed), as in Python.
 */
export class DistributedSampler extends Sampler<number> {
  readonly dataset: Sized;
  readonly num_replicas: number;
  readonly rank: number;
  epoch: number;
  readonly drop_last: boolean;
  readonly num_samples: number;
  readonly total_size: number;
  readonly shuffle: boolean;
  readonly seed: number;

  /** Python's DistributedSampler(dataset, num_replicas=None, rank=None, shuffle=True, seed=0, drop_last=False). */
  constructor(
    dataset: Sized,
    options: { num_replicas: number; rank: number; shuffle?: boolean; seed?: number; drop_last?: boolean },
  );
  constructor(dataset: Sized, num_replicas: number, rank: number, shuffle?: boolean, seed?: number, drop_last?: boolean, options?: { shuffle?: boolean; seed?: number; drop_last?: boolean });
  constructor(...args: unknown[]) {
    super();
    const o = parseNamedLeading(distributedArgs, args, isSized) as { dataset: Sized; num_replicas: number | null; rank: number | null; shuffle: boolean; seed: number; drop_last: boolean };
    // As Python: what is not given comes from the default process group.
    for (const name of ['num_replicas', 'rank'] as const) {
      if (o[name] === null && !distributed.is_available()) throw new Error('DistributedSampler: Requires distributed package to be available');
    }
    const num_replicas = o.num_replicas ?? distributed.get_world_size();
    const rank = o.rank ?? distributed.get_rank();
    if (num_replicas <= 0) throw new RangeError(`DistributedSampler: num_replicas must be positive, got ${num_replicas}`);
    if (rank >= num_replicas || rank < 0) throw new RangeError(`Invalid rank ${rank}, rank should be in the interval [0, ${num_replicas - 1}]`);
    this.dataset = o.dataset;
    this.num_replicas = num_replicas;
    this.rank = rank;
    this.epoch = 0;
    this.drop_last = o.drop_last;
    const n = lengthOf(o.dataset);
    this.num_samples = this.drop_last && n % num_replicas !== 0 ? Math.ceil((n - num_replicas) / num_replicas) : Math.ceil(n / num_replicas);
    this.total_size = this.num_samples * num_replicas;
    this.shuffle = o.shuffle;
    this.seed = o.seed;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = lengthOf(this.dataset);
    let indices: number[];
    if (this.shuffle) {
      const g = new Generator();
      g.manual_seed(this.seed + this.epoch);
      indices = randperm(n, { generator: g }).tolist() as number[];
    } else {
      indices = Array.from({ length: n }, (_, i) => i);
    }
    if (!this.drop_last) {
      const padding_size = this.total_size - indices.length;
      if (padding_size <= indices.length) indices = indices.concat(indices.slice(0, padding_size));
      else {
        const repeated: number[] = [];
        for (let k = 0; k < Math.ceil(padding_size / indices.length); k++) repeated.push(...indices);
        indices = indices.concat(repeated.slice(0, padding_size));
      }
    } else {
      indices = indices.slice(0, this.total_size);
    }
    for (let i = this.rank; i < this.total_size; i += this.num_replicas) yield indices[i];
  }

  get length(): number {
    return this.num_samples;
  }

  /** Python's set_epoch(epoch): the next iteration shuffles with seed + epoch. */
  set_epoch(epoch: number): void {
    if (!Number.isInteger(epoch)) throw new TypeError(`set_epoch(): argument 'epoch' must be int, not ${describeValue(epoch)}`);
    this.epoch = epoch;
  }
}
