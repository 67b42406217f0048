// nn.functional's power-average, unpooling and fractional max pooling, after
// torch/nn/functional.py: Python's defs bound by their signatures, Python's
// checks and messages, and the ATen operators Python calls in its order (so
// fractional max pooling draws its random samples as Python does).
import { aten } from '../../aten';
import { libtorchAtLeast } from '../../_libtorch_version';
import { Tensor } from '../../tensor';
import { _ntuple } from '../modules/utils';
import { pyfn, type PyFn } from './_utils';

const A = {
  pow: aten('pow', 'Tensor_Scalar'),
  avg_pool1d: aten('avg_pool1d', ''),
  avg_pool2d: aten('avg_pool2d', ''),
  sign: aten('sign', ''),
  abs: aten('abs', ''),
  relu: aten('relu', ''),
  mul: aten('mul', 'Tensor'),
  mul_scalar: aten('mul', 'Scalar'),
  max_unpool2d: aten('max_unpool2d', ''),
  max_unpool3d: aten('max_unpool3d', ''),
  unsqueeze: aten('unsqueeze', ''),
  squeeze: aten('squeeze', 'dim'),
  rand: aten('rand', ''),
  fractional_max_pool2d: aten('fractional_max_pool2d', ''),
  fractional_max_pool3d: aten('fractional_max_pool3d', ''),
};

type IntN = number | number[];

function checkInput(fn: string, input: unknown): asserts input is Tensor {
  if (!(input instanceof Tensor)) throw new TypeError(`${fn}(): argument 'input' must be a Tensor, got ${input === null ? 'null' : typeof input}`);
}

// ---------------------------------------------------------------- lp_pool

/** lp_pool1d / lp_pool2d after binding: (Σ x^p over each window)^(1/p), computed as Python does, from avg_pool. */
export function _lp_pool(dims: 1 | 2, input: Tensor, norm_type: number, kernel_size: IntN, stride: IntN | null, ceil_mode: boolean): Tensor {
  const fn = `lp_pool${dims}d`;
  checkInput(fn, input);
  const k = _ntuple(fn, 'kernel_size', kernel_size, dims);
  const s = stride === null ? [] : _ntuple(fn, 'stride', stride, dims);
  const powered = A.pow(input, norm_type);
  const out: Tensor = dims === 1 ? A.avg_pool1d(powered, k, s, [0], ceil_mode, true) : A.avg_pool2d(powered, k, s, [0, 0], ceil_mode, true, null);
  const area = k.reduce((a, b) => a * b, 1);
  return A.pow(A.mul_scalar(A.mul(A.sign(out), A.relu(A.abs(out))), area), 1.0 / norm_type);
}

type LpPoolKw = { input: Tensor; norm_type: number; kernel_size: IntN; stride: IntN | null; ceil_mode: boolean };
type LpPoolFn = PyFn<[input: Tensor, norm_type: number, kernel_size: IntN], [stride: IntN | null, ceil_mode: boolean], LpPoolKw>;

/** Power-average pooling over windows of kL: (Σ x^p)^(1/p). Input: (N, C, L). Python's lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False). */
export const lp_pool1d: LpPoolFn = pyfn('lp_pool1d(Tensor input, float norm_type, Any kernel_size, Any stride=None, bool ceil_mode=False)', (a: LpPoolKw) =>
  _lp_pool(1, a.input, a.norm_type, a.kernel_size, a.stride, a.ceil_mode),
);

/** Power-average pooling over kH×kW windows: (Σ x^p)^(1/p). Input: (N, C, H, W). Python's lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False). */
export const lp_pool2d: LpPoolFn = pyfn('lp_pool2d(Tensor input, float norm_type, Any kernel_size, Any stride=None, bool ceil_mode=False)', (a: LpPoolKw) =>
  _lp_pool(2, a.input, a.norm_type, a.kernel_size, a.stride, a.ceil_mode),
);

// ---------------------------------------------------------------- max_unpool

/** Python's _unpool_output_size: the size MaxPool came from, or output_size checked against it. */
function unpoolOutputSize(input: Tensor, kernel: number[], stride: number[], padding: number[], outputSize: number[] | null): number[] {
  const n = kernel.length;
  const shape = [...input.shape];
  if (shape.length < n) throw new RangeError(`max_unpool${n}d(): expected an input of at least ${n + 1} dimensions, got shape [${shape.join(', ')}]`);
  const defaults = kernel.map((k, d) => (shape[shape.length - n + d] - 1) * stride[d] + k - 2 * padding[d]);
  if (outputSize === null) return defaults;
  let size = outputSize;
  if (size.length === n + 2) size = size.slice(2);
  if (size.length !== n) throw new RangeError(`output_size should be a sequence containing ${n} or ${n + 2} elements, but it has a length of '${size.length}'`);
  for (let d = 0; d < n; d++) {
    const min = defaults[d] - stride[d];
    const max = defaults[d] + stride[d];
    if (!(min < size[d] && size[d] < max)) throw new RangeError(`invalid output_size "[${size.join(', ')}]" (dim ${d} must be between ${min} and ${max})`);
  }
  return size;
}

function checkOutputSize(fn: string, v: unknown): number[] | null {
  if (v === null) return null;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x))) return [...v];
  throw new TypeError(`${fn}(): argument 'output_size' must be a list of ints or None, got ${typeof v === 'number' ? 'int' : typeof v}`);
}

/** max_unpoolNd after binding, for MaxUnpoolNd.forward too. */
export function _max_unpool(dims: 1 | 2 | 3, input: Tensor, indices: Tensor, kernel_size: IntN, stride: IntN | null, padding: IntN, output_size: number[] | null): Tensor {
  const fn = `max_unpool${dims}d`;
  checkInput(fn, input);
  if (!(indices instanceof Tensor)) throw new TypeError(`${fn}(): argument 'indices' must be a Tensor, got ${indices === null ? 'null' : typeof indices}`);
  const k = _ntuple(fn, 'kernel_size', kernel_size, dims);
  const s = stride === null ? k : _ntuple(fn, 'stride', stride, dims);
  const p = _ntuple(fn, 'padding', padding, dims);
  const size = unpoolOutputSize(input, k, s, p, output_size);
  if (dims === 1) return A.squeeze(A.max_unpool2d(A.unsqueeze(input, -1), A.unsqueeze(indices, -1), [...size, 1]), -1);
  if (dims === 2) return A.max_unpool2d(input, indices, size);
  return A.max_unpool3d(input, indices, size, s, p);
}

type UnpoolKw = { input: Tensor; indices: Tensor; kernel_size: IntN; stride: IntN | null; padding: IntN; output_size: number[] | null };
type UnpoolFn = PyFn<[input: Tensor, indices: Tensor, kernel_size: IntN], [stride: IntN | null, padding: IntN, output_size: number[] | null], UnpoolKw>;

function unpool(dims: 1 | 2 | 3): UnpoolFn {
  const name = `max_unpool${dims}d`;
  return pyfn(`${name}(Tensor input, Tensor indices, Any kernel_size, Any stride=None, Any padding=0, Any output_size=None)`, (a: UnpoolKw) =>
    _max_unpool(dims, a.input, a.indices, a.kernel_size, a.stride, a.padding, checkOutputSize(name, a.output_size)),
  );
}

/** The partial inverse of max_pool1d: each value put back at its index, zeros elsewhere. Python's max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None). */
export const max_unpool1d: UnpoolFn = unpool(1);
/** The partial inverse of max_pool2d: each value put back at its index, zeros elsewhere. Python's max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None). */
export const max_unpool2d: UnpoolFn = unpool(2);
/** The partial inverse of max_pool3d: each value put back at its index, zeros elsewhere. Python's max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None). */
export const max_unpool3d: UnpoolFn = unpool(3);

// ---------------------------------------------------------------- fractional_max_pool

export interface FractionalMaxPoolOptions {
  output_size?: IntN | null;
  output_ratio?: number | number[] | null;
  _random_samples?: Tensor | null;
}

function ratioN(fn: string, v: unknown, n: number): number[] {
  if (typeof v === 'number') return new Array(n).fill(v);
  if (Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number')) return [...v];
  throw new TypeError(`${fn}(): argument 'output_ratio' must be a float or a list of ${n} floats`);
}

/**
 * PyTorch 2.x's fractional_max_pool2d takes len(output_ratio) before making
 * it a pair: a single number, which its signature allows, is then Python's
 * TypeError (the module gives it a pair, so it is not affected).
 */
const TORCH2_RATIO_LEN = libtorchAtLeast(2);

/** fractional_max_poolNd_with_indices after binding: Python's body, drawing _random_samples with torch.rand as Python does. */
export function _fractional_max_pool(dims: 2 | 3, input: Tensor, kernel_size: IntN, { output_size = null, output_ratio = null, _random_samples = null }: FractionalMaxPoolOptions = {}): [Tensor, Tensor] {
  const fn = `fractional_max_pool${dims}d`;
  checkInput(fn, input);
  const k = _ntuple(fn, 'kernel_size', kernel_size, dims);
  let size: number[];
  if (output_size === null && output_ratio === null) throw new RangeError(`${fn} requires specifying either an output_size or an output_ratio`);
  if (output_size === null) {
    if (TORCH2_RATIO_LEN && dims === 2) {
      if (typeof output_ratio === 'number') throw new TypeError(`object of type '${Number.isInteger(output_ratio) ? 'int' : 'float'}' has no len()`);
      if (Array.isArray(output_ratio) && output_ratio.length > 2) throw new RangeError(`${fn} requires output_ratio to either be a single Int or tuple of Ints.`);
    }
    const r = ratioN(fn, output_ratio, dims);
    const shape = [...input.shape];
    size = r.map((x, i) => Math.trunc(shape[shape.length - dims + i] * x));
  } else {
    size = _ntuple(fn, 'output_size', output_size, dims);
  }
  if (input.ndim !== dims + 1 && input.ndim !== dims + 2) {
    throw new RangeError(`${fn}(): expected a ${dims + 1}-D or ${dims + 2}-D input (C, ...) or (N, C, ...), got shape [${[...input.shape].join(', ')}]`);
  }
  let samples = _random_samples;
  if (samples === null) {
    const nBatch = input.ndim === dims + 1 ? 1 : input.shape[0];
    samples = A.rand([nBatch, input.shape[input.ndim - dims - 1], dims], input.dtype, null, input.device, null) as Tensor;
  }
  const op = dims === 2 ? A.fractional_max_pool2d : A.fractional_max_pool3d;
  return op(input, k, size, samples) as [Tensor, Tensor];
}

type FracKw = FractionalMaxPoolOptions & { input: Tensor; kernel_size: IntN; return_indices: boolean };
type FracPositionals = [output_size: IntN | null, output_ratio: number | number[] | null, return_indices: boolean, _random_samples: Tensor | null];
type FracWithIndicesFn = PyFn<[input: Tensor, kernel_size: IntN], FracPositionals, FracKw, [Tensor, Tensor]>;

function fractional(dims: 2 | 3, twin: boolean) {
  const name = `fractional_max_pool${dims}d${twin ? '_with_indices' : ''}`;
  return pyfn(
    `${name}(Tensor input, Any kernel_size, Any output_size=None, Any output_ratio=None, bool return_indices=False, Tensor? _random_samples=None)`,
    (a: Required<FracKw>): Tensor | [Tensor, Tensor] => {
      const pair = _fractional_max_pool(dims, a.input, a.kernel_size, a);
      return twin || a.return_indices ? pair : pair[0];
    },
  );
}

/**
 * Max pooling over kH×kW windows at pseudo-random fractional steps, so the
 * output has output_size (or output_ratio of the input's size). With
 * return_indices, [output, indices]. Python's fractional_max_pool2d(input,
 * kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None).
 */
export const fractional_max_pool2d: PyFn<[input: Tensor, kernel_size: IntN], FracPositionals, FracKw, Tensor | [Tensor, Tensor]> = fractional(2, false);
/** The 3-D fractional max pooling over kT×kH×kW windows. Python's fractional_max_pool3d(input, kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None). */
export const fractional_max_pool3d: PyFn<[input: Tensor, kernel_size: IntN], FracPositionals, FracKw, Tensor | [Tensor, Tensor]> = fractional(3, false);
/** fractional_max_pool2d returning [output, indices] always. */
export const fractional_max_pool2d_with_indices: FracWithIndicesFn = fractional(2, true) as FracWithIndicesFn;
/** fractional_max_pool3d returning [output, indices] always. */
export const fractional_max_pool3d_with_indices: FracWithIndicesFn = fractional(3, true) as FracWithIndicesFn;
