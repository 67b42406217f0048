// nn.init, after torch/nn/init.py: the same formulas in the same float
// arithmetic (Python's ** is the C library's pow), and the same draws from
// the default generator, so a seed gives Python's weights.
import { aten } from '../aten';
import { _C } from '../_C';
import { libtorchAtLeast } from '../_libtorch_version';
import { native } from '../native';
import { no_grad } from '../autograd/grad_mode';
import { empty, empty_like, randperm, tensor as tensorOf } from '../factories';
import { float64 } from '../dtype';
import type { Tensor } from '../tensor';
import { def_, type PyArgs } from './modules/utils';

const A = {
  eye_out: aten('eye', 'm_out'),
  linalg_qr: aten('linalg_qr', ''),
  diag: aten('diag', ''),
};

// Python's default warning filter shows a warning once for each place that
// issues it (its text and its line): a line of init.py for most, the
// caller's line for the deprecated names (they warn with stacklevel=2).
const shown = new Set<string>();

/** Python's warnings.warn (a UserWarning) from place, shown the first time only. */
function warn(message: string, place: string): void {
  const key = `${place}\n${message}`;
  if (shown.has(key)) return;
  shown.add(key);
  process.emitWarning(message, 'UserWarning');
}

/** The file and line a stack frame names (its column dropped: Python's place is a line). */
function lineOf(frame: string | undefined): string {
  if (frame === undefined) return '';
  const m = /\(?([^()\s]+):(\d+):\d+\)?\s*$/.exec(frame);
  return m ? `${m[1]}:${m[2]}` : frame.trim();
}

export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

const LINEAR_FNS = new Set(['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d']);

const calculateGainArgs = def_<{ nonlinearity: string; param: unknown }>('calculate_gain(str nonlinearity, Any param=None)');

/** Python's calculate_gain(nonlinearity, param=None). */
export function calculate_gain(...args: PyArgs<[nonlinearity: Nonlinearity], [param: number | null], { nonlinearity: Nonlinearity; param?: number | null }>): number;
export function calculate_gain(...args: unknown[]): number {
  const { nonlinearity, param } = calculateGainArgs(args);
  if (LINEAR_FNS.has(nonlinearity) || nonlinearity === 'sigmoid') return 1;
  if (nonlinearity === 'tanh') return 5.0 / 3;
  if (nonlinearity === 'relu') return Math.sqrt(2.0);
  if (nonlinearity === 'leaky_relu') {
    const slope = param ?? 0.01;
    if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new TypeError(`negative_slope ${String(param)} not a valid number`);
    return Math.sqrt(2.0 / (1 + native.libmPow(slope, 2)));
  }
  if (nonlinearity === 'selu') return 3.0 / 4;
  throw new TypeError(`Unsupported nonlinearity ${String(nonlinearity)}`);
}

export function _calculate_fan_in_and_fan_out(tensor: Tensor): [number, number] {
  const dims = tensor.ndim;
  if (dims < 2) throw new RangeError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  const shape = tensor.shape;
  let receptive = 1;
  for (let d = 2; d < dims; d++) receptive *= shape[d];
  return [shape[1] * receptive, shape[0] * receptive];
}

function correctFan(tensor: Tensor, mode: string): number {
  const m = String(mode).toLowerCase();
  if (m !== 'fan_in' && m !== 'fan_out') throw new RangeError(`Mode ${mode} not supported, please use one of ['fan_in', 'fan_out']`);
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  return m === 'fan_in' ? fanIn : fanOut;
}

const uniformArgs = def_<{ tensor: Tensor; a: number; b: number }>('uniform_(Tensor tensor, float a=0., float b=1.)');
const normalArgs = def_<{ tensor: Tensor; mean: number; std: number }>('normal_(Tensor tensor, float mean=0., float std=1.)');
const constantArgs = def_<{ tensor: Tensor; val: number }>('constant_(Tensor tensor, float val)');
const onesArgs = def_<{ tensor: Tensor }>('ones_(Tensor tensor)');
const zerosArgs = def_<{ tensor: Tensor }>('zeros_(Tensor tensor)');
const xavierUniformArgs = def_<{ tensor: Tensor; gain: number }>('xavier_uniform_(Tensor tensor, float gain=1.)');
const xavierNormalArgs = def_<{ tensor: Tensor; gain: number }>('xavier_normal_(Tensor tensor, float gain=1.)');
type Kaiming = { tensor: Tensor; a: number; mode: 'fan_in' | 'fan_out'; nonlinearity: Nonlinearity };
const kaimingUniformArgs = def_<Kaiming>('kaiming_uniform_(Tensor tensor, float a=0, str mode="fan_in", str nonlinearity="leaky_relu")');
const kaimingNormalArgs = def_<Kaiming>('kaiming_normal_(Tensor tensor, float a=0, str mode="fan_in", str nonlinearity="leaky_relu")');

/** Python's uniform_(tensor, a=0., b=1.). */
export function uniform_(...args: PyArgs<[tensor: Tensor], [a: number, b: number], { tensor: Tensor; a?: number; b?: number }>): Tensor;
export function uniform_(...args: unknown[]): Tensor {
  const { tensor, a, b } = uniformArgs(args);
  return no_grad(() => tensor.uniform_(a, b));
}

/** Python's normal_(tensor, mean=0., std=1.). */
export function normal_(...args: PyArgs<[tensor: Tensor], [mean: number, std: number], { tensor: Tensor; mean?: number; std?: number }>): Tensor;
export function normal_(...args: unknown[]): Tensor {
  const { tensor, mean, std } = normalArgs(args);
  return no_grad(() => tensor.normal_(mean, std));
}

/** Python's constant_(tensor, val). */
export function constant_(...args: PyArgs<[tensor: Tensor, val: number], [], { tensor: Tensor; val: number }>): Tensor;
export function constant_(...args: unknown[]): Tensor {
  const { tensor, val } = constantArgs(args);
  return no_grad(() => tensor.fill_(val));
}

/** Python's ones_(tensor). */
export function ones_(...args: PyArgs<[tensor: Tensor], [], { tensor: Tensor }>): Tensor;
export function ones_(...args: unknown[]): Tensor {
  const { tensor } = onesArgs(args);
  return no_grad(() => tensor.fill_(1));
}

/** Python's zeros_(tensor). */
export function zeros_(...args: PyArgs<[tensor: Tensor], [], { tensor: Tensor }>): Tensor;
export function zeros_(...args: unknown[]): Tensor {
  const { tensor } = zerosArgs(args);
  return no_grad(() => tensor.zero_());
}

/** Python's xavier_uniform_(tensor, gain=1.). */
export function xavier_uniform_(...args: PyArgs<[tensor: Tensor], [gain: number], { tensor: Tensor; gain?: number }>): Tensor;
export function xavier_uniform_(...args: unknown[]): Tensor {
  const { tensor, gain } = xavierUniformArgs(args);
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return no_grad(() => tensor.uniform_(-a, a));
}

/** Python's xavier_normal_(tensor, gain=1.). */
export function xavier_normal_(...args: PyArgs<[tensor: Tensor], [gain: number], { tensor: Tensor; gain?: number }>): Tensor;
export function xavier_normal_(...args: unknown[]): Tensor {
  const { tensor, gain } = xavierNormalArgs(args);
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  return no_grad(() => tensor.normal_(0, std));
}

export interface KaimingOptions {
  a?: number;
  mode?: 'fan_in' | 'fan_out';
  nonlinearity?: Nonlinearity;
}

type KaimingArgs = PyArgs<[tensor: Tensor], [a: number, mode: 'fan_in' | 'fan_out', nonlinearity: Nonlinearity], KaimingOptions & { tensor: Tensor }>;

/** Python's kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu'). */
export function kaiming_uniform_(...args: KaimingArgs): Tensor;
export function kaiming_uniform_(...args: unknown[]): Tensor {
  const { tensor, a, mode, nonlinearity } = kaimingUniformArgs(args);
  if (tensor.numel() === 0) {
    warn('Initializing zero-element tensors is a no-op', 'kaiming_uniform_');
    return tensor;
  }
  const std = calculate_gain(nonlinearity, a) / Math.sqrt(correctFan(tensor, mode));
  const bound = Math.sqrt(3.0) * std;
  return no_grad(() => tensor.uniform_(-bound, bound));
}

/** Python's kaiming_normal_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu'). */
export function kaiming_normal_(...args: KaimingArgs): Tensor;
export function kaiming_normal_(...args: unknown[]): Tensor {
  const { tensor, a, mode, nonlinearity } = kaimingNormalArgs(args);
  if (tensor.numel() === 0) {
    warn('Initializing zero-element tensors is a no-op', 'kaiming_normal_');
    return tensor;
  }
  const std = calculate_gain(nonlinearity, a) / Math.sqrt(correctFan(tensor, mode));
  return no_grad(() => tensor.normal_(0, std));
}

// ---------------------------------------------------------------- the rest of torch/nn/init.py

type TruncNormalKw = { tensor: Tensor; mean: number; std: number; a: number; b: number };
const truncNormalArgs = def_<TruncNormalKw>('trunc_normal_(Tensor tensor, float mean=0., float std=1., float a=-2., float b=2.)');

/** Python's math.erf, by the C library's erf (ATen's on a double scalar). */
function erf(x: number): number {
  return tensorOf(x, { dtype: float64 }).erf().item() as number;
}

/**
 * 2.14 samples trunc_normal_ by rejection; 2.6 and before by the inverse CDF.
 * Measured on 2.14 and absent from 2.6; the versions between follow 2.6 here.
 */
const TRUNC_NORMAL_BY_REJECTION = libtorchAtLeast(2, 14);

/**
 * Fills tensor from N(mean, std²) truncated to [a, b]. Up to 2.6 by
 * inverse-CDF sampling: uniform on [2Φ(a')-1, 2Φ(b')-1], then erfinv,
 * scale, shift, clamp. In 2.14 by rejection (truncNormalByRejection).
 * Python's trunc_normal_(tensor, mean=0., std=1., a=-2., b=2.).
 */
export function trunc_normal_(...args: PyArgs<[tensor: Tensor], [mean: number, std: number, a: number, b: number], Partial<TruncNormalKw> & { tensor: Tensor }>): Tensor;
export function trunc_normal_(...args: unknown[]): Tensor {
  const { tensor, mean, std, a, b } = truncNormalArgs(args);
  if (mean < a - 2 * std || mean > b + 2 * std) {
    warn('mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.', 'trunc_normal_');
  }
  const normCdf = (x: number) => (1 + erf(x / Math.sqrt(2))) / 2;
  if (TRUNC_NORMAL_BY_REJECTION) return no_grad(() => truncNormalByRejection(tensor, mean, std, a, b, normCdf((b - mean) / std) - normCdf((a - mean) / std)));
  const l = normCdf((a - mean) / std);
  const u = normCdf((b - mean) / std);
  return no_grad(() => {
    tensor.uniform_(2 * l - 1, 2 * u - 1);
    tensor.erfinv_();
    tensor.mul_(std * Math.sqrt(2));
    tensor.add_(mean);
    tensor.clamp_(a, b);
    return tensor;
  });
}

/** Python's bool(mask.any()). */
const anyTrue = (mask: Tensor): boolean => Boolean(mask.any().item());

/**
 * 2.14's sampler, op for op (so the same draws for a seed): where the
 * interval holds more than 0.3 of the mass p, N(mean, std²) draws, each one
 * outside [a, b] drawn again until none is (the bounds as the tensor's
 * dtype holds them); else uniform draws on [a, b], each accepted with
 * probability exp(log pdf - log peak) (against a uniform draw's log), the
 * rejected ones drawn again, the peak at the mode clamped into [a, b].
 */
function truncNormalByRejection(tensor: Tensor, mean: number, std: number, a: number, b: number, p: number): Tensor {
  if (p > 0.3) {
    const lo = tensorOf(a, { dtype: tensor.dtype }).item() as number;
    const hi = tensorOf(b, { dtype: tensor.dtype }).item() as number;
    let result = tensor.normal_(mean, std);
    for (;;) {
      const mask = result.lt(lo).bitwise_or(result.gt(hi));
      if (!anyTrue(mask)) break;
      result = _C.where(mask, empty_like(result).normal_(mean, std), result);
    }
    if (result !== tensor) tensor.copy_(result);
    return tensor;
  }
  const mode = Math.max(a, Math.min(mean, b));
  const logPeak = -0.5 * ((mode - mean) / std) ** 2;
  const candidates = empty_like(tensor);
  const acceptBuf = empty_like(tensor);
  // log pdf - log peak, in place: -0.5 ((x - mean) / std)^2 - logPeak.
  const logRatio_ = (x: Tensor) => x.sub_(mean).div_(std).pow_(2).mul_(-0.5).sub_(logPeak);
  tensor.uniform_(a, b);
  candidates.copy_(tensor);
  logRatio_(candidates);
  let pending = acceptBuf.uniform_().log_().gt(candidates);
  if (!anyTrue(pending)) return tensor;
  let result = tensor;
  for (;;) {
    candidates.uniform_(a, b);
    result = _C.where(pending, candidates, result);
    logRatio_(candidates);
    pending = _C.where(pending, acceptBuf.uniform_().log_().gt(candidates), pending);
    if (!anyTrue(pending)) break;
  }
  tensor.copy_(result);
  return tensor;
}

const eyeArgs = def_<{ tensor: Tensor }>('eye_(Tensor tensor)');

/** Fills a 2-D tensor with the identity matrix (ones on the diagonal). Python's eye_(tensor). */
export function eye_(...args: PyArgs<[tensor: Tensor], [], { tensor: Tensor }>): Tensor;
export function eye_(...args: unknown[]): Tensor {
  const { tensor } = eyeArgs(args);
  if (tensor.ndim !== 2) throw new RangeError(`eye_(): Only tensors with 2 dimensions are supported, got ${tensor.ndim}`);
  no_grad(() => A.eye_out(tensor.shape[0], tensor.shape[1], tensor));
  return tensor;
}

const diracArgs = def_<{ tensor: Tensor; groups: number }>('dirac_(Tensor tensor, int groups=1)');

/**
 * Fills a 3-, 4- or 5-D convolution weight with the Dirac delta, so that the
 * convolution keeps its input channels (per group: the first
 * min(out_channels / groups, in_channels) of them). Python's dirac_(tensor, groups=1).
 */
export function dirac_(...args: PyArgs<[tensor: Tensor], [groups: number], { tensor: Tensor; groups?: number }>): Tensor;
export function dirac_(...args: unknown[]): Tensor {
  const { tensor, groups } = diracArgs(args);
  const dims = tensor.ndim;
  if (dims !== 3 && dims !== 4 && dims !== 5) throw new RangeError(`dirac_(): Only tensors with 3, 4, or 5 dimensions are supported, got ${dims}`);
  const sizes = tensor.shape;
  if (!(groups > 0) || sizes[0] % groups !== 0) throw new RangeError(`dirac_(): dim 0 must be divisible by groups, got size ${sizes[0]} and groups=${groups}`);
  const outPerGroup = Math.floor(sizes[0] / groups);
  const minDim = Math.min(outPerGroup, sizes[1]);
  const centre = [...sizes].slice(2).map((s) => Math.floor(s / 2));
  no_grad(() => {
    tensor.zero_();
    for (let g = 0; g < groups; g++) {
      for (let d = 0; d < minDim; d++) {
        let t = tensor.select(0, g * outPerGroup + d).select(0, d);
        for (const c of centre) t = t.select(0, c);
        t.fill_(1);
      }
    }
  });
  return tensor;
}

const orthogonalArgs = def_<{ tensor: Tensor; gain: number }>('orthogonal_(Tensor tensor, float gain=1)');

/**
 * Fills tensor with a (semi-)orthogonal matrix: the Q of the QR decomposition
 * of a standard normal (rows, numel / rows) matrix, its columns' signs fixed
 * by R's diagonal, times gain. Python's orthogonal_(tensor, gain=1).
 */
export function orthogonal_(...args: PyArgs<[tensor: Tensor], [gain: number], { tensor: Tensor; gain?: number }>): Tensor;
export function orthogonal_(...args: unknown[]): Tensor {
  const { tensor, gain } = orthogonalArgs(args);
  if (tensor.ndim < 2) throw new RangeError(`orthogonal_(): Only tensors with 2 or more dimensions are supported, got ${tensor.ndim}`);
  if (tensor.numel() === 0) return tensor;
  const rows = tensor.shape[0];
  const cols = Math.floor(tensor.numel() / rows);
  return no_grad(() => {
    let flattened = empty([rows, cols], { dtype: tensor.dtype, device: tensor.device }).normal_(0, 1);
    if (rows < cols) flattened = flattened.t();
    const [q0, r] = A.linalg_qr(flattened, 'reduced') as [Tensor, Tensor];
    let q = q0.mul_(A.diag(r, 0).sign());
    if (rows < cols) q = q.t();
    tensor.view_as(q).copy_(q);
    tensor.mul_(gain);
    return tensor;
  });
}

const sparseArgs = def_<{ tensor: Tensor; sparsity: number; std: number }>('sparse_(Tensor tensor, float sparsity, float std=0.01)');

/**
 * Fills a 2-D tensor from N(0, std²), then zeroes ceil(sparsity * rows)
 * randomly chosen rows of each column (a randperm per column, in column
 * order). Python's sparse_(tensor, sparsity, std=0.01).
 */
export function sparse_(...args: PyArgs<[tensor: Tensor, sparsity: number], [std: number], { tensor: Tensor; sparsity: number; std?: number }>): Tensor;
export function sparse_(...args: unknown[]): Tensor {
  const { tensor, sparsity, std } = sparseArgs(args);
  if (tensor.ndim !== 2) throw new RangeError(`sparse_(): Only tensors with 2 dimensions are supported, got ${tensor.ndim}`);
  const [rows, cols] = tensor.shape;
  const numZeros = Math.ceil(sparsity * rows);
  return no_grad(() => {
    tensor.normal_(0, std);
    for (let col = 0; col < cols; col++) {
      const zeroIndices = randperm(rows).slice(0, 0, numZeros);
      tensor.select(1, col).index_fill_(0, zeroIndices, 0);
    }
    return tensor;
  });
}

/** Python's _make_deprecate: the old name without the trailing underscore, warning and calling the new one. */
function deprecated<F extends (...args: any[]) => Tensor>(oldName: string, newName: string, fn: F): F {
  return ((...args: unknown[]) => {
    // The stack's line 0 is the message, line 1 this function, line 2 its caller: the place Python's stacklevel=2 names.
    warn(`nn.init.${oldName} is now deprecated in favor of nn.init.${newName}.`, lineOf(new Error().stack?.split('\n')[2]));
    return fn(...args);
  }) as F;
}

/** Deprecated: uniform_, with Python's warning. */
export const uniform = deprecated('uniform', 'uniform_', uniform_);
/** Deprecated: normal_, with Python's warning. */
export const normal = deprecated('normal', 'normal_', normal_);
/** Deprecated: constant_, with Python's warning. */
export const constant = deprecated('constant', 'constant_', constant_);
/** Deprecated: eye_, with Python's warning. */
export const eye = deprecated('eye', 'eye_', eye_);
/** Deprecated: dirac_, with Python's warning. */
export const dirac = deprecated('dirac', 'dirac_', dirac_);
/** Deprecated: xavier_uniform_, with Python's warning. */
export const xavier_uniform = deprecated('xavier_uniform', 'xavier_uniform_', xavier_uniform_);
/** Deprecated: xavier_normal_, with Python's warning. */
export const xavier_normal = deprecated('xavier_normal', 'xavier_normal_', xavier_normal_);
/** Deprecated: kaiming_uniform_, with Python's warning. */
export const kaiming_uniform = deprecated('kaiming_uniform', 'kaiming_uniform_', kaiming_uniform_);
/** Deprecated: kaiming_normal_, with Python's warning. */
export const kaiming_normal = deprecated('kaiming_normal', 'kaiming_normal_', kaiming_normal_);
/** Deprecated: orthogonal_, with Python's warning. */
export const orthogonal = deprecated('orthogonal', 'orthogonal_', orthogonal_);
/** Deprecated: sparse_, with Python's warning. */
export const sparse = deprecated('sparse', 'sparse_', sparse_);
