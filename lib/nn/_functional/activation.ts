// nn.functional's non-linear activations, after torch/nn/functional.py:
// Python's own defs are bound here by their Python signature; the builtins
// Python exports as they are (F.gelu is torch._C._nn.gelu) are the generated
// bindings themselves, so they bind exactly as Python's do.
import { aten } from '../../aten';
import type { dtype } from '../../dtype';
import { contiguous_format } from '../../layout';
import * as N from '../../_generated/nn';
import * as T from '../../_generated/torch_functions';
import type { Tensor } from '../../tensor';
import { pyfn, warn, type PyFn } from './_utils';
import { libtorchAtLeast } from '../../_libtorch_version';

const A = {
  threshold: aten('threshold', ''),
  threshold_: aten('threshold_', ''),
  glu: aten('glu', ''),
  hardtanh: aten('hardtanh', ''),
  hardtanh_: aten('hardtanh_', ''),
  relu6: aten('relu6', ''),
  relu6_: aten('relu6_', ''),
  elu: aten('elu', ''),
  elu_: aten('elu_', ''),
  selu: aten('selu', ''),
  selu_: aten('selu_', ''),
  celu: aten('celu', ''),
  celu_: aten('celu_', ''),
  leaky_relu: aten('leaky_relu', ''),
  leaky_relu_: aten('leaky_relu_', ''),
  rrelu: aten('rrelu', ''),
  rrelu_: aten('rrelu_', ''),
  tanh: aten('tanh', ''),
  sub: aten('sub', 'Tensor'),
  abs: aten('abs', ''),
  add_scalar: aten('add', 'Scalar'),
  div: aten('div', 'Tensor'),
  neg: aten('neg', ''),
  softmax: aten('softmax', 'int'),
  empty_like: aten('empty_like', ''),
  zeros_like: aten('zeros_like', ''),
  exponential_: aten('exponential_', ''),
  log: aten('log', ''),
  max_dim: aten('max', 'dim'),
  scatter_value_: aten('scatter_', 'value'),
  detach: aten('detach', ''),
  add: aten('add', 'Tensor'),
  hardsigmoid: aten('hardsigmoid', ''),
  hardsigmoid_: aten('hardsigmoid_', ''),
  silu: aten('silu', ''),
  silu_: aten('silu_', ''),
  mish: aten('mish', ''),
  mish_: aten('mish_', ''),
  hardswish: aten('hardswish', ''),
  hardswish_: aten('hardswish_', ''),
};

type InplaceKw = { input: Tensor; inplace: boolean };

/**
 * y = x if x > threshold, else value. Python's threshold(input, threshold, value, inplace=False).
 */
export const threshold: PyFn<[input: Tensor, threshold: number, value: number], [inplace: boolean], { input: Tensor; threshold: number; value: number; inplace: boolean }> = pyfn(
  'threshold(Tensor input, float threshold, float value, bool inplace=False)',
  (a: { input: Tensor; threshold: number; value: number; inplace: boolean }) =>
    a.inplace ? A.threshold_(a.input, a.threshold, a.value) : A.threshold(a.input, a.threshold, a.value),
);

/** In-place threshold: x = x if x > threshold, else value. Python's threshold_ (the builtin _VF.threshold_). */
export const threshold_ = T.threshold_;

/** In-place relu: x = max(0, x). Python's relu_ (the builtin torch.relu_). */
export const relu_ = T.relu_;

/**
 * GLU(a, b) = a ⊗ σ(b), where a and b are the halves of the input along dim.
 * Python's glu(input, dim=-1).
 */
export const glu: PyFn<[input: Tensor], [dim: number], { input: Tensor; dim: number }> = pyfn('glu(Tensor input, int dim=-1)', (a: { input: Tensor; dim: number }) => {
  if (a.input.ndim === 0) throw new Error('glu does not support scalars because halving size must be even');
  return A.glu(a.input, a.dim);
});

/**
 * HardTanh(x) = max_val if x > max_val, min_val if x < min_val, else x.
 * Python's hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False).
 */
export const hardtanh: PyFn<[input: Tensor], [min_val: number, max_val: number, inplace: boolean], { input: Tensor; min_val: number; max_val: number; inplace: boolean }> = pyfn(
  'hardtanh(Tensor input, float min_val=-1.0, float max_val=1.0, bool inplace=False)',
  (a: { input: Tensor; min_val: number; max_val: number; inplace: boolean }) => {
    // (a check Python's hardtanh makes from 2.x on)
    if (libtorchAtLeast(2) && a.min_val > a.max_val) throw new RangeError('min_val cannot be greater than max_val');
    return a.inplace ? A.hardtanh_(a.input, a.min_val, a.max_val) : A.hardtanh(a.input, a.min_val, a.max_val);
  },
);

/** In-place hardtanh. Python's hardtanh_(input, min_val=-1., max_val=1.) (the builtin torch._C._nn.hardtanh_). */
export const hardtanh_ = N.hardtanh_;

/** ReLU6(x) = min(max(0, x), 6). Python's relu6(input, inplace=False). */
export const relu6: PyFn<[input: Tensor], [inplace: boolean], InplaceKw> = pyfn('relu6(Tensor input, bool inplace=False)', (a: InplaceKw) =>
  a.inplace ? A.relu6_(a.input) : A.relu6(a.input),
);

/** ELU(x) = max(0, x) + min(0, α (exp(x) - 1)). Python's elu(input, alpha=1.0, inplace=False). */
export const elu: PyFn<[input: Tensor], [alpha: number, inplace: boolean], { input: Tensor; alpha: number; inplace: boolean }> = pyfn(
  'elu(Tensor input, float alpha=1.0, bool inplace=False)',
  (a: { input: Tensor; alpha: number; inplace: boolean }) => (a.inplace ? A.elu_(a.input, a.alpha) : A.elu(a.input, a.alpha)),
);

/** In-place elu. Python's elu_(input, alpha=1.) (the builtin torch._C._nn.elu_). */
export const elu_ = N.elu_;

/**
 * SELU(x) = scale (max(0, x) + min(0, α (exp(x) - 1))), with α ≈ 1.6733 and
 * scale ≈ 1.0507. Python's selu(input, inplace=False).
 */
export const selu: PyFn<[input: Tensor], [inplace: boolean], InplaceKw> = pyfn('selu(Tensor input, bool inplace=False)', (a: InplaceKw) =>
  a.inplace ? A.selu_(a.input) : A.selu(a.input),
);

/** In-place selu. Python's selu_(input) (the builtin torch.selu_). */
export const selu_ = T.selu_;

/** CELU(x) = max(0, x) + min(0, α (exp(x/α) - 1)). Python's celu(input, alpha=1.0, inplace=False). */
export const celu: PyFn<[input: Tensor], [alpha: number, inplace: boolean], { input: Tensor; alpha: number; inplace: boolean }> = pyfn(
  'celu(Tensor input, float alpha=1.0, bool inplace=False)',
  (a: { input: Tensor; alpha: number; inplace: boolean }) => (a.inplace ? A.celu_(a.input, a.alpha) : A.celu(a.input, a.alpha)),
);

/** In-place celu. Python's celu_(input, alpha=1.) (the builtin torch.celu_). */
export const celu_ = T.celu_;

/** LeakyReLU(x) = max(0, x) + negative_slope · min(0, x). Python's leaky_relu(input, negative_slope=0.01, inplace=False). */
export const leaky_relu: PyFn<[input: Tensor], [negative_slope: number, inplace: boolean], { input: Tensor; negative_slope: number; inplace: boolean }> = pyfn(
  'leaky_relu(Tensor input, float negative_slope=0.01, bool inplace=False)',
  (a: { input: Tensor; negative_slope: number; inplace: boolean }) =>
    a.inplace ? A.leaky_relu_(a.input, a.negative_slope) : A.leaky_relu(a.input, a.negative_slope),
);

/** In-place leaky_relu. Python's leaky_relu_(input, negative_slope=0.01) (the builtin torch._C._nn.leaky_relu_). */
export const leaky_relu_ = N.leaky_relu_;

/** PReLU(x) = max(0, x) + weight · min(0, x), weight per channel or shared. Python's prelu(input, weight) (the builtin torch.prelu). */
export const prelu = T.prelu;

/**
 * RReLU(x) = x if x ≥ 0, else a·x, with a drawn from U(lower, upper) per
 * element when training and (lower + upper) / 2 otherwise.
 * Python's rrelu(input, lower=1./8, upper=1./3, training=False, inplace=False).
 */
export const rrelu: PyFn<[input: Tensor], [lower: number, upper: number, training: boolean, inplace: boolean], { input: Tensor; lower: number; upper: number; training: boolean; inplace: boolean }> = pyfn(
  'rrelu(Tensor input, float lower=0.125, float upper=0.3333333333333333, bool training=False, bool inplace=False)',
  (a: { input: Tensor; lower: number; upper: number; training: boolean; inplace: boolean }) =>
    a.inplace ? A.rrelu_(a.input, a.lower, a.upper, a.training) : A.rrelu(a.input, a.lower, a.upper, a.training),
);

/** In-place rrelu. Python's rrelu_(input, lower=1./8, upper=1./3, training=False) (the builtin torch.rrelu_). */
export const rrelu_ = T.rrelu_;

/** LogSigmoid(x) = log(1 / (1 + exp(-x))). Python's logsigmoid(input) (the builtin torch._C._nn.log_sigmoid). */
export const logsigmoid = N.log_sigmoid;

/**
 * GELU(x) = x Φ(x), Φ the standard normal CDF; with approximate='tanh',
 * 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))). Python's gelu(input, approximate='none')
 * (the builtin torch._C._nn.gelu).
 */
export const gelu = N.gelu;

/** HardShrink(x) = x if |x| > lambd, else 0. Python's hardshrink(input, lambd=0.5) (the builtin torch.hardshrink). */
export const hardshrink = T.hardshrink;

/** Tanhshrink(x) = x - tanh(x). Python's tanhshrink(input). */
export const tanhshrink: PyFn<[input: Tensor], [], { input: Tensor }> = pyfn('tanhshrink(Tensor input)', (a: { input: Tensor }) => A.sub(a.input, A.tanh(a.input)));

/** SoftSign(x) = x / (1 + |x|). Python's softsign(input). */
export const softsign: PyFn<[input: Tensor], [], { input: Tensor }> = pyfn('softsign(Tensor input)', (a: { input: Tensor }) => A.div(a.input, A.add_scalar(A.abs(a.input), 1)));

/**
 * Softplus(x) = (1/β) log(1 + exp(β x)), and x where β x > threshold.
 * Python's softplus(input, beta=1, threshold=20) (the builtin torch._C._nn.softplus).
 */
export const softplus = N.softplus;

/** SoftShrink(x) = x - lambd if x > lambd, x + lambd if x < -lambd, else 0. Python's softshrink(input, lambd=0.5) (the builtin torch._C._nn.softshrink). */
export const softshrink = N.softshrink;

const warnedImplicitDim = new Set<string>();

function implicitDim(name: string, ndim: number): number {
  if (!warnedImplicitDim.has(name)) {
    warnedImplicitDim.add(name);
    warn(`Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`);
  }
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

type SoftminKw = { input: Tensor; dim: number | null; _stacklevel: number; dtype: dtype | null };

/** Softmin(x)_i = exp(-x_i) / Σ_j exp(-x_j) along dim. Python's softmin(input, dim=None, _stacklevel=3, dtype=None). */
export const softmin: PyFn<[input: Tensor], [dim: number | null, _stacklevel: number, dtype: dtype | null], SoftminKw> = pyfn(
  'softmin(Tensor input, int? dim=None, int _stacklevel=3, dtype? dtype=None)',
  (a: SoftminKw) => {
    const dim = a.dim ?? implicitDim('softmin', a.input.ndim);
    return A.softmax(A.neg(a.input), dim, a.dtype);
  },
);

type GumbelKw = { logits: Tensor; tau: number; hard: boolean; eps: number; dim: number };

/**
 * Samples from the Gumbel-Softmax distribution: y = softmax((logits + g) / τ)
 * with g_i = -log(E_i), E_i ~ Exp(1); with hard=True the one-hot of argmax y
 * in the forward pass and y's gradient in the backward (y_hard - y.detach() + y).
 * Python's gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1).
 */
export const gumbel_softmax: PyFn<[logits: Tensor], [tau: number, hard: boolean, eps: number, dim: number], GumbelKw> = pyfn(
  'gumbel_softmax(Tensor logits, float tau=1, bool hard=False, float eps=1e-10, int dim=-1)',
  (a: GumbelKw) => {
    if (a.eps !== 1e-10) warn('`eps` parameter is deprecated and has no effect.');
    // Python's order: an empty tensor, exponential_ in place, log, negate.
    let gumbels: Tensor = A.neg(A.log(A.exponential_(A.empty_like(a.logits, null, null, null, null, contiguous_format._code))));
    gumbels = A.div(A.add(a.logits, gumbels), a.tau);
    const y_soft: Tensor = A.softmax(gumbels, a.dim, null);
    if (!a.hard) return y_soft;
    const [, index] = A.max_dim(y_soft, a.dim, true) as [Tensor, Tensor];
    const y_hard: Tensor = A.scatter_value_(A.zeros_like(a.logits, null, null, null, null, contiguous_format._code), a.dim, index, 1.0);
    return A.add(A.sub(y_hard, A.detach(y_soft)), y_soft);
  },
);

/** Hardsigmoid(x) = 0 if x ≤ -3, 1 if x ≥ 3, else x/6 + 1/2. Python's hardsigmoid(input, inplace=False). */
export const hardsigmoid: PyFn<[input: Tensor], [inplace: boolean], InplaceKw> = pyfn('hardsigmoid(Tensor input, bool inplace=False)', (a: InplaceKw) =>
  a.inplace ? A.hardsigmoid_(a.input) : A.hardsigmoid(a.input),
);

/** SiLU(x) = x σ(x) (the swish). Python's silu(input, inplace=False). */
export const silu: PyFn<[input: Tensor], [inplace: boolean], InplaceKw> = pyfn('silu(Tensor input, bool inplace=False)', (a: InplaceKw) =>
  a.inplace ? A.silu_(a.input) : A.silu(a.input),
);

/** Mish(x) = x tanh(softplus(x)). Python's mish(input, inplace=False). */
export const mish: PyFn<[input: Tensor], [inplace: boolean], InplaceKw> = pyfn('mish(Tensor input, bool inplace=False)', (a: InplaceKw) =>
  a.inplace ? A.mish_(a.input) : A.mish(a.input),
);

/** Hardswish(x) = 0 if x ≤ -3, x if x ≥ 3, else x (x + 3) / 6. Python's hardswish(input, inplace=False). */
export const hardswish: PyFn<[input: Tensor], [inplace: boolean], InplaceKw> = pyfn('hardswish(Tensor input, bool inplace=False)', (a: InplaceKw) =>
  a.inplace ? A.hardswish_(a.input) : A.hardswish(a.input),
);

