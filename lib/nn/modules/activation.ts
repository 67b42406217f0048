// Activation modules, after torch/nn/modules/activation.py.
import { splitKeywords } from '../../_arg_parser';
import { libtorchAtLeast } from '../../_libtorch_version';
import { pyFloatRepr } from '../../_pyformat';
import { aten } from '../../aten';
import { empty } from '../../factories';
import type { Tensor } from '../../tensor';
import { _canonical_mask, _multi_head_attention_forward, _check_key_padding_mask_dtype } from '../_functional/attention';
import { warn } from '../_functional/_utils';
import * as F from '../functional';
import * as init from '../init';
import { Parameter } from '../parameter';
import { intOrFloatRepr, moduleError } from './_module_error';
import { Linear } from './linear';
import { Module } from './module';
import { def_, type FactoryKwargs, type PyArgs } from './utils';

const reluArgs = def_<{ inplace: boolean }>('ReLU(bool inplace=False)');

/**
 * y = max(0, x), elementwise.
 * Input: (*), output: (*), the input's shape.
 */
export class ReLU extends Module {
  inplace: boolean;

  /** Python's ReLU(inplace=False): `new ReLU()`, `new ReLU(true)` or `new ReLU({ inplace: true })`. */
  constructor(...args: PyArgs<[], [inplace: boolean], { inplace: boolean }>);
  constructor(...args: unknown[]) {
    const { inplace } = reluArgs(args);
    super();
    this.inplace = inplace;
  }

  override forward(input: Tensor): Tensor {
    return F._relu(input, this.inplace);
  }

  override extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

const noArgs = (name: string) => def_<Record<string, never>>(`${name}()`);
const tanhArgs = noArgs('Tanh');
const sigmoidArgs = noArgs('Sigmoid');

/**
 * y = tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x)).
 * Input: (*), output: (*), the input's shape.
 */
export class Tanh extends Module {
  /** Python's Tanh() takes no arguments. */
  constructor(...args: []);
  constructor(...args: unknown[]) {
    tanhArgs(args);
    super();
  }

  override forward(input: Tensor): Tensor {
    return F._tanh(input);
  }
}

/**
 * y = σ(x) = 1 / (1 + exp(-x)).
 * Input: (*), output: (*), the input's shape.
 */
export class Sigmoid extends Module {
  /** Python's Sigmoid() takes no arguments. */
  constructor(...args: []);
  constructor(...args: unknown[]) {
    sigmoidArgs(args);
    super();
  }

  override forward(input: Tensor): Tensor {
    return F._sigmoid(input);
  }
}

// ---------------------------------------------------------------- the rest of Python's activations
//
// Each forward calls its ATen operator directly, as Python's F function does
// once its arguments are bound: the module bound them at construction.

const A = {
  threshold: aten('threshold', ''),
  threshold_: aten('threshold_', ''),
  rrelu: aten('rrelu', ''),
  rrelu_: aten('rrelu_', ''),
  hardtanh: aten('hardtanh', ''),
  hardtanh_: aten('hardtanh_', ''),
  relu6: aten('relu6', ''),
  relu6_: aten('relu6_', ''),
  hardsigmoid: aten('hardsigmoid', ''),
  hardsigmoid_: aten('hardsigmoid_', ''),
  silu: aten('silu', ''),
  silu_: aten('silu_', ''),
  mish: aten('mish', ''),
  mish_: aten('mish_', ''),
  hardswish: aten('hardswish', ''),
  hardswish_: aten('hardswish_', ''),
  elu: aten('elu', ''),
  elu_: aten('elu_', ''),
  celu: aten('celu', ''),
  celu_: aten('celu_', ''),
  selu: aten('selu', ''),
  selu_: aten('selu_', ''),
  glu: aten('glu', ''),
  gelu: aten('gelu', ''),
  hardshrink: aten('hardshrink', ''),
  leaky_relu: aten('leaky_relu', ''),
  leaky_relu_: aten('leaky_relu_', ''),
  log_sigmoid: aten('log_sigmoid', ''),
  softplus: aten('softplus', ''),
  softshrink: aten('softshrink', ''),
  prelu: aten('prelu', ''),
  abs: aten('abs', ''),
  add_scalar: aten('add', 'Scalar'),
  div: aten('div', 'Tensor'),
  sub: aten('sub', 'Tensor'),
  tanh: aten('tanh', ''),
  neg: aten('neg', ''),
  softmax: aten('softmax', 'int'),
};

const inplaceRepr = (inplace: boolean, lead = ''): string => (inplace ? `${lead}inplace=True` : '');

type Inplace = { inplace: boolean };
type InplaceArgs = PyArgs<[], [inplace: boolean], Inplace>;

const thresholdArgs = def_<{ threshold: number; value: number; inplace: boolean }>('Threshold(float threshold, float value, bool inplace=False)');

/**
 * y = x if x > threshold, else value.
 * Input: (*), output: (*), the input's shape.
 */
export class Threshold extends Module {
  threshold: number;
  value: number;
  inplace: boolean;

  /** Python's Threshold(threshold, value, inplace=False). */
  constructor(...args: PyArgs<[threshold: number, value: number], [inplace: boolean], { threshold: number; value: number; inplace?: boolean }>);
  constructor(...args: unknown[]) {
    const a = thresholdArgs(args);
    super();
    this.threshold = a.threshold;
    this.value = a.value;
    this.inplace = a.inplace;
  }

  override forward(input: Tensor): Tensor {
    try {
      return this.inplace ? A.threshold_(input, this.threshold, this.value) : A.threshold(input, this.threshold, this.value);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return `threshold=${pyFloatRepr(this.threshold)}, value=${pyFloatRepr(this.value)}${inplaceRepr(this.inplace, ', ')}`;
  }
}

const rreluArgs = def_<{ lower: number; upper: number; inplace: boolean }>('RReLU(float lower=0.125, float upper=0.3333333333333333, bool inplace=False)');

/**
 * Randomized leaky ReLU: y = x if x ≥ 0, else a·x, with a drawn from
 * U(lower, upper) for each element while training, and (lower + upper) / 2 in eval.
 * Input: (*), output: (*), the input's shape.
 */
export class RReLU extends Module {
  lower: number;
  upper: number;
  inplace: boolean;

  /** Python's RReLU(lower=1/8, upper=1/3, inplace=False). */
  constructor(...args: PyArgs<[], [lower: number, upper: number, inplace: boolean], { lower: number; upper: number; inplace: boolean }>);
  constructor(...args: unknown[]) {
    const a = rreluArgs(args);
    super();
    // ATen checks this at the first forward; a module knows it now.
    if (!(a.lower <= a.upper)) throw new RangeError(`RReLU: lower (${a.lower}) must be less than or equal to upper (${a.upper})`);
    this.lower = a.lower;
    this.upper = a.upper;
    this.inplace = a.inplace;
  }

  override forward(input: Tensor): Tensor {
    try {
      return this.inplace ? A.rrelu_(input, this.lower, this.upper, this.training) : A.rrelu(input, this.lower, this.upper, this.training);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return `lower=${pyFloatRepr(this.lower)}, upper=${pyFloatRepr(this.upper)}${inplaceRepr(this.inplace, ', ')}`;
  }
}

interface HardtanhKwargs {
  min_val: number;
  max_val: number;
  inplace: boolean;
  min_value: number | null;
  max_value: number | null;
}

const hardtanhArgs = def_<HardtanhKwargs>('Hardtanh(float min_val=-1.0, float max_val=1.0, bool inplace=False, float? min_value=None, float? max_value=None)');

/**
 * y = max_val if x > max_val, min_val if x < min_val, else x.
 * Input: (*), output: (*), the input's shape.
 */
export class Hardtanh extends Module {
  min_val: number;
  max_val: number;
  inplace: boolean;

  /** Python's Hardtanh(min_val=-1.0, max_val=1.0, inplace=False, min_value=None, max_value=None); min_value and max_value are the deprecated names, with Python's warning. */
  constructor(...args: PyArgs<[], [min_val: number, max_val: number, inplace: boolean, min_value: number | null, max_value: number | null], Partial<HardtanhKwargs>>);
  constructor(...args: unknown[]) {
    const a = hardtanhArgs(args);
    super();
    let { min_val, max_val } = a;
    if (a.min_value !== null) {
      warn('keyword argument min_value is deprecated and rename to min_val');
      min_val = a.min_value;
    }
    if (a.max_value !== null) {
      warn('keyword argument max_value is deprecated and rename to max_val');
      max_val = a.max_value;
    }
    if (!(max_val > min_val)) throw new RangeError(`${this._get_name()}: max_val (${max_val}) must be greater than min_val (${min_val})`);
    this.min_val = min_val;
    this.max_val = max_val;
    this.inplace = a.inplace;
  }

  override forward(input: Tensor): Tensor {
    try {
      return this.inplace ? A.hardtanh_(input, this.min_val, this.max_val) : A.hardtanh(input, this.min_val, this.max_val);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return `min_val=${pyFloatRepr(this.min_val)}, max_val=${pyFloatRepr(this.max_val)}${inplaceRepr(this.inplace, ', ')}`;
  }
}

const relu6Args = def_<Inplace>('ReLU6(bool inplace=False)');

/**
 * y = min(max(0, x), 6): a Hardtanh from 0 to 6, as in Python.
 * Input: (*), output: (*), the input's shape.
 */
export class ReLU6 extends Hardtanh {
  /** Python's ReLU6(inplace=False). */
  constructor(...args: InplaceArgs);
  constructor(...args: unknown[]) {
    const { inplace } = relu6Args(args);
    super(0.0, 6.0, inplace);
  }

  override forward(input: Tensor): Tensor {
    try {
      return this.inplace ? A.relu6_(input) : A.relu6(input);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return inplaceRepr(this.inplace);
  }
}

/** An activation whose only option is inplace. */
abstract class InplaceActivation extends Module {
  inplace: boolean;

  protected constructor(inplace: boolean) {
    super();
    this.inplace = inplace;
  }
}

const hardsigmoidArgs = def_<Inplace>('Hardsigmoid(bool inplace=False)');

/**
 * y = 0 if x ≤ -3, 1 if x ≥ 3, else x/6 + 1/2.
 * Input: (*), output: (*), the input's shape. Prints no options, as in Python.
 */
export class Hardsigmoid extends InplaceActivation {
  /** Python's Hardsigmoid(inplace=False). */
  constructor(...args: InplaceArgs);
  constructor(...args: unknown[]) {
    super(hardsigmoidArgs(args).inplace);
  }

  override forward(input: Tensor): Tensor {
    try {
      return this.inplace ? A.hardsigmoid_(input) : A.hardsigmoid(input);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const siluArgs = def_<Inplace>('SiLU(bool inplace=False)');

/**
 * y = x σ(x), the sigmoid-weighted linear unit (swish).
 * Input: (*), output: (*), the input's shape.
 */
export class SiLU extends InplaceActivation {
  /** Python's SiLU(inplace=False). */
  constructor(...args: InplaceArgs);
  constructor(...args: unknown[]) {
    super(siluArgs(args).inplace);
  }

  override forward(input: Tensor): Tensor {
    try {
      return this.inplace ? A.silu_(input) : A.silu(input);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return inplaceRepr(this.inplace);
  }
}

const mishArgs = def_<Inplace>('Mish(bool inplace=False)');

/**
 * y = x tanh(softplus(x)).
 * Input: (*), output: (*), the input's shape.
 */
export class Mish extends InplaceActivation {
  /** Python's Mish(inplace=False). */
  constructor(...args: InplaceArgs);
  constructor(...args: unknown[]) {
    super(mishArgs(args).inplace);
  }

  override forward(input: Tensor): Tensor {
    try {
      return this.inplace ? A.mish_(input) : A.mish(input);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return inplaceRepr(this.inplace);
  }
}

const hardswishArgs = def_<Inplace>('Hardswish(bool inplace=False)');

/**
 * y = 0 if x ≤ -3, x if x ≥ 3, else x (x + 3) / 6.
 * Input: (*), output: (*), the input's shape. Prints no options, as in Python.
 */
export class Hardswish extends InplaceActivation {
  /** Python's Hardswish(inplace=False). */
  constructor(...args: InplaceArgs);
  constructor(...args: unknown[]) {
    super(hardswishArgs(args).inplace);
  }

  override forward(input: Tensor): Tensor {
    try {
      return this.inplace ? A.hardswish_(input) : A.hardswish(input);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

type AlphaKwargs = { alpha: number; inplace: boolean };
const eluArgs = def_<AlphaKwargs>('ELU(float alpha=1.0, bool inplace=False)');

/**
 * y = x if x > 0, else α (exp(x) - 1).
 * Input: (*), output: (*), the input's shape.
 */
export class ELU extends Module {
  alpha: number;
  inplace: boolean;

  /** Python's ELU(alpha=1.0, inplace=False). */
  constructor(...args: PyArgs<[], [alpha: number, inplace: boolean], AlphaKwargs>);
  constructor(...args: unknown[]) {
    const a = eluArgs(args);
    super();
    this.alpha = a.alpha;
    this.inplace = a.inplace;
  }

  override forward(input: Tensor): Tensor {
    try {
      return this.inplace ? A.elu_(input, this.alpha) : A.elu(input, this.alpha);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return `alpha=${pyFloatRepr(this.alpha)}${inplaceRepr(this.inplace, ', ')}`;
  }
}

const celuArgs = def_<AlphaKwargs>('CELU(float alpha=1.0, bool inplace=False)');

/**
 * y = max(0, x) + min(0, α (exp(x/α) - 1)).
 * Input: (*), output: (*), the input's shape.
 */
export class CELU extends Module {
  alpha: number;
  inplace: boolean;

  /** Python's CELU(alpha=1.0, inplace=False). */
  constructor(...args: PyArgs<[], [alpha: number, inplace: boolean], AlphaKwargs>);
  constructor(...args: unknown[]) {
    const a = celuArgs(args);
    super();
    // ATen divides by alpha; say so before a forward does.
    if (a.alpha === 0) throw new RangeError('CELU: alpha must not be 0 (ZeroDivisionError in celu)');
    this.alpha = a.alpha;
    this.inplace = a.inplace;
  }

  override forward(input: Tensor): Tensor {
    try {
      return this.inplace ? A.celu_(input, this.alpha) : A.celu(input, this.alpha);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return `alpha=${pyFloatRepr(this.alpha)}${inplaceRepr(this.inplace, ', ')}`;
  }
}

const seluArgs = def_<Inplace>('SELU(bool inplace=False)');

/**
 * y = scale (max(0, x) + min(0, α (exp(x) - 1))), α = 1.6732632423543772,
 * scale = 1.0507009873554805.
 * Input: (*), output: (*), the input's shape.
 */
export class SELU extends InplaceActivation {
  /** Python's SELU(inplace=False). */
  constructor(...args: InplaceArgs);
  constructor(...args: unknown[]) {
    super(seluArgs(args).inplace);
  }

  override forward(input: Tensor): Tensor {
    try {
      return this.inplace ? A.selu_(input) : A.selu(input);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return inplaceRepr(this.inplace);
  }
}

const gluArgs = def_<{ dim: number }>('GLU(int dim=-1)');

/**
 * GLU(a, b) = a ⊗ σ(b), a and b the two halves of the input along dim.
 * Input: (*₁, N, *₂), output: (*₁, M, *₂) with M = N / 2.
 */
export class GLU extends Module {
  dim: number;

  /** Python's GLU(dim=-1). */
  constructor(...args: PyArgs<[], [dim: number], { dim: number }>);
  constructor(...args: unknown[]) {
    const { dim } = gluArgs(args);
    super();
    this.dim = dim;
  }

  override forward(input: Tensor): Tensor {
    try {
      if (input.ndim === 0) throw new RangeError('glu does not support scalars because halving size must be even');
      return A.glu(input, this.dim);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return `dim=${this.dim}`;
  }
}

const geluArgs = def_<{ approximate: string }>('GELU(str approximate="none")');

/**
 * y = x Φ(x), Φ the standard normal CDF; with approximate='tanh',
 * 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))).
 * Input: (*), output: (*), the input's shape.
 */
export class GELU extends Module {
  approximate: 'none' | 'tanh';

  /** Python's GELU(approximate='none'). */
  constructor(...args: PyArgs<[], [approximate: 'none' | 'tanh'], { approximate: 'none' | 'tanh' }>);
  constructor(...args: unknown[]) {
    const { approximate } = geluArgs(args);
    super();
    // Python takes any string and fails at the first forward.
    if (approximate !== 'none' && approximate !== 'tanh') throw new RangeError(`GELU: approximate must be 'none' or 'tanh', got '${approximate}'`);
    this.approximate = approximate;
  }

  override forward(input: Tensor): Tensor {
    try {
      return A.gelu(input, this.approximate);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return `approximate='${this.approximate}'`;
  }
}

const hardshrinkArgs = def_<{ lambd: number }>('Hardshrink(float lambd=0.5)');

/**
 * y = x if |x| > lambd, else 0.
 * Input: (*), output: (*), the input's shape.
 */
export class Hardshrink extends Module {
  lambd: number;

  /** Python's Hardshrink(lambd=0.5). */
  constructor(...args: PyArgs<[], [lambd: number], { lambd: number }>);
  constructor(...args: unknown[]) {
    const { lambd } = hardshrinkArgs(args);
    super();
    this.lambd = lambd;
  }

  override forward(input: Tensor): Tensor {
    try {
      return A.hardshrink(input, this.lambd);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return pyFloatRepr(this.lambd);
  }
}

const leakyReluArgs = def_<{ negative_slope: number; inplace: boolean }>('LeakyReLU(float negative_slope=0.01, bool inplace=False)');

/**
 * y = max(0, x) + negative_slope · min(0, x).
 * Input: (*), output: (*), the input's shape.
 */
export class LeakyReLU extends Module {
  negative_slope: number;
  inplace: boolean;

  /** Python's LeakyReLU(negative_slope=0.01, inplace=False). */
  constructor(...args: PyArgs<[], [negative_slope: number, inplace: boolean], { negative_slope: number; inplace: boolean }>);
  constructor(...args: unknown[]) {
    const a = leakyReluArgs(args);
    super();
    this.negative_slope = a.negative_slope;
    this.inplace = a.inplace;
  }

  override forward(input: Tensor): Tensor {
    try {
      return this.inplace ? A.leaky_relu_(input, this.negative_slope) : A.leaky_relu(input, this.negative_slope);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return `negative_slope=${pyFloatRepr(this.negative_slope)}${inplaceRepr(this.inplace, ', ')}`;
  }
}

const logSigmoidArgs = def_<Record<string, never>>('LogSigmoid()');

/**
 * y = log(1 / (1 + exp(-x))), computed stably.
 * Input: (*), output: (*), the input's shape.
 */
export class LogSigmoid extends Module {
  /** Python's LogSigmoid() takes no arguments. */
  constructor(...args: []);
  constructor(...args: unknown[]) {
    logSigmoidArgs(args);
    super();
  }

  override forward(input: Tensor): Tensor {
    try {
      return A.log_sigmoid(input);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

// 2.x's defaults are floats (beta=1.0, threshold=20.0), 1.13's ints.
const TORCH2_SOFTPLUS = libtorchAtLeast(2);
const softplusArgs = def_<{ beta: number; threshold: number }>(
  TORCH2_SOFTPLUS ? 'Softplus(float beta=1.0, float threshold=20.0)' : 'Softplus(float beta=1, float threshold=20)',
);
/** Where the key holds, the module's beta or threshold is 2.x's float default: Python prints it as 1.0 or 20.0. */
const FLOAT_DEFAULTS = Symbol('Softplus float defaults');

/**
 * y = (1/β) log(1 + exp(β x)), and x itself where β x > threshold.
 * Input: (*), output: (*), the input's shape.
 */
export class Softplus extends Module {
  beta: number;
  threshold: number;

  /** Python's Softplus(beta=1, threshold=20); 2.x's Softplus(beta=1.0, threshold=20.0). */
  constructor(...args: PyArgs<[], [beta: number, threshold: number], { beta: number; threshold: number }>);
  constructor(...args: unknown[]) {
    const a = softplusArgs(args);
    super();
    this.beta = a.beta;
    this.threshold = a.threshold;
    if (TORCH2_SOFTPLUS) {
      // Python prints what it holds: a value given as given (an int as an int), a default as the float it is.
      const [positional, keywords] = splitKeywords(args);
      const given = (i: number, name: string) => positional.length > i || (keywords !== undefined && Object.prototype.hasOwnProperty.call(keywords, name));
      const defaults = new Set<string>(['beta', 'threshold'].filter((name, i) => !given(i, name)));
      Object.defineProperty(this, FLOAT_DEFAULTS, { value: defaults });
    }
  }

  override forward(input: Tensor): Tensor {
    try {
      return A.softplus(input, this.beta, this.threshold);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    const defaults = (this as unknown as { [FLOAT_DEFAULTS]?: Set<string> })[FLOAT_DEFAULTS];
    const repr = (name: 'beta' | 'threshold', dflt: number) =>
      defaults?.has(name) && this[name] === dflt ? pyFloatRepr(this[name]) : intOrFloatRepr(this[name]);
    return `beta=${repr('beta', 1)}, threshold=${repr('threshold', 20)}`;
  }
}

const softshrinkArgs = def_<{ lambd: number }>('Softshrink(float lambd=0.5)');

/**
 * y = x - lambd if x > lambd, x + lambd if x < -lambd, else 0.
 * Input: (*), output: (*), the input's shape.
 */
export class Softshrink extends Module {
  lambd: number;

  /** Python's Softshrink(lambd=0.5). */
  constructor(...args: PyArgs<[], [lambd: number], { lambd: number }>);
  constructor(...args: unknown[]) {
    const { lambd } = softshrinkArgs(args);
    super();
    // ATen's softshrink requires it, at the first forward.
    if (!(lambd >= 0)) throw new RangeError(`Softshrink: lambd must be greater or equal to 0, got ${lambd}`);
    this.lambd = lambd;
  }

  override forward(input: Tensor): Tensor {
    try {
      return A.softshrink(input, this.lambd);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return pyFloatRepr(this.lambd);
  }
}

interface PReLUKwargs extends FactoryKwargs {
  num_parameters: number;
  init: number;
}

const preluArgs = def_<Required<PReLUKwargs>>('PReLU(int num_parameters=1, float init=0.25, Device? device=None, dtype? dtype=None)');

/**
 * y = max(0, x) + a · min(0, x), with a learnable a: one shared, or one per
 * channel (num_parameters = C, the input's dim 1).
 * Input: (*), output: (*), the input's shape. weight: (num_parameters), filled with init.
 */
export class PReLU extends Module {
  num_parameters: number;
  weight: Parameter;

  /** Python's PReLU(num_parameters=1, init=0.25, device=None, dtype=None). */
  constructor(...args: PyArgs<[], [num_parameters: number, init: number, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']], Partial<PReLUKwargs>>);
  constructor(...args: unknown[]) {
    const a = preluArgs(args);
    super();
    if (!(a.num_parameters >= 1)) throw new RangeError(`PReLU: num_parameters must be a positive integer, got ${a.num_parameters}`);
    this.num_parameters = a.num_parameters;
    // Python fills the weight with init: no random draw.
    this.weight = new Parameter(empty([a.num_parameters], { device: a.device, dtype: a.dtype }).fill_(a.init));
  }

  override forward(input: Tensor): Tensor {
    try {
      return A.prelu(input, this.weight);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return `num_parameters=${this.num_parameters}`;
  }
}

const softsignArgs = def_<Record<string, never>>('Softsign()');

/**
 * y = x / (1 + |x|).
 * Input: (*), output: (*), the input's shape.
 */
export class Softsign extends Module {
  /** Python's Softsign() takes no arguments. */
  constructor(...args: []);
  constructor(...args: unknown[]) {
    softsignArgs(args);
    super();
  }

  override forward(input: Tensor): Tensor {
    try {
      // Python's order: input / (input.abs() + 1).
      return A.div(input, A.add_scalar(A.abs(input), 1));
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const tanhshrinkArgs = def_<Record<string, never>>('Tanhshrink()');

/**
 * y = x - tanh(x).
 * Input: (*), output: (*), the input's shape.
 */
export class Tanhshrink extends Module {
  /** Python's Tanhshrink() takes no arguments. */
  constructor(...args: []);
  constructor(...args: unknown[]) {
    tanhshrinkArgs(args);
    super();
  }

  override forward(input: Tensor): Tensor {
    try {
      return A.sub(input, A.tanh(input));
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const softmaxArgs = def_<{ dim: number | null }>('Softmax(int? dim=None)');
const logSoftmaxArgs = def_<{ dim: number | null }>('LogSoftmax(int? dim=None)');

/**
 * Softmax(x)_i = exp(x_i) / Σ_j exp(x_j) along dim.
 * Input: (*), output: (*), the input's shape, each slice along dim summing to 1.
 */
export class Softmax extends Module {
  dim: number | null;

  /** Python's Softmax(dim=None): `new Softmax(1)` or `new Softmax({ dim: 1 })`. */
  constructor(...args: PyArgs<[], [dim: number | null], { dim: number | null }>);
  constructor(...args: unknown[]) {
    const { dim } = softmaxArgs(args);
    super();
    this.dim = dim;
  }

  override forward(input: Tensor): Tensor {
    return F._softmax(input, F._get_softmax_dim('softmax', input.ndim, this.dim));
  }

  override extra_repr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

const softminArgs = def_<{ dim: number | null }>('Softmin(int? dim=None)');

/**
 * Softmin(x)_i = exp(-x_i) / Σ_j exp(-x_j) along dim: the softmax of -x.
 * Input: (*), output: (*), the input's shape, each slice along dim summing to 1.
 */
export class Softmin extends Module {
  dim: number | null;

  /** Python's Softmin(dim=None): `new Softmin(1)` or `new Softmin({ dim: 1 })`. */
  constructor(...args: PyArgs<[], [dim: number | null], { dim: number | null }>);
  constructor(...args: unknown[]) {
    const { dim } = softminArgs(args);
    super();
    this.dim = dim;
  }

  override forward(input: Tensor): Tensor {
    try {
      return A.softmax(A.neg(input), F._get_softmax_dim('softmin', input.ndim, this.dim), null);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

const softmax2dArgs = def_<Record<string, never>>('Softmax2d()');

/**
 * Softmax over the channels at each spatial location: softmax along dim -3.
 * Input: (N, C, H, W) or (C, H, W), output: the same shape.
 */
export class Softmax2d extends Module {
  /** Python's Softmax2d() takes no arguments. */
  constructor(...args: []);
  constructor(...args: unknown[]) {
    softmax2dArgs(args);
    super();
  }

  override forward(input: Tensor): Tensor {
    if (input.ndim !== 3 && input.ndim !== 4) {
      throw new RangeError(`Softmax2d requires a 3D or 4D tensor as input, got one of shape [${[...input.shape].join(', ')}]`);
    }
    try {
      return A.softmax(input, -3, null);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

/**
 * LogSoftmax(x)_i = x_i - log Σ_j exp(x_j) along dim, computed stably.
 * Input: (*), output: (*), the input's shape.
 */
export class LogSoftmax extends Module {
  dim: number | null;

  /** Python's LogSoftmax(dim=None): `new LogSoftmax(1)` or `new LogSoftmax({ dim: 1 })`. */
  constructor(...args: PyArgs<[], [dim: number | null], { dim: number | null }>);
  constructor(...args: unknown[]) {
    const { dim } = logSoftmaxArgs(args);
    super();
    this.dim = dim;
  }

  override forward(input: Tensor): Tensor {
    return F._log_softmax(input, F._get_softmax_dim('log_softmax', input.ndim, this.dim));
  }

  override extra_repr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

// ---------------------------------------------------------------- MultiheadAttention

/**
 * A Linear that Python's quantization leaves alone (torch/nn/modules/linear.py):
 * MultiheadAttention's out_proj. Named apart only so that it prints as Python's.
 */
export class NonDynamicallyQuantizableLinear extends Linear {}

export interface MultiheadAttentionKwargs extends FactoryKwargs {
  embed_dim: number;
  num_heads: number;
  dropout?: number;
  bias?: boolean;
  add_bias_kv?: boolean;
  add_zero_attn?: boolean;
  kdim?: number | null;
  vdim?: number | null;
  batch_first?: boolean;
}

export interface MultiheadAttentionForwardKwargs {
  query: Tensor;
  key: Tensor;
  value: Tensor;
  key_padding_mask?: Tensor | null;
  need_weights?: boolean;
  attn_mask?: Tensor | null;
  average_attn_weights?: boolean;
  /** PyTorch 2.x only: attn_mask is the causal mask (a hint that lets the fused kernel apply it). */
  is_causal?: boolean;
}

/** PyTorch 2.x's MultiheadAttention: an is_causal hint, masks made float on entry (see _functional/attention.ts). */
const TORCH2_MHA = libtorchAtLeast(2);

const multiheadAttentionArgs = def_<Required<MultiheadAttentionKwargs>>(
  'MultiheadAttention(int embed_dim, int num_heads, float dropout=0., bool bias=True, bool add_bias_kv=False, bool add_zero_attn=False, ' +
    'int? kdim=None, int? vdim=None, bool batch_first=False, Device? device=None, dtype? dtype=None)',
);
const multiheadAttentionForwardArgs = def_<Required<MultiheadAttentionForwardKwargs>>(
  'MultiheadAttention.forward(Tensor query, Tensor key, Tensor value, Tensor? key_padding_mask=None, bool need_weights=True, Tensor? attn_mask=None, bool average_attn_weights=True' +
    (TORCH2_MHA ? ', bool is_causal=False)' : ')'),
);

/**
 * Multi-head attention ("Attention Is All You Need"):
 * MultiHead(Q, K, V) = concat(head_1, ..., head_h) W_o + b_o, with
 * head_i = softmax((Q W_q^i)(K W_k^i)^T / sqrt(head_dim) + mask) (V W_v^i)
 * and head_dim = embed_dim / num_heads.
 * Input: query (L, N, E_q), key (S, N, E_k), value (S, N, E_v); (N, L, E_q) ...
 * with batch_first; (L, E_q), (S, E_k), (S, E_v) unbatched. key_padding_mask
 * (N, S) or (S); attn_mask (L, S) or (N * num_heads, L, S).
 * Output: [attn_output (L, N, E) (batch_first: (N, L, E)), attn_weights
 * (N, L, S), or (N, num_heads, L, S) without averaging, or null].
 * Parameters as Python's state_dict names them: in_proj_weight (3E, E) and
 * in_proj_bias (3E), or q_proj_weight/k_proj_weight/v_proj_weight when kdim
 * or vdim differ from embed_dim; out_proj.weight, out_proj.bias; bias_k and
 * bias_v (1, 1, E) with add_bias_kv.
 *
 * Python takes a fused kernel (torch._native_multi_head_attention) in
 * eval mode without autograd under some conditions; this is the reference
 * path it must equal, which Python takes otherwise.
 */
export class MultiheadAttention extends Module {
  embed_dim: number;
  kdim: number;
  vdim: number;
  _qkv_same_embed_dim: boolean;
  num_heads: number;
  dropout: number;
  batch_first: boolean;
  head_dim: number;
  // Declared in Python's order of registration, which state_dict keeps.
  q_proj_weight: Parameter | null;
  k_proj_weight: Parameter | null;
  v_proj_weight: Parameter | null;
  in_proj_weight: Parameter | null;
  in_proj_bias: Parameter | null;
  out_proj: NonDynamicallyQuantizableLinear;
  bias_k: Parameter | null;
  bias_v: Parameter | null;
  add_zero_attn: boolean;

  /**
   * Python's MultiheadAttention(embed_dim, num_heads, dropout=0., bias=True, add_bias_kv=False,
   * add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None, dtype=None).
   */
  constructor(
    ...args: PyArgs<
      [embed_dim: number, num_heads: number],
      [dropout: number, bias: boolean, add_bias_kv: boolean, add_zero_attn: boolean, kdim: number | null, vdim: number | null, batch_first: boolean, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']],
      MultiheadAttentionKwargs
    >
  );
  constructor(...args: unknown[]) {
    const a = multiheadAttentionArgs(args);
    const { embed_dim, num_heads, device, dtype } = a;
    super();
    const fk = { device, dtype };
    if (TORCH2_MHA && (!(embed_dim > 0) || !(num_heads > 0))) {
      throw new RangeError(`MultiheadAttention: embed_dim and num_heads must be greater than 0, got embed_dim=${embed_dim} and num_heads=${num_heads} instead`);
    }
    if (!(embed_dim > 0)) throw new RangeError(`MultiheadAttention: embed_dim must be a positive integer, got ${embed_dim}`);
    if (!(num_heads > 0)) throw new RangeError(`MultiheadAttention: num_heads must be a positive integer, got ${num_heads}`);
    if (!(a.dropout >= 0 && a.dropout <= 1)) throw new RangeError(`MultiheadAttention: dropout probability has to be between 0 and 1, but got ${a.dropout}`);
    this.embed_dim = embed_dim;
    this.kdim = a.kdim ?? embed_dim;
    this.vdim = a.vdim ?? embed_dim;
    this._qkv_same_embed_dim = this.kdim === embed_dim && this.vdim === embed_dim;
    this.num_heads = num_heads;
    this.dropout = a.dropout;
    this.batch_first = a.batch_first;
    this.head_dim = Math.floor(embed_dim / num_heads);
    if (this.head_dim * num_heads !== embed_dim) {
      throw new RangeError(`MultiheadAttention: embed_dim must be divisible by num_heads, got embed_dim=${embed_dim} and num_heads=${num_heads}`);
    }
    if (!this._qkv_same_embed_dim) {
      this.q_proj_weight = new Parameter(empty([embed_dim, embed_dim], fk));
      this.k_proj_weight = new Parameter(empty([embed_dim, this.kdim], fk));
      this.v_proj_weight = new Parameter(empty([embed_dim, this.vdim], fk));
      this.in_proj_weight = null;
    } else {
      this.in_proj_weight = new Parameter(empty([3 * embed_dim, embed_dim], fk));
      this.q_proj_weight = this.k_proj_weight = this.v_proj_weight = null;
    }
    this.in_proj_bias = a.bias ? new Parameter(empty([3 * embed_dim], fk)) : null;
    // Drawn here, before _reset_parameters: Python's order of draws.
    this.out_proj = new NonDynamicallyQuantizableLinear(embed_dim, embed_dim, { bias: a.bias, ...fk });
    if (a.add_bias_kv) {
      this.bias_k = new Parameter(empty([1, 1, embed_dim], fk));
      this.bias_v = new Parameter(empty([1, 1, embed_dim], fk));
    } else {
      this.bias_k = this.bias_v = null;
    }
    this.add_zero_attn = a.add_zero_attn;
    this._reset_parameters();
  }

  /** Python's order: xavier_uniform_ on the projection weights, zero biases (out_proj's too), xavier_normal_ on bias_k, bias_v. */
  _reset_parameters(): void {
    if (this._qkv_same_embed_dim) {
      init.xavier_uniform_(this.in_proj_weight!);
    } else {
      init.xavier_uniform_(this.q_proj_weight!);
      init.xavier_uniform_(this.k_proj_weight!);
      init.xavier_uniform_(this.v_proj_weight!);
    }
    if (this.in_proj_bias !== null) {
      init.constant_(this.in_proj_bias, 0);
      init.constant_(this.out_proj.bias!, 0);
    }
    if (this.bias_k !== null) init.xavier_normal_(this.bias_k);
    if (this.bias_v !== null) init.xavier_normal_(this.bias_v);
  }

  /**
   * Python's forward(query, key, value, key_padding_mask=None, need_weights=True,
   * attn_mask=None, average_attn_weights=True), and in 2.x is_causal=False:
   * [attn_output, attn_weights or null].
   */
  override forward(
    ...args: PyArgs<
      [query: Tensor, key: Tensor, value: Tensor],
      [key_padding_mask: Tensor | null, need_weights: boolean, attn_mask: Tensor | null, average_attn_weights: boolean, is_causal: boolean],
      MultiheadAttentionForwardKwargs
    >
  ): [Tensor, Tensor | null];
  override forward(...args: unknown[]): [Tensor, Tensor | null] {
    const parsed = multiheadAttentionForwardArgs(args);
    let { query, key, value, key_padding_mask, attn_mask } = parsed;
    const { need_weights, average_attn_weights } = parsed;
    const who = 'MultiheadAttention';
    const isBatched = query.ndim === 3;
    if (TORCH2_MHA) {
      key_padding_mask = _canonical_mask(who, key_padding_mask, 'key_padding_mask', attn_mask?.dtype ?? null, 'attn_mask', query.dtype);
      attn_mask = _canonical_mask(who, attn_mask, 'attn_mask', null, '', query.dtype, false);
    } else {
      _check_key_padding_mask_dtype(who, key_padding_mask);
    }
    if (this.batch_first && isBatched) {
      // Transposed so that query, key and value stay one tensor where they were one (self-attention).
      if (key === value) {
        if (query === key) query = key = value = query.transpose(1, 0);
        else {
          [query, key] = [query.transpose(1, 0), key.transpose(1, 0)];
          value = key;
        }
      } else {
        [query, key, value] = [query.transpose(1, 0), key.transpose(1, 0), value.transpose(1, 0)];
      }
    }
    const [out, weights] = _multi_head_attention_forward(who, {
      query, key, value,
      embed_dim_to_check: this.embed_dim,
      num_heads: this.num_heads,
      in_proj_weight: this.in_proj_weight,
      in_proj_bias: this.in_proj_bias,
      bias_k: this.bias_k,
      bias_v: this.bias_v,
      add_zero_attn: this.add_zero_attn,
      dropout_p: this.dropout,
      out_proj_weight: this.out_proj.weight,
      out_proj_bias: this.out_proj.bias,
      training: this.training,
      key_padding_mask,
      need_weights,
      attn_mask,
      use_separate_proj_weight: !this._qkv_same_embed_dim,
      q_proj_weight: this.q_proj_weight,
      k_proj_weight: this.k_proj_weight,
      v_proj_weight: this.v_proj_weight,
      static_k: null,
      static_v: null,
      average_attn_weights,
      is_causal: parsed.is_causal ?? false,
    });
    return [this.batch_first && isBatched ? out.transpose(1, 0) : out, weights];
  }
}
