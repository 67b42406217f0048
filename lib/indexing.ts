// Python's tensor[...] and tensor[...] = value as functions. The order of
// operations is PyTorch's own (torch/csrc/autograd/python_variable_indexing.cpp
// and ATen/TensorIndexing.h: applySlicing, get_item, set_item): integers
// select, slices slice, None unsqueezes, Ellipsis skips, and tensors are
// gathered into one advanced-indexing call at the end (aten::index to read,
// aten::index_put_ to write). Writing through basic indexing copies into the
// view that indexing gives, so autograd records CopySlices as in Python.
import { inspect } from 'node:util';

import { _C } from './_C';
import { libtorchAtLeast } from './_libtorch_version';
import { int64 } from './dtype';
import { tensor } from './factories';
import { native } from './native';
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

type Parsed = Exclude<Index, readonly unknown[]>;

const isMask = (t: Tensor) => t.dtype.name === 'bool' || t.dtype.name === 'uint8';
const isIntegral = (t: Tensor) => !t.dtype.is_floating_point && !t.dtype.is_complex;

/** Lists become index tensors; anything that is not an index is refused, naming its position. */
function parseIndices(fn: string, raw: readonly Index[]): Parsed[] {
  return raw.map((i, k) => {
    if (Array.isArray(i)) return listIndex(i);
    if (typeof i === 'number') {
      if (!Number.isInteger(i)) throw new TypeError(`${fn}(): index ${k} must be an integer, got ${i}`);
      return i;
    }
    if (i === null || i === '...' || typeof i === 'boolean' || i instanceof Slice) return i as Parsed;
    if (isTensor(i)) {
      if (native.isDisposed(i)) throw new Error(`${fn}(): index ${k} is a Tensor that was disposed; it cannot be used after dispose()`);
      return i;
    }
    throw new TypeError(
      `${fn}(): index ${k}: only integers, slices (slice()), null, '...', booleans, lists and tensors are valid indices (got ${describeValue(i)})`,
    );
  });
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `the string '${v}'`;
  if (typeof v === 'object') return v === null ? 'null' : (v.constructor?.name ?? 'an object');
  return typeof v;
}

// Python's count_specified_dimensions: the dimensions the indices name (a
// mask names as many as it has).
function countSpecified(indices: readonly Parsed[]): number {
  let n = 0;
  for (const i of indices) {
    if (i === null || i === '...' || typeof i === 'boolean') continue;
    n += isTensor(i) && isMask(i) ? i.ndim : 1;
  }
  return n;
}

/** 2.14 takes a slice from 0 to or past the end (x[:], x[0:]) as the whole dimension; 2.6 only 0:size. Measured on both; the versions between follow 2.6 here. */
const SLICES_TO_THE_END_ARE_WHOLE = libtorchAtLeast(2, 14);

// impl::applySelect: Python's bounds check and message, with the position of
// the index in the index tuple (real_dim) as the dimension it names.
function applySelect(fn: string, t: Tensor, dim: number, index: number, realDim: number): Tensor {
  const shape = native.shape(t);
  if (shape.length === 0) {
    throw new RangeError(`${fn}(): invalid index of a 0-dim tensor. Use \`tensor.item()\` in Python or \`tensor.item<T>()\` in C++ to convert a 0-dim tensor to a number`);
  }
  const size = shape[dim];
  if (!(size >= -index && size > index)) {
    throw new RangeError(`${fn}(): index ${index} is out of bounds for dimension ${realDim} with size ${size}`);
  }
  return _C.select(t, dim, index);
}

// impl::applySlice. Python reads a missing start as 0 and a missing stop as
// the largest index, and a slice that names the whole dimension (0:size:1;
// 2.14: any stop at or past the end, a missing one included, so that
// `x[:] = v` writes x itself) is the tensor itself, not a view of it, when
// `optimize` is on (set_item; get_item of one slice turns it off).
function applySlice(t: Tensor, dim: number, s: Slice, optimize: boolean): Tensor {
  const start = s.start ?? 0;
  const step = s.step ?? 1;
  if (optimize && start === 0 && step === 1) {
    // A missing stop decides without the size (every x[:] = v goes by here).
    if (s.stop === null ? SLICES_TO_THE_END_ARE_WHOLE : SLICES_TO_THE_END_ARE_WHOLE ? s.stop >= native.shape(t)[dim] : s.stop === native.shape(t)[dim]) return t;
  }
  return _C.slice(t, dim, start, s.stop, step);
}

// impl::boolToIndexingTensor: True indexes a new dimension of size 1 as 0:,
// False as empty.
function boolIndex(value: boolean): Tensor {
  return value ? tensor([0], { dtype: int64 }) : tensor([], { dtype: int64 });
}

/**
 * impl::applySlicing: the basic indices applied in order to a view of self,
 * and the tensor indices left for one advanced-indexing call, each at the
 * dimension of the result it indexes (null where none does).
 */
function applySlicing(fn: string, self: Tensor, indices: readonly Parsed[], optimize: boolean): [Tensor, (Tensor | null)[]] {
  const ndim = self.ndim;
  const ellipses = indices.filter((i) => i === '...').length;
  // Python 1.13 accepts several, each skipping the same dimensions; NumPy
  // refuses, and so does torchts rather than guess which was meant.
  if (ellipses > 1) throw new TypeError(`${fn}(): an index can only have a single ellipsis (...)`);
  const specified = countSpecified(indices);
  if (specified > ndim) throw new RangeError(`${fn}(): too many indices for tensor of dimension ${ndim} (got ${specified})`);
  let result = self;
  let dim = 0; // the dimension of `result` the next index applies to
  const advanced: (Tensor | null)[] = [];
  const record = (t: Tensor, width: number) => {
    while (advanced.length < dim) advanced.push(null);
    advanced[dim] = t;
    dim += width;
  };
  indices.forEach((index, realDim) => {
    if (typeof index === 'number') {
      result = applySelect(fn, result, dim, index, realDim);
    } else if (index instanceof Slice) {
      result = applySlice(result, dim, index, optimize);
      dim++;
    } else if (index === null) {
      result = _C.unsqueeze(result, dim);
      dim++;
    } else if (index === '...') {
      dim += ndim - specified;
    } else if (typeof index === 'boolean') {
      result = _C.unsqueeze(result, dim);
      record(boolIndex(index), 1);
    } else if (index.ndim === 0 && isIntegral(index)) {
      // A 0-d integer tensor is a number (a view, as Python's t[torch.tensor(1)]);
      // a 0-d bool tensor a boolean.
      if (isMask(index)) {
        result = _C.unsqueeze(result, dim);
        record(boolIndex(Boolean(index.item())), 1);
      } else {
        result = applySelect(fn, result, dim, Number(index.item()), realDim);
      }
    } else {
      // One entry in the advanced indices, however many dimensions a mask
      // covers. Python 1.13 moves on by one dimension after a mask (so a
      // 2-d mask followed by another index errors or reads other elements);
      // torchts moves past all the mask's dimensions, as NumPy does.
      record(index, isMask(index) ? index.ndim : 1);
    }
  });
  return [result, advanced];
}

// impl::typeConvertIndices: index tensors go to the indexed tensor's device.
function onDeviceOf(self: Tensor, indices: (Tensor | null)[]): (Tensor | null)[] {
  const where = native.device(self);
  return indices.map((t) => (t === null || native.device(t) === where ? t : t.to(where)));
}

/** Python's t[indices] (THPVariable_getitem). */
export function indexTensor(self: Tensor, rawIndices: Index[]): Tensor {
  const fn = 'index';
  const indices = parseIndices(fn, rawIndices);
  if (indices.length === 1) {
    // get_item's one-index cases: a slice here is always a view.
    const index = indices[0];
    if (typeof index === 'number') return applySelect(fn, self, 0, index, 0);
    if (index instanceof Slice) return applySlice(self, 0, index, false);
    if (index === null) return _C.unsqueeze(self, 0);
    if (index === '...') return _C.alias(self);
    if (typeof index === 'boolean') return _C.index(_C.unsqueeze(self, 0), [boolIndex(index)]);
  }
  const [sliced, advanced] = applySlicing(fn, self, indices, true);
  if (advanced.length === 0) return sliced === self ? _C.alias(self) : sliced;
  return _C.index(sliced, onDeviceOf(sliced, advanced));
}

/** What setitem can assign: a tensor, or a number (or boolean, or BigInt) made one. */
export type SetValue = Tensor | number | boolean | bigint;

// valueToTensor: a number becomes a 0-d tensor of self's dtype (on the CPU
// for a CUDA tensor, which copy_ and index_put_ take as a scalar), so
// converting it follows the dtype's rules: 3.7 into int64 is 3, 300 into
// uint8 an overflow error.
function valueToTensor(fn: string, self: Tensor, value: unknown): Tensor {
  if (isTensor(value)) {
    if (native.isDisposed(value)) throw new Error(`${fn}(): argument 'value' is a Tensor that was disposed; it cannot be used after dispose()`);
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    const where = native.device(self);
    const scalar = typeof value === 'boolean' ? Number(value) : value;
    return _C.scalar_tensor(scalar, self.dtype, null, where.startsWith('cuda') ? 'cpu' : where);
  }
  throw new TypeError(`${fn}(): argument 'value' must be a Tensor or a number, got ${describeValue(value)}`);
}

// slicePrefix1sSize: the sizes without their leading 1s.
function withoutLeadingOnes(shape: readonly number[]): number[] {
  let k = 0;
  while (k < shape.length && shape[k] === 1) k++;
  return shape.slice(k);
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

// at::indexing::copy_to: the same shape copies; a CPU number fills; else the
// value, less its leading 1s, is expanded to the destination (the expand's
// error is Python's "The expanded size of the tensor ... must match").
function copyTo(dst: Tensor, src: Tensor): void {
  const dstShape = native.shape(dst);
  const srcShape = native.shape(src);
  if (sameShape(dstShape, srcShape)) {
    _C.copy_(dst, src, false);
  } else if (srcShape.length === 0 && native.device(src) === 'cpu') {
    _C.fill_tensor_(dst, src);
  } else {
    const trimmed = withoutLeadingOnes(srcShape);
    const view = trimmed.length === srcShape.length ? src : _C.view(src, trimmed);
    _C.copy_(dst, sameShape(trimmed, dstShape) ? view : _C.expand(view, dstShape, false), false);
  }
}

/**
 * Python's t[indices] = value (THPVariable_setitem and at::indexing::set_item).
 * libtorch's own errors (a leaf that requires grad, a dtype index_put_ cannot
 * take, a value that does not broadcast) keep their words and gain the name
 * of the call, as the checks made here have it.
 */
export function setIndex(self: Tensor, rawIndices: readonly Index[], rawValue: unknown): void {
  try {
    setIndexUnnamed(self, rawIndices, rawValue);
  } catch (e) {
    if (e instanceof Error && !e.message.startsWith('setitem(')) e.message = `setitem(): ${e.message}`;
    throw e;
  }
}

function setIndexUnnamed(self: Tensor, rawIndices: readonly Index[], rawValue: unknown): void {
  const fn = 'setitem';
  if (native.isDisposed(self)) throw new Error(`${fn}(): self is a Tensor that was disposed; it cannot be used after dispose()`);
  if (native.layout(self) !== 0) throw new TypeError(`${fn}(): cannot assign to a sparse tensor`);
  const value = valueToTensor(fn, self, rawValue);
  const indices = parseIndices(fn, rawIndices);
  if (indices.length === 1) {
    // set_item's one-index cases, each a view (or self) to copy into.
    const index = indices[0];
    if (index === false) return; // Python does nothing, whatever the value's shape
    if (index === '...') return copyTo(self, value);
    if (index === null || index === true) return copyTo(_C.unsqueeze(self, 0), value);
    if (typeof index === 'number') return copyTo(applySelect(fn, self, 0, index, 0), value);
    if (index instanceof Slice) return copyTo(applySlice(self, 0, index, true), value);
  }
  const [sliced, advanced] = applySlicing(fn, self, indices, true);
  if (advanced.length === 0) return copyTo(sliced, value);
  const valueShape = native.shape(value);
  const trimmed = withoutLeadingOnes(valueShape);
  const values = trimmed.length === valueShape.length ? value : _C.view(value, trimmed);
  _C.index_put_(sliced, onDeviceOf(sliced, advanced), values, false);
}
