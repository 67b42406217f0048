// Module-level functions: torch.add(a, b) is a.add(b), as in Python.
import { _C } from './_C';
import type { dtype } from './dtype';
import { Tensor, type Dims, type ReduceOptions, type TensorOrScalar } from './tensor';
import type { ValuesIndices } from './return_types';

/**
 * torch.add: elementwise `out_i = input_i + alpha * other_i` (alpha defaults to 1), as input.add(other).
 * Broadcasts input and other to a common shape.
 */
export const add = (input: Tensor, other: TensorOrScalar, opts?: { alpha?: number }): Tensor => input.add(other, opts);
/**
 * torch.sub: elementwise `out_i = input_i - alpha * other_i` (alpha defaults to 1), as input.sub(other).
 * Broadcasts input and other to a common shape.
 */
export const sub = (input: Tensor, other: TensorOrScalar, opts?: { alpha?: number }): Tensor => input.sub(other, opts);
/**
 * torch.mul: elementwise product `out_i = input_i * other_i`, as input.mul(other). Broadcasts input and
 * other to a common shape.
 */
export const mul = (input: Tensor, other: TensorOrScalar): Tensor => input.mul(other);
/**
 * torch.div: elementwise true division `out_i = input_i / other_i`, or rounded with `rounding_mode` 'trunc'
 * or 'floor', as input.div(other). Broadcasts input and other to a common shape.
 */
export const div = (input: Tensor, other: TensorOrScalar, opts?: { rounding_mode?: 'trunc' | 'floor' | null }): Tensor =>
  input.div(other, opts);
/** torch.bmm: batched matrix product, (b, n, m) and (b, m, p) giving (b, n, p); no broadcasting. */
export const bmm = (input: Tensor, other: Tensor): Tensor => input.bmm(other);
/**
 * torch.dot: the dot product `sum_i input_i * other_i` of two 1-D tensors of the same length, as a 0-d
 * tensor.
 */
export const dot = (input: Tensor, other: Tensor): Tensor => input.dot(other);
/**
 * torch.addmm: `out = beta * input + alpha * (mat1 @ mat2)` (beta and alpha default to 1), mat1 (n, m) and
 * mat2 (m, p) giving (n, p), input broadcast to (n, p); the affine map of a linear layer in one call.
 */
export const addmm = (input: Tensor, mat1: Tensor, mat2: Tensor, { beta, alpha }: { beta?: number; alpha?: number } = {}): Tensor =>
  _C.addmm(input, mat1, mat2, beta, alpha);
/** torch.neg: elementwise `out_i = -input_i`. */
export const neg = (input: Tensor): Tensor => input.neg();
/** torch.abs: elementwise absolute value `out_i = |input_i|`. */
export const abs = (input: Tensor): Tensor => input.abs();
/** torch.exp: elementwise exponential `out_i = e ** input_i`. */
export const exp = (input: Tensor): Tensor => input.exp();
/** torch.log: elementwise natural logarithm `out_i = ln(input_i)`. */
export const log = (input: Tensor): Tensor => input.log();
/** torch.sqrt: elementwise square root `out_i = sqrt(input_i)`. */
export const sqrt = (input: Tensor): Tensor => input.sqrt();
/** torch.sin: elementwise sine, input in radians. */
export const sin = (input: Tensor): Tensor => input.sin();
/** torch.cos: elementwise cosine, input in radians. */
export const cos = (input: Tensor): Tensor => input.cos();
/** torch.relu: elementwise `out_i = max(0, input_i)`. */
export const relu = (input: Tensor): Tensor => input.relu();
/** torch.sigmoid: elementwise `out_i = 1 / (1 + exp(-input_i))`. */
export const sigmoid = (input: Tensor): Tensor => input.sigmoid();
/** torch.tanh: elementwise hyperbolic tangent. */
export const tanh = (input: Tensor): Tensor => input.tanh();
/**
 * torch.maximum: elementwise `out_i = max(input_i, other_i)`, NaN if either is NaN. Broadcasts input and
 * other to a common shape.
 */
export const maximum = (input: Tensor, other: Tensor): Tensor => input.maximum(other);
/**
 * torch.minimum: elementwise `out_i = min(input_i, other_i)`, NaN if either is NaN. Broadcasts input and
 * other to a common shape.
 */
export const minimum = (input: Tensor, other: Tensor): Tensor => input.minimum(other);
/**
 * torch.eq: elementwise `input_i == other_i` as a bool tensor. Broadcasts input and other to a common shape.
 */
export const eq = (input: Tensor, other: TensorOrScalar): Tensor => input.eq(other);
/**
 * torch.ne: elementwise `input_i != other_i` as a bool tensor. Broadcasts input and other to a common shape.
 */
export const ne = (input: Tensor, other: TensorOrScalar): Tensor => input.ne(other);
/**
 * torch.lt: elementwise `input_i < other_i` as a bool tensor. Broadcasts input and other to a common shape.
 */
export const lt = (input: Tensor, other: TensorOrScalar): Tensor => input.lt(other);
/**
 * torch.le: elementwise `input_i <= other_i` as a bool tensor. Broadcasts input and other to a common shape.
 */
export const le = (input: Tensor, other: TensorOrScalar): Tensor => input.le(other);
/**
 * torch.gt: elementwise `input_i > other_i` as a bool tensor. Broadcasts input and other to a common shape.
 */
export const gt = (input: Tensor, other: TensorOrScalar): Tensor => input.gt(other);
/**
 * torch.ge: elementwise `input_i >= other_i` as a bool tensor. Broadcasts input and other to a common shape.
 */
export const ge = (input: Tensor, other: TensorOrScalar): Tensor => input.ge(other);
/** torch.isfinite: a bool tensor, true where an element is neither infinite nor NaN. */
export const isfinite = (input: Tensor): Tensor => input.isfinite();
/** torch.isnan: a bool tensor, true where an element is NaN. */
export const isnan = (input: Tensor): Tensor => input.isnan();
/** torch.equal: whether input and other have the same shape and elements, as a JS boolean. */
export const equal = (input: Tensor, other: Tensor): boolean => input.equal(other);
/**
 * torch.allclose: whether `|input_i - other_i| <= atol + rtol * |other_i|` for every element (rtol 1e-5,
 * atol 1e-8 by default), as a JS boolean.
 */
export const allclose = (input: Tensor, other: Tensor, opts?: { rtol?: number; atol?: number; equal_nan?: boolean }): boolean =>
  input.allclose(other, opts);

/**
 * torch.sum: the sum of all elements as a 0-d tensor, or along `dim` (a number or a list); `keepdim` keeps
 * reduced dimensions with size 1, `dtype` casts first.
 */
export const sum = (input: Tensor, dim?: Dims | (ReduceOptions & { dim?: Dims }), opts?: ReduceOptions): Tensor => input.sum(dim, opts);
/**
 * torch.mean: `(1 / N) * sum_i input_i` over all elements, or along `dim` (a number or a list); `keepdim`
 * keeps reduced dimensions with size 1.
 */
export const mean = (input: Tensor, dim?: Dims | (ReduceOptions & { dim?: Dims }), opts?: ReduceOptions): Tensor => input.mean(dim, opts);
/**
 * torch.argmax: the position of the largest element, in the flattened tensor or along dim; `keepdim` keeps
 * dim with size 1.
 */
export const argmax = (input: Tensor, dim?: number | { dim?: number; keepdim?: boolean }, opts?: { keepdim?: boolean }): Tensor =>
  input.argmax(dim, opts);
/**
 * torch.argmin: the position of the smallest element, in the flattened tensor or along dim; `keepdim` keeps
 * dim with size 1.
 */
export const argmin = (input: Tensor, dim?: number | { dim?: number; keepdim?: boolean }, opts?: { keepdim?: boolean }): Tensor =>
  input.argmin(dim, opts);

/**
 * torch.max: `max(input)` is the largest element as a 0-d tensor; `max(input, dim)` gives `{values,
 * indices}` along dim (removed unless `keepdim`); `max(input, other)` is the elementwise maximum.
 */
export function max(input: Tensor): Tensor;
export function max(input: Tensor, other: Tensor): Tensor;
export function max(input: Tensor, dim: number, opts?: { keepdim?: boolean }): ValuesIndices;
export function max(input: Tensor, dimOrOther?: any, opts?: { keepdim?: boolean }): Tensor | ValuesIndices {
  return dimOrOther === undefined ? input.max() : input.max(dimOrOther, opts);
}

/**
 * torch.min: `min(input)` is the smallest element as a 0-d tensor; `min(input, dim)` gives `{values,
 * indices}` along dim (removed unless `keepdim`); `min(input, other)` is the elementwise minimum.
 */
export function min(input: Tensor): Tensor;
export function min(input: Tensor, other: Tensor): Tensor;
export function min(input: Tensor, dim: number, opts?: { keepdim?: boolean }): ValuesIndices;
export function min(input: Tensor, dimOrOther?: any, opts?: { keepdim?: boolean }): Tensor | ValuesIndices {
  return dimOrOther === undefined ? input.min() : input.min(dimOrOther, opts);
}

/**
 * torch.reshape: the same elements with a new shape of the same number of elements (one size may be -1); a
 * view when the strides allow it, otherwise a copy.
 */
export const reshape = (input: Tensor, shape: readonly number[]): Tensor => input.reshape(shape);
/** torch.squeeze: a view without the dimensions of size 1 (only dim when given), so (1, 3, 1) gives (3,). */
export const squeeze = (input: Tensor, dim?: number): Tensor => input.squeeze(dim);
/** torch.permute: a view whose dimension i is input's dimension dims[i]. */
export const permute = (input: Tensor, dims: readonly number[]): Tensor => input.permute(dims);
/** torch.transpose: a view with dimensions dim0 and dim1 swapped. */
export const transpose = (input: Tensor, dim0: number, dim1: number): Tensor => input.transpose(dim0, dim1);
/** torch.t: the transpose of a matrix, (n, m) giving (m, n); a 0-d or 1-D tensor is returned as it is. */
export const t = (input: Tensor): Tensor => input.t();
/**
 * torch.select: the slice at position index along dim, a view with dim removed (Python's `input[:, i]` for
 * dim 1).
 */
export const select = (input: Tensor, dim: number, index: number): Tensor => input.select(dim, index);
/**
 * torch.narrow: a view of `length` elements along dim starting at `start` (Python's `input[start:start +
 * length]` for dim 0).
 */
export const narrow = (input: Tensor, dim: number, start: number, length: number): Tensor => input.narrow(dim, start, length);
/**
 * torch.index_select: a copy of the entries at the positions in the 1-D tensor index along dim, whose size
 * becomes index's length.
 */
export const index_select = (input: Tensor, dim: number, index: Tensor): Tensor => input.index_select(dim, index);
/** torch.masked_select: a 1-D tensor of the elements where mask (broadcast to input's shape) is true. */
export const masked_select = (input: Tensor, mask: Tensor): Tensor => input.masked_select(mask);
/**
 * torch.gather: values picked along dim at the positions in index; for dim 1, `out[i][j][k] =
 * input[i][index[i][j][k]][k]`, of index's shape.
 */
export const gather = (input: Tensor, dim: number, index: Tensor): Tensor => input.gather(dim, index);
/**
 * torch.chunk: at most `chunks` views of consecutive pieces along dim, each of size ceil(size / chunks) but
 * the last.
 */
export const chunk = (input: Tensor, chunks: number, dim = 0): Tensor[] => input.chunk(chunks, dim);
/** torch.unbind: the slices along dim, each with dim removed, so (3, 4) gives three tensors of shape (4,). */
export const unbind = (input: Tensor, dim = 0): Tensor[] => input.unbind(dim);
/** torch.clone: a copy with its own storage, through which autograd passes gradients back to input. */
export const clone = (input: Tensor): Tensor => input.clone();
/** torch.numel: the number of elements, the product of the sizes. */
export const numel = (input: Tensor): number => input.numel();
/**
 * Python's torch.nn.functional.one_hot: for an int64 tensor of class indices of shape S, an int64 tensor of
 * shape (*S, num_classes) with 1 at each index and 0 elsewhere; num_classes -1 means one more than the
 * largest index.
 */
export const one_hot = (input: Tensor, num_classes = -1): Tensor => _C.one_hot(input, num_classes);
/**
 * torch.bincount: for a 1-D tensor of non-negative integers, how many times each value 0, 1, ... occurs (the
 * sum of the matching `weights` instead, when given); the length is max(input) + 1, at least `minlength`.
 */
export const bincount = (input: Tensor, opts: { weights?: Tensor | null; minlength?: number } = {}): Tensor =>
  _C.bincount(input, opts.weights ?? null, opts.minlength ?? 0);
/**
 * torch.multinomial: num_samples indices drawn from each row of input, read as unnormalised probabilities
 * (non-negative weights), with or without `replacement` (without by default); shape (num_samples,) for a 1-D
 * input, (rows, num_samples) for 2-D.
 */
export const multinomial = (input: Tensor, num_samples: number, opts: { replacement?: boolean } = {}): Tensor =>
  _C.multinomial(input, num_samples, opts.replacement ?? false);

function tensorList(fn: string, tensors: readonly Tensor[]): Tensor[] {
  if (!Array.isArray(tensors)) throw new TypeError(`${fn}(): expected a list of Tensors, got ${typeof tensors}`);
  return tensors as Tensor[];
}

// Python's torch/functional.py wrappers over ATen operators whose results it trims.
export { unique, unique_consecutive, type UniqueOptions, type UniqueConsecutiveOptions } from './unique';

// lib/utils/data's collate reads stack from here.
export { stack } from './_generated/torch_functions';
