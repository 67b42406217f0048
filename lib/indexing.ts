// Python's tensor[...] as a function. The order of operations is PyTorch's
// own (torch/csrc/autograd/python_variable_indexing.cpp): integers select,
// slices slice, None unsqueezes, Ellipsis skips, and tensors are gathered into
// one advanced-indexing call at the end.
import { inspect } from 'node:util';

import { _C } from './_C';
import { int64 } from './dtype';
import { tensor } from './factories';
import type { Tensor } from './tensor';

/** Python's slice object: `slice(1, 3)` is `1:3`, `slice()` is `:`. */
export class Slice {
  constructor(
    readonly start: number | null = null,
    readonly stop: number | null = null,
    readonly step: number | null = null,
  ) {
    for (const [name, v] of [['start', start], ['stop', stop], ['step', step]] as const) {
      if (v !== null && !Number.isInteger(v)) throw new TypeError(`slice ${name} must be an integer or null, got ${String(v)}`);
    }
    if (step !== null && step <= 0) throw new RangeError('slice step must be positive');
  }

  [inspect.custom](): string {
    return `slice(${this.start}, ${this.stop}, ${this.step})`;
  }
}

export function slice(start: number | null = null, stop: number | null = null, step: number | null = null): Slice {
  // Python's slice(n) means slice(None, n).
  return arguments.length === 1 ? new Slice(null, start) : new Slice(start, stop, step);
}

export type Index = number | Slice | null | '...' | Tensor | boolean | readonly (number | boolean)[];

function isTensor(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && typeof (v as Tensor).numel === 'function' && 'shape' in (v as object);
}

/**
 * Python's t[[0, 1]]: a list of integers (or of booleans, a mask) indexes as
 * the tensor made from it. A nested list is refused: Python 1.13 reads
 * t[[[0, 1]]] as a tuple of indices (deprecated) and NumPy as one index array,
 * so either reading would surprise someone.
 */
function listIndex(list: readonly unknown[]): Tensor {
  if (list.some((v) => Array.isArray(v) || isTensor(v))) {
    throw new TypeError('index: a nested list is ambiguous as an index (Python 1.13 reads it as a tuple of indices); pass torch.tensor(list), or each index as its own argument');
  }
  if (list.length === 0) return tensor([], { dtype: int64 });
  return tensor(list as number[]);
}

export function indexTensor(self: Tensor, rawIndices: Index[]): Tensor {
  const indices = rawIndices.map((i) => (Array.isArray(i) ? listIndex(i) : i)) as Exclude<Index, readonly unknown[]>[];
  const isMask = (t: Tensor) => t.dtype.name === 'bool' || t.dtype.name === 'uint8';
  const consumed = (i: Index) => (i === null || i === '...' || typeof i === 'boolean' ? 0 : isTensor(i) && isMask(i) ? i.ndim : 1);
  const ellipses = indices.filter((i) => i === '...').length;
  if (ellipses > 1) throw new TypeError('an index can only have a single ellipsis (...)');
  const specified = indices.reduce<number>((n, i) => n + consumed(i), 0);
  if (specified > self.ndim) {
    throw new RangeError(`too many indices for tensor of dimension ${self.ndim} (got ${specified})`);
  }
  let result = self;
  let dim = 0; // the dimension of `result` the next index applies to
  const advanced: (Tensor | null)[] = [];
  for (const index of indices) {
    if (typeof index === 'number') {
      if (!Number.isInteger(index)) throw new TypeError(`index: expected an integer, got ${index}`);
      result = _C.select(result, dim, index);
    } else if (index instanceof Slice) {
      result = _C.slice(result, dim, index.start, index.stop, index.step ?? 1);
      advanced.push(null);
      dim++;
    } else if (index === null) {
      result = _C.unsqueeze(result, dim);
      advanced.push(null);
      dim++;
    } else if (index === '...') {
      const skip = self.ndim - specified;
      for (let k = 0; k < skip; k++) advanced.push(null);
      dim += skip;
    } else if (typeof index === 'boolean') {
      // Python's t[True] adds a dimension of size 1; t[False] one of size 0.
      result = _C.unsqueeze(result, dim);
      if (!index) result = _C.slice(result, dim, 0, 0, 1);
      advanced.push(null);
      dim++;
    } else if (isTensor(index)) {
      // One entry in aten::index's list, however many dimensions a mask covers.
      advanced.push(index);
      dim += consumed(index);
    } else {
      throw new TypeError(
        `index: only integers, slices (slice()), null, '...', booleans and tensors are valid indices (got ${typeof index})`,
      );
    }
  }
  if (advanced.some((t) => t !== null)) {
    while (advanced.length && advanced[advanced.length - 1] === null) advanced.pop();
    result = _C.index(result, advanced);
  }
  return result;
}
