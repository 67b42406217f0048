// Module-level functions: torch.add(a, b) is a.add(b), as in Python.
import { _C } from './_C';
import type { dtype } from './dtype';
import { Tensor, type Dims, type ReduceOptions, type TensorOrScalar } from './tensor';
import type { ValuesIndices } from './return_types';

export const add = (input: Tensor, other: TensorOrScalar, opts?: { alpha?: number }): Tensor => input.add(other, opts);
export const sub = (input: Tensor, other: TensorOrScalar, opts?: { alpha?: number }): Tensor => input.sub(other, opts);
export const mul = (input: Tensor, other: TensorOrScalar): Tensor => input.mul(other);
export const div = (input: Tensor, other: TensorOrScalar, opts?: { rounding_mode?: 'trunc' | 'floor' | null }): Tensor =>
  input.div(other, opts);
export const matmul = (input: Tensor, other: Tensor): Tensor => input.matmul(other);
export const mm = (input: Tensor, other: Tensor): Tensor => input.mm(other);
export const bmm = (input: Tensor, other: Tensor): Tensor => input.bmm(other);
export const dot = (input: Tensor, other: Tensor): Tensor => input.dot(other);
export const addmm = (input: Tensor, mat1: Tensor, mat2: Tensor, { beta, alpha }: { beta?: number; alpha?: number } = {}): Tensor =>
  _C.addmm(input, mat1, mat2, beta, alpha);
export const pow = (input: Tensor, exponent: TensorOrScalar): Tensor => input.pow(exponent);
export const neg = (input: Tensor): Tensor => input.neg();
export const abs = (input: Tensor): Tensor => input.abs();
export const exp = (input: Tensor): Tensor => input.exp();
export const log = (input: Tensor): Tensor => input.log();
export const sqrt = (input: Tensor): Tensor => input.sqrt();
export const sin = (input: Tensor): Tensor => input.sin();
export const cos = (input: Tensor): Tensor => input.cos();
export const relu = (input: Tensor): Tensor => input.relu();
export const sigmoid = (input: Tensor): Tensor => input.sigmoid();
export const tanh = (input: Tensor): Tensor => input.tanh();
export const softmax = (input: Tensor, dim: number, opts?: { dtype?: dtype }): Tensor => input.softmax(dim, opts);
export const log_softmax = (input: Tensor, dim: number, opts?: { dtype?: dtype }): Tensor => input.log_softmax(dim, opts);
export const clamp = (input: Tensor, min?: number | null, max?: number | null): Tensor => input.clamp(min, max);
export const maximum = (input: Tensor, other: Tensor): Tensor => input.maximum(other);
export const minimum = (input: Tensor, other: Tensor): Tensor => input.minimum(other);
export const eq = (input: Tensor, other: TensorOrScalar): Tensor => input.eq(other);
export const ne = (input: Tensor, other: TensorOrScalar): Tensor => input.ne(other);
export const lt = (input: Tensor, other: TensorOrScalar): Tensor => input.lt(other);
export const le = (input: Tensor, other: TensorOrScalar): Tensor => input.le(other);
export const gt = (input: Tensor, other: TensorOrScalar): Tensor => input.gt(other);
export const ge = (input: Tensor, other: TensorOrScalar): Tensor => input.ge(other);
export const isfinite = (input: Tensor): Tensor => input.isfinite();
export const isnan = (input: Tensor): Tensor => input.isnan();
export const equal = (input: Tensor, other: Tensor): boolean => input.equal(other);
export const allclose = (input: Tensor, other: Tensor, opts?: { rtol?: number; atol?: number; equal_nan?: boolean }): boolean =>
  input.allclose(other, opts);
export const where = (condition: Tensor, input: TensorOrScalar, other: TensorOrScalar): Tensor => _C.where(condition, input, other);

export const sum = (input: Tensor, dim?: Dims | (ReduceOptions & { dim?: Dims }), opts?: ReduceOptions): Tensor => input.sum(dim, opts);
export const mean = (input: Tensor, dim?: Dims | (ReduceOptions & { dim?: Dims }), opts?: ReduceOptions): Tensor => input.mean(dim, opts);
export const argmax = (input: Tensor, dim?: number | { dim?: number; keepdim?: boolean }, opts?: { keepdim?: boolean }): Tensor =>
  input.argmax(dim, opts);
export const argmin = (input: Tensor, dim?: number | { dim?: number; keepdim?: boolean }, opts?: { keepdim?: boolean }): Tensor =>
  input.argmin(dim, opts);

export function max(input: Tensor): Tensor;
export function max(input: Tensor, other: Tensor): Tensor;
export function max(input: Tensor, dim: number, opts?: { keepdim?: boolean }): ValuesIndices;
export function max(input: Tensor, dimOrOther?: any, opts?: { keepdim?: boolean }): Tensor | ValuesIndices {
  return dimOrOther === undefined ? input.max() : input.max(dimOrOther, opts);
}

export function min(input: Tensor): Tensor;
export function min(input: Tensor, other: Tensor): Tensor;
export function min(input: Tensor, dim: number, opts?: { keepdim?: boolean }): ValuesIndices;
export function min(input: Tensor, dimOrOther?: any, opts?: { keepdim?: boolean }): Tensor | ValuesIndices {
  return dimOrOther === undefined ? input.min() : input.min(dimOrOther, opts);
}

export const reshape = (input: Tensor, shape: readonly number[]): Tensor => input.reshape(shape);
export const flatten = (input: Tensor, start_dim = 0, end_dim = -1): Tensor => input.flatten(start_dim, end_dim);
export const unsqueeze = (input: Tensor, dim: number): Tensor => input.unsqueeze(dim);
export const squeeze = (input: Tensor, dim?: number): Tensor => input.squeeze(dim);
export const permute = (input: Tensor, dims: readonly number[]): Tensor => input.permute(dims);
export const transpose = (input: Tensor, dim0: number, dim1: number): Tensor => input.transpose(dim0, dim1);
export const t = (input: Tensor): Tensor => input.t();
export const select = (input: Tensor, dim: number, index: number): Tensor => input.select(dim, index);
export const narrow = (input: Tensor, dim: number, start: number, length: number): Tensor => input.narrow(dim, start, length);
export const index_select = (input: Tensor, dim: number, index: Tensor): Tensor => input.index_select(dim, index);
export const masked_select = (input: Tensor, mask: Tensor): Tensor => input.masked_select(mask);
export const gather = (input: Tensor, dim: number, index: Tensor): Tensor => input.gather(dim, index);
export const split = (input: Tensor, split_size: number, dim = 0): Tensor[] => input.split(split_size, dim);
export const chunk = (input: Tensor, chunks: number, dim = 0): Tensor[] => input.chunk(chunks, dim);
export const unbind = (input: Tensor, dim = 0): Tensor[] => input.unbind(dim);
export const clone = (input: Tensor): Tensor => input.clone();
export const numel = (input: Tensor): number => input.numel();
export const one_hot = (input: Tensor, num_classes = -1): Tensor => _C.one_hot(input, num_classes);
export const bincount = (input: Tensor, opts: { weights?: Tensor | null; minlength?: number } = {}): Tensor =>
  _C.bincount(input, opts.weights ?? null, opts.minlength ?? 0);
export const multinomial = (input: Tensor, num_samples: number, opts: { replacement?: boolean } = {}): Tensor =>
  _C.multinomial(input, num_samples, opts.replacement ?? false);

function tensorList(fn: string, tensors: readonly Tensor[]): Tensor[] {
  if (!Array.isArray(tensors)) throw new TypeError(`${fn}(): expected a list of Tensors, got ${typeof tensors}`);
  return tensors as Tensor[];
}

export const cat = (tensors: readonly Tensor[], dim = 0): Tensor => _C.cat(tensorList('cat', tensors), dim);
export const concat = cat;
export const stack = (tensors: readonly Tensor[], dim = 0): Tensor => _C.stack(tensorList('stack', tensors), dim);
