// torch.utils.data datasets. Python's __getitem__, __len__ and __add__
// are `getitem(index)`, `length` and `add(other)` here; a dataset that can hand over a whole
// batch at once also implements `getbatch(indices)`, returning what
// default_collate would make of the items, so DataLoader batches it with
// one native gather instead of one JS call per item.
import { _C } from '../../_C';
import { int64 } from '../../dtype';
import { randperm, tensor } from '../../factories';
import type { Generator } from '../../generator';
import { Tensor } from '../../tensor';
import { Slice, type Index } from '../../indexing';
import { PYTHON_DEF, PythonArgParser } from '../../_arg_parser';
import { describeValue } from '../../_options';
import { parseNamedLeading } from '../../nn/modules/utils';

/** A dataset given first, even a plain `{ getitem, length }`, is the positional one, not the keywords. */
const isDataset = (v: unknown) => v !== null && typeof v === 'object' && typeof (v as { getitem?: unknown }).getitem === 'function';

// Python defs: an unknown keyword's message suggests the nearest parameter as CPython 3.13 does (_arg_parser.ts).

const subsetArgs = new PythonArgParser(['Subset(Any dataset, Any indices)'], PYTHON_DEF);
const concatArgs = new PythonArgParser(['ConcatDataset(Any datasets)'], PYTHON_DEF);
const chainArgs = new PythonArgParser(['ChainDataset(Any datasets)'], PYTHON_DEF);
const randomSplitArgs = new PythonArgParser(['random_split(Any dataset, Any lengths, Any generator=None)'], PYTHON_DEF);

export abstract class Dataset<T = unknown> {
  /** The item at index (Python's __getitem__). */
  abstract getitem(index: number): T;

  /** How many items there are (Python's __len__). */
  abstract get length(): number;

  /**
   * Optional: the collated batch for these indices (what default_collate
   * would give), or undefined to have DataLoader fetch item by item.
   */
  getbatch?(indices: number[]): unknown;

  /** This dataset's items, then other's (Python's `self + other`): ConcatDataset([this, other]). */
  add<U>(other: Dataset<U>): ConcatDataset<T | U> {
    return new ConcatDataset<T | U>([this, other] as Dataset<T | U>[]);
  }
}

/**
 * A dataset that is a stream (Python's IterableDataset): it yields its items
 * (Python's __iter__ is [Symbol.iterator] here) instead of being indexed.
 * DataLoader batches what it yields, in order; `length`, where a subclass
 * defines it, is what len(loader) reads.
 */
export abstract class IterableDataset<T = unknown> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;

  /**
   * How many items the stream yields (Python's __len__), what len(loader)
   * reads; a subclass that knows defines `get length()`. Without one it is
   * Python's TypeError, as len() of such a dataset is.
   */
  get length(): number {
    throw new TypeError(`object of type '${this.constructor.name}' has no len()`);
  }

  /** This stream's items, then other's (Python's `self + other`): ChainDataset([this, other]). */
  add<U>(other: IterableDataset<U>): ChainDataset<T | U> {
    return new ChainDataset<T | U>([this, other] as IterableDataset<T | U>[]);
  }
}

/** Whether v is a stream dataset: an IterableDataset, or any iterable without getitem. */
export function isIterableDataset(v: unknown): v is IterableDataset<unknown> {
  if (v instanceof IterableDataset) return true;
  return (
    v !== null && typeof v === 'object' && !Array.isArray(v) &&
    typeof (v as { getitem?: unknown }).getitem !== 'function' && typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function'
  );
}

/** Checks an index as Python's sequences do, negative counting from the end. */
export function checkIndex(index: number, length: number, what: string): number {
  if (!Number.isInteger(index)) throw new TypeError(`${what} indices must be integers, got ${String(index)}`);
  const i = index < 0 ? index + length : index;
  if (i < 0 || i >= length) throw new RangeError(`index ${index} is out of range for ${what} of length ${length}`);
  return i;
}

/**
 * Rows of tensors that share their first dimension: item i is
 * [t0[i], t1[i], ...]. As in Python, the index may also be a slice, a list
 * of indices or an index Tensor: each tensor is indexed by it
 * (`ds.getitem(slice(2, 5))` is Python's `ds[2:5]`).
 */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0 || !tensors.every((t) => t instanceof Tensor)) {
      throw new TypeError('TensorDataset needs one or more Tensors');
    }
    const n = tensors[0].size(0);
    if (!tensors.every((t) => t.ndim > 0 && t.size(0) === n)) throw new RangeError('Size mismatch between tensors');
    this.tensors = tensors;
  }

  getitem(index: number | Slice | Tensor | readonly number[]): Tensor[] {
    if (typeof index === 'number') {
      const i = checkIndex(index, this.length, 'TensorDataset');
      return this.tensors.map((t) => _C.select(t, 0, i));
    }
    if (!(index instanceof Slice || index instanceof Tensor || Array.isArray(index))) {
      throw new TypeError(`TensorDataset indices must be an int, a slice, a list of ints or a Tensor, not ${describeValue(index)}`);
    }
    return this.tensors.map((t) => t.index(index as Index));
  }

  get length(): number {
    return this.tensors[0].size(0);
  }

  override getbatch(indices: number[]): Tensor[] {
    const idx = indexTensor(indices, this.length, 'TensorDataset');
    return this.tensors.map((t) => _C.index_select(t, 0, idx));
  }
}

/** Indices as an int64 tensor, checked against the dataset's length. */
export function indexTensor(indices: number[], length: number, what: string): Tensor {
  for (const i of indices) checkIndex(i, length, what);
  return tensor(indices, { dtype: int64 });
}

/** The items of dataset at the given indices, in that order. */
export class Subset<T> extends Dataset<T> {
  readonly dataset: Dataset<T>;
  readonly indices: number[];

  /** Python's Subset(dataset, indices). */
  constructor(dataset: Dataset<T>, indices: number[]);
  constructor(dataset: Dataset<T>, options: { indices: number[] });
  constructor(options: { dataset: Dataset<T>; indices: number[] });
  constructor(...args: unknown[]) {
    super();
    const { dataset, indices } = parseNamedLeading(subsetArgs, args, isDataset) as { dataset: Dataset<T>; indices: number[] };
    if (!isDataset(dataset)) throw new TypeError('Subset(): argument \'dataset\' must be a Dataset (with getitem(index) and length)');
    if (!Array.isArray(indices)) throw new TypeError(`Subset(): argument 'indices' must be a list of ints, not ${typeof indices}`);
    this.dataset = dataset;
    this.indices = indices;
  }

  /** Item idx of the subset; a list of indices asks the dataset for those items at once, as Python's Subset does. */
  getitem(index: number): T;
  getitem(index: readonly number[]): unknown;
  getitem(index: number | readonly number[]): unknown {
    if (Array.isArray(index)) {
      const mapped = index.map((i) => this.indices[checkIndex(i, this.length, 'Subset')]);
      return (this.dataset.getitem as (i: unknown) => unknown)(mapped);
    }
    return this.dataset.getitem(this.indices[checkIndex(index as number, this.length, 'Subset')]);
  }

  get length(): number {
    return this.indices.length;
  }

  /** The wrapped dataset's batch, where it can make one; undefined sends DataLoader item by item. */
  override getbatch(indices: number[]): unknown {
    if (!this.dataset.getbatch) return undefined;
    return this.dataset.getbatch(indices.map((i) => this.indices[checkIndex(i, this.length, 'Subset')]));
  }
}

/** Datasets one after another. */
export class ConcatDataset<T> extends Dataset<T> {
  readonly datasets: Dataset<T>[];
  readonly cumulative_sizes: number[];

  /** Python's ConcatDataset(datasets). */
  constructor(datasets: Dataset<T>[]);
  constructor(options: { datasets: Dataset<T>[] });
  constructor(...args: unknown[]) {
    super();
    const { datasets } = concatArgs.parseNamed(args) as unknown as { datasets: Dataset<T>[] };
    const list = datasets !== null && typeof datasets === 'object' && typeof (datasets as Iterable<Dataset<T>>)[Symbol.iterator] === 'function' ? [...(datasets as Iterable<Dataset<T>>)] : null;
    if (list === null) throw new TypeError(`ConcatDataset(): argument 'datasets' must be a list of datasets, not ${describeValue(datasets)}`);
    if (list.length === 0) throw new RangeError('datasets should not be an empty iterable');
    list.forEach((d, i) => {
      if (isIterableDataset(d)) throw new TypeError('ConcatDataset does not support IterableDataset');
      if (!isDataset(d)) throw new TypeError(`ConcatDataset(): datasets[${i}] must be a Dataset (with getitem(index) and length), not ${describeValue(d)}`);
    });
    this.datasets = list;
    let total = 0;
    this.cumulative_sizes = datasets.map((d) => (total += d.length));
  }

  getitem(index: number): T {
    if (Number.isInteger(index) && index < 0 && -index > this.length) throw new RangeError('absolute value of index should not exceed dataset length');
    const i = checkIndex(index, this.length, 'ConcatDataset');
    const k = this.cumulative_sizes.findIndex((end) => i < end);
    return this.datasets[k].getitem(k === 0 ? i : i - this.cumulative_sizes[k - 1]);
  }

  get length(): number {
    return this.cumulative_sizes[this.cumulative_sizes.length - 1];
  }
}

/** IterableDatasets one after another, chained as they are iterated. */
export class ChainDataset<T> extends IterableDataset<T> {
  readonly datasets: Iterable<IterableDataset<T>>;

  /** Python's ChainDataset(datasets). */
  constructor(datasets: Iterable<IterableDataset<T>>);
  constructor(options: { datasets: Iterable<IterableDataset<T>> });
  constructor(...args: unknown[]) {
    super();
    const { datasets } = chainArgs.parseNamed(args) as unknown as { datasets: Iterable<IterableDataset<T>> };
    if (datasets === null || typeof datasets !== 'object' || typeof datasets[Symbol.iterator] !== 'function') {
      throw new TypeError(`ChainDataset(): argument 'datasets' must be an iterable of IterableDatasets, not ${describeValue(datasets)}`);
    }
    this.datasets = datasets;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const d of this.datasets) {
      if (!isIterableDataset(d)) throw new TypeError('ChainDataset only supports IterableDataset');
      yield* d as Iterable<T>;
    }
  }

  /** The sum of the chained datasets' lengths (each must have one). */
  override get length(): number {
    let total = 0;
    for (const d of this.datasets) {
      if (!isIterableDataset(d)) throw new TypeError('ChainDataset only supports IterableDataset');
      const n = (d as { length?: unknown }).length;
      if (typeof n !== 'number') throw new TypeError(`object of type '${d.constructor?.name ?? typeof d}' has no len()`);
      total += n;
    }
    return total;
  }
}

/**
 * Splits dataset into non-overlapping subsets of the given lengths (or
 * fractions summing to 1), from one randperm of the generator, as Python
 * does; the default generator when none is given.
 */
export function random_split<T>(dataset: Dataset<T>, lengths: number[], generator?: Generator | null, options?: { generator?: Generator | null }): Subset<T>[];
export function random_split<T>(dataset: Dataset<T>, lengths: number[], options: { generator?: Generator | null }): Subset<T>[];
export function random_split<T>(options: { dataset: Dataset<T>; lengths: number[]; generator?: Generator | null }): Subset<T>[];
export function random_split<T>(...args: unknown[]): Subset<T>[] {
  const { dataset, lengths, generator } = parseNamedLeading(randomSplitArgs, args, isDataset) as { dataset: Dataset<T>; lengths: number[]; generator: Generator | null };
  if (!Array.isArray(lengths)) throw new TypeError(`random_split(): argument 'lengths' must be a list of ints or fractions, not ${typeof lengths}`);
  const n = dataset.length;
  let sizes = [...lengths];
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) <= 1e-9 && sum <= 1) {
    sizes = sizes.map((f, i) => {
      if (f < 0 || f > 1) throw new RangeError(`Fraction at index ${i} is not between 0 and 1`);
      return Math.floor(n * f);
    });
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length] += 1;
    sizes.forEach((len, i) => {
      if (len === 0) process.emitWarning(`Length of split at index ${i} is 0. This might result in an empty dataset.`, 'UserWarning');
    });
  }
  if (sizes.some((s) => !Number.isInteger(s) || s < 0)) throw new TypeError('random_split: lengths must be non-negative integers or fractions');
  if (sizes.reduce((a, b) => a + b, 0) !== n) {
    throw new RangeError('Sum of input lengths does not equal the length of the input dataset!');
  }
  const perm = randperm(n, { generator }).tolist() as number[];
  let offset = 0;
  return sizes.map((len) => new Subset(dataset, perm.slice(offset, (offset += len))));
}
