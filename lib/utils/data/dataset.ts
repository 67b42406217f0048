// torch.utils.data datasets. Python's __getitem__ and __len__ are
// `getitem(index)` and `length` here; a dataset that can hand over a whole
// batch at once also implements `getbatch(indices)`, returning what
// default_collate would make of the items, so DataLoader batches it with
// one native gather instead of one JS call per item.
import { _C } from '../../_C';
import { int64 } from '../../dtype';
import { randperm, tensor } from '../../factories';
import type { Generator } from '../../generator';
import { Tensor } from '../../tensor';
import { PythonArgParser } from '../../_arg_parser';
import { parseNamedLeading } from '../../nn/modules/utils';

/** A dataset given first, even a plain `{ getitem, length }`, is the positional one, not the keywords. */
const isDataset = (v: unknown) => v !== null && typeof v === 'object' && typeof (v as { getitem?: unknown }).getitem === 'function';

const subsetArgs = new PythonArgParser(['Subset(Any dataset, Any indices)']);
const concatArgs = new PythonArgParser(['ConcatDataset(Any datasets)']);
const randomSplitArgs = new PythonArgParser(['random_split(Any dataset, Any lengths, Any generator=None)']);

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
}

/** Checks an index as Python's sequences do, negative counting from the end. */
export function checkIndex(index: number, length: number, what: string): number {
  if (!Number.isInteger(index)) throw new TypeError(`${what} indices must be integers, got ${String(index)}`);
  const i = index < 0 ? index + length : index;
  if (i < 0 || i >= length) throw new RangeError(`index ${index} is out of range for ${what} of length ${length}`);
  return i;
}

/** Rows of tensors that share their first dimension: item i is [t0[i], t1[i], ...]. */
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

  getitem(index: number): Tensor[] {
    const i = checkIndex(index, this.length, 'TensorDataset');
    return this.tensors.map((t) => _C.select(t, 0, i));
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

  getitem(index: number): T {
    return this.dataset.getitem(this.indices[checkIndex(index, this.length, 'Subset')]);
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
    if (!Array.isArray(datasets) || datasets.length === 0) throw new TypeError('datasets should not be an empty iterable');
    this.datasets = datasets;
    let total = 0;
    this.cumulative_sizes = datasets.map((d) => (total += d.length));
  }

  getitem(index: number): T {
    const i = checkIndex(index, this.length, 'ConcatDataset');
    const k = this.cumulative_sizes.findIndex((end) => i < end);
    return this.datasets[k].getitem(k === 0 ? i : i - this.cumulative_sizes[k - 1]);
  }

  get length(): number {
    return this.cumulative_sizes[this.cumulative_sizes.length - 1];
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
  }
  if (sizes.some((s) => !Number.isInteger(s) || s < 0)) throw new TypeError('random_split: lengths must be non-negative integers or fractions');
  if (sizes.reduce((a, b) => a + b, 0) !== n) {
    throw new RangeError('Sum of input lengths does not equal the length of the input dataset!');
  }
  const perm = randperm(n, { generator }).tolist() as number[];
  let offset = 0;
  return sizes.map((len) => new Subset(dataset, perm.slice(offset, (offset += len))));
}
