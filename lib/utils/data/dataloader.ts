// DataLoader, after torch/utils/data/dataloader.py (single process): batches
// from a sampler, collated. Each iteration draws a base seed from the
// generator as Python's does, so the default generator's sequence (and any
// shuffle) matches Python's after the same manual_seed.
import { checkOptions } from '../../_options';
import type { Generator } from '../../generator';
import { default_collate, type Collated } from './collate';
import type { Dataset } from './dataset';
import { BatchSampler, RandomSampler, SequentialSampler, drawSeed, lengthOf, type Sampler } from './sampler';

/**
 * A collate function. A method's parameters are compared both ways, so a
 * DataLoader<[Tensor, number]> still passes where a DataLoader<unknown, B> is
 * asked for (a helper that only iterates batches).
 */
export type CollateFn<T, B> = { collate(batch: T[]): B }['collate'];

export interface DataLoaderOptions<T, B = Collated<T>> {
  batch_size?: number | null;
  shuffle?: boolean;
  sampler?: Sampler<number> | null;
  batch_sampler?: Sampler<number[]> | null;
  drop_last?: boolean;
  collate_fn?: CollateFn<T, B> | null;
  generator?: Generator | null;
  /** Only 0, Python's default: batches are loaded on the calling thread. */
  num_workers?: number;
  /** Only false: there is no CUDA to pin for in this build's loader. */
  pin_memory?: boolean;
}

// Value checks with Python's messages follow in the constructor.
const DATALOADER_OPTIONS = {
  batch_size: 'float?',
  shuffle: 'bool',
  sampler: 'object?',
  batch_sampler: 'object?',
  drop_last: 'bool',
  collate_fn: 'function?',
  generator: 'object?',
  num_workers: 'int',
  pin_memory: 'bool',
} as const;

/**
 * Batches of a Dataset<T>: each batch is B, by default what default_collate
 * makes of T[] (Collated<T>), else what collate_fn returns. With
 * `batch_size: null` the items themselves come out: write DataLoader<T, T>.
 */
export class DataLoader<T = unknown, B = Collated<T>> implements Iterable<B> {
  readonly dataset: Dataset<T>;
  readonly batch_size: number | null;
  readonly drop_last: boolean;
  readonly sampler: Sampler<number>;
  readonly batch_sampler: Sampler<number[]> | null;
  readonly collate_fn: CollateFn<T, B>;
  readonly generator: Generator | null;
  private readonly defaultCollate: boolean;

  constructor(dataset: Dataset<T>, options: DataLoaderOptions<T, B> = {}) {
    checkOptions('DataLoader', options, DATALOADER_OPTIONS);
    const { batch_size = 1, shuffle = false, sampler = null, batch_sampler = null, drop_last = false, collate_fn = null, generator = null } = options;
    if (!dataset || typeof dataset.getitem !== 'function') {
      throw new TypeError('DataLoader: dataset must be a Dataset (with getitem(index) and length)');
    }
    lengthOf(dataset);
    // Python's keywords that this loader does not implement yet are refused
    // by what they ask for, not as unknown: Python takes them.
    if (options.num_workers !== undefined && options.num_workers !== 0) {
      throw new RangeError(`DataLoader: num_workers=${options.num_workers} is not supported yet: torchts loads batches on the calling thread; pass num_workers: 0 (Python's default)`);
    }
    if (options.pin_memory === true) {
      throw new RangeError('DataLoader: pin_memory=true is not supported yet; pass pin_memory: false (Python\'s default)');
    }
    if (sampler !== null && shuffle) throw new TypeError('sampler option is mutually exclusive with shuffle');
    if (batch_sampler !== null && (batch_size !== 1 || shuffle || sampler !== null || drop_last)) {
      throw new TypeError('batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last');
    }
    if (batch_size !== null && (!Number.isInteger(batch_size) || batch_size <= 0)) {
      throw new RangeError(`batch_size should be a positive integer value, but got batch_size=${String(batch_size)}`);
    }
    this.dataset = dataset;
    this.generator = generator;
    this.drop_last = drop_last;
    this.sampler = sampler ?? (shuffle ? new RandomSampler(dataset, { generator }) : new SequentialSampler(dataset));
    this.batch_size = batch_sampler !== null ? null : batch_size;
    this.batch_sampler = batch_sampler ?? (batch_size !== null ? new BatchSampler(this.sampler, batch_size, drop_last) : null);
    this.defaultCollate = collate_fn === null;
    this.collate_fn = collate_fn ?? (default_collate as CollateFn<T, B>);
  }

  /** Python's len(loader): the number of batches. */
  get length(): number {
    return this.batch_sampler ? this.batch_sampler.length : this.sampler.length;
  }

  *[Symbol.iterator](): Iterator<B> {
    // Python's _BaseDataLoaderIter draws a base seed (for worker processes)
    // even with none; drawing it keeps the generator in step with Python.
    drawSeed(this.generator);
    if (this.batch_sampler === null) {
      for (const index of this.sampler) yield this.dataset.getitem(index) as unknown as B;
      return;
    }
    const batchable = this.defaultCollate && typeof this.dataset.getbatch === 'function';
    for (const indices of this.batch_sampler) {
      const batch = batchable ? this.dataset.getbatch!(indices) : undefined;
      yield batch !== undefined ? (batch as B) : this.collate_fn(indices.map((i) => this.dataset.getitem(i)));
    }
  }
}
