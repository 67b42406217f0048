// DataLoader, after torch/utils/data/dataloader.py: batches from a sampler,
// collated, or from an IterableDataset's stream, loaded on the calling thread
// (num_workers 0) or by worker threads (_multi_worker_iter.ts). Each
// iteration draws a base seed from the generator as Python's does, so the
// default generator's sequence (and any shuffle) matches Python's after the
// same manual_seed, and each worker seeds its own generators with
// base_seed + its id, as Python's worker processes do.
import { PYTHON_DEF, PythonArgParser } from '../../_arg_parser';
import { is_available as cudaIsAvailable } from '../../cuda';
import { Tensor } from '../../tensor';
import { describeValue } from '../../_options';
import { Generator } from '../../generator';
import { parseNamedLeading, type PyArgs } from '../../nn/modules/utils';
import { default_collate, default_convert, type Collated } from './collate';
import { isIterableDataset, type Dataset, type IterableDataset } from './dataset';
import { BatchSampler, RandomSampler, SequentialSampler, drawSeed, lengthOf, type Sampler } from './sampler';
import { WorkerPool } from './_multi_worker_iter';

export { get_worker_info, WorkerInfo } from './_worker_info';

/**
 * A collate function. A method's parameters are compared both ways, so a
 * DataLoader<[Tensor, number]> still passes where a DataLoader<unknown, B> is
 * asked for (a helper that only iterates batches).
 */
export type CollateFn<T, B> = { collate(batch: T[]): B }['collate'];

export interface DataLoaderOptions<T, B = Collated<T>> {
  batch_size?: number | null;
  shuffle?: boolean | null;
  sampler?: Sampler<number> | null;
  batch_sampler?: Sampler<number[]> | null;
  /**
   * How many worker threads load batches (0, Python's default: the calling thread does). Each has its own
   * copy of the dataset, collate_fn and worker_init_fn, sent as torch.multiprocessing/reduction.ts sends
   * objects: a class or function of the program's own must be registered with
   * torch.multiprocessing.register(cls, module).
   */
  num_workers?: number;
  collate_fn?: CollateFn<T, B> | null;
  /** Puts each batch's tensors in page-locked memory when CUDA is available; without CUDA nothing, as Python 1.13. */
  pin_memory?: boolean;
  drop_last?: boolean;
  /** Seconds to wait for a worker's batch before an error (0: for ever); with no workers it has nothing to time. */
  timeout?: number;
  /** Called in each worker thread with its id, after seeding and before its first batch; never without workers, as in Python. */
  worker_init_fn?: ((worker_id: number) => void) | null;
  /** Only null: Python refuses one without workers. */
  multiprocessing_context?: null;
  generator?: Generator | null;
  /** Batches each worker loads ahead (2, Python 1.13's default); Python refuses another without workers. */
  prefetch_factor?: number;
  /** Keeps the workers (and their dataset copies) from one epoch to the next; Python refuses true without workers. */
  persistent_workers?: boolean;
  pin_memory_device?: string;
}

/** The positional parameters of Python's DataLoader, after dataset, in order. */
type DataLoaderPositionals<T, B> = [
  batch_size: number | null,
  shuffle: boolean | null,
  sampler: Sampler<number> | null,
  batch_sampler: Sampler<number[]> | null,
  num_workers: number,
  collate_fn: CollateFn<T, B> | null,
  pin_memory: boolean,
  drop_last: boolean,
  timeout: number,
  worker_init_fn: ((worker_id: number) => void) | null,
  multiprocessing_context: null,
  generator: Generator | null,
];

const dataLoaderArgs = new PythonArgParser([
  'DataLoader(Any dataset, Any? batch_size=1, bool? shuffle=None, Any sampler=None, Any batch_sampler=None, int num_workers=0, Any collate_fn=None, ' +
    'bool pin_memory=False, bool drop_last=False, float timeout=0, Any worker_init_fn=None, Any multiprocessing_context=None, Any generator=None, ' +
    '*, int prefetch_factor=2, bool persistent_workers=False, str pin_memory_device="")',
], PYTHON_DEF);

function checkKind(name: string, v: unknown, ok: boolean, what: string): void {
  if (!ok) throw new TypeError(`DataLoader(): argument '${name}' must be ${what} or null, not ${describeValue(v)}`);
}

/** A dataset given first, even a plain `{ getitem, length }`, is the positional dataset, not the keywords. */
const isDataset = (v: unknown) =>
  (v !== null && typeof v === 'object' && typeof (v as { getitem?: unknown }).getitem === 'function') || isIterableDataset(v);

const isIterable = (v: unknown) => v !== null && typeof v === 'object' && typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function';

/**
 * Batches of a Dataset<T>: each batch is B, by default what default_collate
 * makes of T[] (Collated<T>), else what collate_fn returns. The indices come
 * from the sampler (sequential, or a RandomSampler with shuffle) grouped by
 * a BatchSampler, or from batch_sampler itself. An IterableDataset is read
 * as a stream instead, batch_size items at a time (no shuffle, sampler or
 * batch_sampler, as in Python). With `batch_size: null` the items come out
 * one by one through default_convert (or collate_fn): write DataLoader<T, T>.
 */
export class DataLoader<T = unknown, B = Collated<T>> implements Iterable<B> {
  readonly dataset: Dataset<T> | IterableDataset<T>;
  readonly batch_size: number | null;
  readonly drop_last: boolean;
  /** The index sampler; null for an IterableDataset (Python's _InfiniteConstantSampler, which yields no index). */
  readonly sampler: Sampler<number> | null;
  readonly batch_sampler: Sampler<number[]> | null;
  readonly collate_fn: CollateFn<T, B>;
  readonly generator: Generator | null;
  readonly num_workers: number;
  readonly prefetch_factor: number;
  readonly persistent_workers: boolean;
  readonly timeout: number;
  readonly worker_init_fn: ((worker_id: number) => void) | null;
  /** Whether batches are pinned: pin_memory as asked, and CUDA available. */
  readonly pin_memory: boolean;
  private readonly defaultCollate: boolean;
  /** The workers kept between epochs (persistent_workers). */
  private persistentPool: WorkerPool | null = null;

  /**
   * Python's DataLoader(dataset, batch_size=1, shuffle=None, sampler=None,
   * batch_sampler=None, num_workers=0, collate_fn=None, pin_memory=False,
   * drop_last=False, timeout=0, worker_init_fn=None, multiprocessing_context=None,
   * generator=None, *, prefetch_factor=2, persistent_workers=False, pin_memory_device='').
   */
  constructor(dataset: Dataset<T> | IterableDataset<T>, options?: DataLoaderOptions<T, B>);
  constructor(dataset: Dataset<T> | IterableDataset<T>, ...args: PyArgs<[], DataLoaderPositionals<T, B>, DataLoaderOptions<T, B>>);
  constructor(options: DataLoaderOptions<T, B> & { dataset: Dataset<T> | IterableDataset<T> });
  constructor(...args: unknown[]) {
    // A dataset first is always the positional dataset, even a plain object
    // with getitem and length (which would otherwise read as keywords).
    const o = parseNamedLeading(dataLoaderArgs, args, isDataset) as {
      dataset: Dataset<T> | IterableDataset<T>; batch_size: number | null; shuffle: boolean | null; sampler: Sampler<number> | null; batch_sampler: Sampler<number[]> | null;
      num_workers: number; collate_fn: CollateFn<T, B> | null; pin_memory: boolean; drop_last: boolean; timeout: number; worker_init_fn: unknown;
      multiprocessing_context: unknown; generator: Generator | null; prefetch_factor: number; persistent_workers: boolean; pin_memory_device: string;
    };
    const { dataset, batch_size, sampler, batch_sampler, num_workers, collate_fn, pin_memory, drop_last, timeout, worker_init_fn, multiprocessing_context, generator, prefetch_factor, persistent_workers, pin_memory_device } = o;
    const shuffleArg = o.shuffle;
    const iterable = isIterableDataset(dataset);
    if (!iterable && (!dataset || typeof (dataset as Dataset<T>).getitem !== 'function')) {
      throw new TypeError(`DataLoader: dataset must be a Dataset (with getitem(index) and length) or an IterableDataset, not ${describeValue(dataset)}`);
    }
    if (!iterable) lengthOf(dataset as Dataset<T>);
    checkKind('sampler', sampler, sampler === null || isIterable(sampler), 'a Sampler (an iterable of indices)');
    checkKind('batch_sampler', batch_sampler, batch_sampler === null || isIterable(batch_sampler), 'a Sampler of index lists');
    checkKind('collate_fn', collate_fn, collate_fn === null || typeof collate_fn === 'function', 'a function');
    checkKind('worker_init_fn', worker_init_fn, worker_init_fn === null || typeof worker_init_fn === 'function', 'a function');
    checkKind('generator', generator, generator === null || generator instanceof Generator, 'a torch.Generator');
    // Python's checks, in Python's order and words.
    if (num_workers < 0) throw new RangeError('num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.');
    if (timeout < 0) throw new RangeError('timeout option should be non-negative');
    if (num_workers === 0 && prefetch_factor !== 2) {
      throw new RangeError('prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to enable multiprocessing.');
    }
    if (persistent_workers && num_workers === 0) throw new RangeError('persistent_workers option needs num_workers > 0');
    if (multiprocessing_context !== null && num_workers === 0) {
      throw new RangeError(`multiprocessing_context can only be used with multi-process loading (num_workers > 0), but got num_workers=${num_workers}`);
    }
    if (prefetch_factor < 0) throw new RangeError('prefetch_factor option should be non-negative');
    if (pin_memory_device !== '') {
      process.emitWarning("pin memory device is set and pin_memory flag is not used then device pinned memory won't be usedplease set pin_memory to true, if you need to use the device pin memory", 'UserWarning');
    }
    if (iterable) {
      // A stream has no indices to shuffle or sample.
      if (shuffleArg !== null && shuffleArg !== false) throw new RangeError(`DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=${shuffleArg ? 'True' : 'False'}`);
      if (sampler !== null) throw new RangeError(`DataLoader with IterableDataset: expected unspecified sampler option, but got sampler=${describeValue(sampler)}`);
      if (batch_sampler !== null) throw new RangeError(`DataLoader with IterableDataset: expected unspecified batch_sampler option, but got batch_sampler=${describeValue(batch_sampler)}`);
    }
    const shuffle = Boolean(shuffleArg);
    if (sampler !== null && shuffle) throw new RangeError('sampler option is mutually exclusive with shuffle');
    if (batch_sampler !== null && (batch_size !== 1 || shuffle || sampler !== null || drop_last)) {
      throw new RangeError('batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last');
    }
    if (batch_sampler === null && batch_size === null && drop_last) {
      throw new RangeError('batch_size=None option disables auto-batching and is mutually exclusive with drop_last');
    }
    if (batch_size !== null && (typeof batch_size !== 'number' || !Number.isInteger(batch_size) || batch_size <= 0)) {
      throw new RangeError(`batch_size should be a positive integer value, but got batch_size=${String(batch_size)}`);
    }
    this.dataset = dataset;
    this.generator = generator;
    this.num_workers = num_workers;
    this.prefetch_factor = prefetch_factor;
    this.persistent_workers = persistent_workers;
    this.timeout = timeout;
    this.worker_init_fn = worker_init_fn as ((worker_id: number) => void) | null;
    // Python 1.13: pin_memory and torch.cuda.is_available().
    this.pin_memory = pin_memory && cudaIsAvailable();
    this.drop_last = batch_sampler !== null ? false : drop_last;
    this.batch_size = batch_sampler !== null ? null : batch_size;
    if (iterable) {
      this.sampler = null;
      this.batch_sampler = null;
    } else {
      const map = dataset as Dataset<T>;
      this.sampler = sampler ?? (shuffle ? new RandomSampler(map, { generator }) : new SequentialSampler(map));
      this.batch_sampler = batch_sampler ?? (batch_size !== null ? new BatchSampler(this.sampler, batch_size, drop_last) : null);
    }
    this.defaultCollate = collate_fn === null;
    // Python's default: default_collate for batches, default_convert for single items (batch_size=None).
    const autoCollation = this.batch_size !== null || this.batch_sampler !== null;
    this.collate_fn = collate_fn ?? ((autoCollation ? default_collate : default_convert) as CollateFn<T, B>);
  }

  /** Python's len(loader): the number of batches (of items, with batch_size null). */
  get length(): number {
    if (this.sampler === null) {
      const n = (this.dataset as { length?: unknown }).length;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
        throw new TypeError(`object of type '${this.dataset.constructor?.name ?? typeof this.dataset}' has no len()`);
      }
      if (this.batch_size === null) return n;
      return this.drop_last ? Math.floor(n / this.batch_size) : Math.ceil(n / this.batch_size);
    }
    return this.batch_sampler ? this.batch_sampler.length : this.sampler.length;
  }

  *[Symbol.iterator](): Iterator<B> {
    if (this.num_workers > 0) {
      const pool = this.startWorkers();
      try {
        for (let r = pool.next(); !r.done; r = pool.next()) yield this.pinned(r.value as B);
      } finally {
        if (!this.persistent_workers) pool.shutdown();
      }
      return;
    }
    // Python's _BaseDataLoaderIter draws a base seed (for worker processes)
    // even with none; drawing it keeps the generator in step with Python.
    drawSeed(this.generator);
    if (this.sampler === null) {
      yield* this.iterateStream(this.dataset as IterableDataset<T>);
      return;
    }
    const dataset = this.dataset as Dataset<T>;
    if (this.batch_sampler === null) {
      // Without auto-batching collate_fn (default_convert by default) takes each item alone.
      const convert = this.collate_fn as unknown as (item: T) => B;
      for (const index of this.sampler) yield convert(dataset.getitem(index));
      return;
    }
    const batchable = this.defaultCollate && typeof dataset.getbatch === 'function';
    for (const indices of this.batch_sampler) {
      const batch = batchable ? dataset.getbatch!(indices) : undefined;
      yield batch !== undefined ? (batch as B) : this.collate_fn(indices.map((i) => dataset.getitem(i)));
    }
  }

  /**
   * The batches without blocking the event loop: `for await (const batch of loader)`. With workers, the
   * wait for each batch is Atomics.waitAsync, so timers and I/O run while the workers load; without, each
   * batch is loaded on this thread as the synchronous iterator loads it.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    if (this.num_workers === 0) {
      for (const batch of this) yield batch;
      return;
    }
    const pool = this.startWorkers();
    try {
      for (let r = await pool.nextAsync(); !r.done; r = await pool.nextAsync()) yield this.pinned(r.value as B);
    } finally {
      if (!this.persistent_workers) pool.shutdown();
    }
  }

  /**
   * Python's _MultiProcessingDataLoaderIter for one epoch: new workers (or
   * the persistent ones), seeded from a base seed drawn as Python draws it
   * (once per new iterator: once in all with persistent workers).
   */
  private startWorkers(): WorkerPool {
    let pool = this.persistentPool;
    if (pool === null) {
      pool = new WorkerPool({
        dataset: this.dataset,
        collate_fn: this.collate_fn,
        worker_init_fn: this.worker_init_fn,
        auto_collation: this.batch_size !== null || this.batch_sampler !== null,
        batch_size: this.batch_size,
        drop_last: this.drop_last,
        default_collate: this.defaultCollate,
        num_workers: this.num_workers,
        prefetch_factor: this.prefetch_factor,
        timeout: this.timeout,
        base_seed: drawSeed(this.generator),
      });
      if (this.persistent_workers) this.persistentPool = pool;
    }
    pool.startEpoch(this.sampler === null ? null : (this.batch_sampler ?? this.sampler));
    return pool;
  }

  /** A batch with its tensors in pinned memory, where pin_memory asked for it and CUDA is there. */
  private pinned(batch: B): B {
    if (!this.pin_memory) return batch;
    const pin = (v: unknown): unknown => {
      if (v instanceof Tensor) return v.pin_memory();
      if (Array.isArray(v)) return v.map(pin);
      if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, pin(x)]));
      }
      return v;
    };
    return pin(batch) as B;
  }

  /** Python's _IterableDatasetFetcher: batch_size items at a time from the stream, a short last batch unless drop_last. */
  private *iterateStream(dataset: IterableDataset<T>): IterableIterator<B> {
    const it = dataset[Symbol.iterator]();
    if (this.batch_size === null) {
      const convert = this.collate_fn as unknown as (item: T) => B;
      for (let r = it.next(); !r.done; r = it.next()) yield convert(r.value);
      return;
    }
    for (;;) {
      const data: T[] = [];
      let ended = false;
      while (data.length < this.batch_size) {
        const r = it.next();
        if (r.done) {
          ended = true;
          break;
        }
        data.push(r.value);
      }
      if (data.length === 0 || (this.drop_last && data.length < this.batch_size)) return;
      yield this.collate_fn(data);
      if (ended) return;
    }
  }
}
