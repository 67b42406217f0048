// The pooling modules (max, average, adaptive, power-average, unpooling,
// fractional), after torch/nn/modules/pooling.py.
import { aten } from '../../aten';
import { Tensor } from '../../tensor';
import { _fractional_max_pool, _lp_pool, _max_unpool } from '../_functional/pooling';
import * as F from '../functional';
import { forwardKeyword } from './conv';
import { Module } from './module';
import { _ntuple, def_, intOrTuple, pyBool, reprAsGiven, type PyArgs } from './utils';

type IntN = F.IntN;

interface MaxPoolKwargs<R extends boolean> {
  kernel_size: IntN;
  stride?: IntN | null;
  padding?: IntN;
  dilation?: IntN;
  return_indices?: R;
  ceil_mode?: boolean;
}

/** Python's _MaxPoolNd(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False). */
type MaxPoolArgs<R extends boolean> = PyArgs<
  [kernel_size: IntN],
  [stride: IntN | null, padding: IntN, dilation: IntN, return_indices: R, ceil_mode: boolean],
  MaxPoolKwargs<R>
>;

/**
 * Max over windows of N dims. With `return_indices: true` forward gives
 * [output, indices], and its type says so.
 */
abstract class MaxPoolNd<ReturnIndices extends boolean> extends Module {
  kernel_size: IntN;
  stride: IntN;
  padding: IntN;
  dilation: IntN;
  return_indices: ReturnIndices;
  ceil_mode: boolean;
  protected abstract readonly dims: 1 | 2 | 3;

  protected constructor(name: string, dims: number, bound: Required<MaxPoolKwargs<ReturnIndices>>) {
    super();
    // Kept as given, as Python keeps them (`kernel_size=2` prints as 2, a list as that list).
    this.kernel_size = intOrTuple(name, 'kernel_size', bound.kernel_size, dims);
    this.stride = bound.stride === null ? this.kernel_size : intOrTuple(name, 'stride', bound.stride, dims);
    this.padding = intOrTuple(name, 'padding', bound.padding, dims);
    this.dilation = intOrTuple(name, 'dilation', bound.dilation, dims);
    this.return_indices = bound.return_indices;
    this.ceil_mode = bound.ceil_mode;
  }

  override forward(input: Tensor): F.MaxPoolResult<ReturnIndices> {
    return F._max_pool(this.dims, input, this.kernel_size, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceil_mode: this.ceil_mode,
      return_indices: this.return_indices,
    }) as F.MaxPoolResult<ReturnIndices>;
  }

  override extra_repr(): string {
    const r = reprAsGiven;
    return `kernel_size=${r(this.kernel_size)}, stride=${r(this.stride)}, padding=${r(this.padding)}, dilation=${r(this.dilation)}, ceil_mode=${pyBool(this.ceil_mode)}`;
  }
}

const maxPoolArgs = (name: string) =>
  def_<Required<MaxPoolKwargs<boolean>>>(`${name}(Any kernel_size, Any stride=None, Any padding=0, Any dilation=1, bool return_indices=False, bool ceil_mode=False)`);
const maxPool1dArgs = maxPoolArgs('MaxPool1d');
const maxPool2dArgs = maxPoolArgs('MaxPool2d');
const maxPool3dArgs = maxPoolArgs('MaxPool3d');

/** Max over windows of kL. Input: (N, C, L) or (C, L). */
export class MaxPool1d<ReturnIndices extends boolean = false> extends MaxPoolNd<ReturnIndices> {
  protected readonly dims = 1;
  constructor(...args: MaxPoolArgs<ReturnIndices>);
  constructor(...args: unknown[]) {
    super('MaxPool1d', 1, maxPool1dArgs(args) as Required<MaxPoolKwargs<ReturnIndices>>);
  }
}

/** Max over kH x kW windows. Input: (N, C, H, W) or (C, H, W). */
export class MaxPool2d<ReturnIndices extends boolean = false> extends MaxPoolNd<ReturnIndices> {
  protected readonly dims = 2;
  constructor(...args: MaxPoolArgs<ReturnIndices>);
  constructor(...args: unknown[]) {
    super('MaxPool2d', 2, maxPool2dArgs(args) as Required<MaxPoolKwargs<ReturnIndices>>);
  }
}

/** Max over kD x kH x kW windows. Input: (N, C, D, H, W) or (C, D, H, W). */
export class MaxPool3d<ReturnIndices extends boolean = false> extends MaxPoolNd<ReturnIndices> {
  protected readonly dims = 3;
  constructor(...args: MaxPoolArgs<ReturnIndices>);
  constructor(...args: unknown[]) {
    super('MaxPool3d', 3, maxPool3dArgs(args) as Required<MaxPoolKwargs<ReturnIndices>>);
  }
}

type OutputSizeN = F.OutputSizeN;

interface AdaptiveKwargs<R extends boolean> {
  output_size: OutputSizeN;
  return_indices?: R;
}

/** Python's _AdaptiveMaxPoolNd(output_size, return_indices=False). */
type AdaptiveArgs<R extends boolean> = PyArgs<[output_size: OutputSizeN], [return_indices: R], AdaptiveKwargs<R>>;

/**
 * What adaptive pooling shares: output_size kept as given (an int, or a list
 * with null for "the input's size there"; a 1-D output size is one int, as
 * Python's _size_1_t), and resolved against each input.
 */
abstract class _AdaptivePoolNd extends Module {
  output_size: OutputSizeN;
  protected abstract readonly dims: 1 | 2 | 3;

  protected constructor(name: string, dims: number, output_size: unknown) {
    super();
    const v = output_size;
    const ok = (typeof v === 'number' && Number.isInteger(v)) || (Array.isArray(v) && v.length === dims && v.every((x) => (x === null && dims > 1) || Number.isInteger(x)));
    if (!ok) intOrTuple(name, 'output_size', v, dims);
    this.output_size = Array.isArray(v) ? [...v] : (v as number);
  }

  /** The output size for this input: null entries take the input's size there. */
  protected resolveOutputSize(input: Tensor): number[] {
    if (typeof this.output_size === 'number') return new Array(this.dims).fill(this.output_size);
    const shape = input.shape;
    return this.output_size.map((x, i) => x ?? shape[shape.length - this.dims + i]);
  }

  override extra_repr(): string {
    return `output_size=${reprAsGiven(this.output_size)}`;
  }
}

/** Max over windows chosen so that the output has output_size. */
abstract class AdaptiveMaxPoolNd<ReturnIndices extends boolean> extends _AdaptivePoolNd {
  return_indices: ReturnIndices;

  protected constructor(name: string, dims: number, bound: Required<AdaptiveKwargs<ReturnIndices>>) {
    super(name, dims, bound.output_size);
    this.return_indices = bound.return_indices;
  }

  override forward(input: Tensor): F.MaxPoolResult<ReturnIndices> {
    return F._adaptive_max_pool(this.dims, input, this.resolveOutputSize(input), this.return_indices) as F.MaxPoolResult<ReturnIndices>;
  }
}

const adaptiveArgs = (name: string) => def_<Required<AdaptiveKwargs<boolean>>>(`${name}(Any output_size, bool return_indices=False)`);
const adaptive1dArgs = adaptiveArgs('AdaptiveMaxPool1d');
const adaptive2dArgs = adaptiveArgs('AdaptiveMaxPool2d');
const adaptive3dArgs = adaptiveArgs('AdaptiveMaxPool3d');

export class AdaptiveMaxPool1d<ReturnIndices extends boolean = false> extends AdaptiveMaxPoolNd<ReturnIndices> {
  protected readonly dims = 1;
  constructor(...args: AdaptiveArgs<ReturnIndices>);
  constructor(...args: unknown[]) {
    super('AdaptiveMaxPool1d', 1, adaptive1dArgs(args) as Required<AdaptiveKwargs<ReturnIndices>>);
  }
}

export class AdaptiveMaxPool2d<ReturnIndices extends boolean = false> extends AdaptiveMaxPoolNd<ReturnIndices> {
  protected readonly dims = 2;
  constructor(...args: AdaptiveArgs<ReturnIndices>);
  constructor(...args: unknown[]) {
    super('AdaptiveMaxPool2d', 2, adaptive2dArgs(args) as Required<AdaptiveKwargs<ReturnIndices>>);
  }
}

export class AdaptiveMaxPool3d<ReturnIndices extends boolean = false> extends AdaptiveMaxPoolNd<ReturnIndices> {
  protected readonly dims = 3;
  constructor(...args: AdaptiveArgs<ReturnIndices>);
  constructor(...args: unknown[]) {
    super('AdaptiveMaxPool3d', 3, adaptive3dArgs(args) as Required<AdaptiveKwargs<ReturnIndices>>);
  }
}

// ---------------------------------------------------------------- average pooling

const AVG = {
  avg_pool1d: aten('avg_pool1d', ''),
  avg_pool2d: aten('avg_pool2d', ''),
  avg_pool3d: aten('avg_pool3d', ''),
  adaptive_avg_pool1d: aten('adaptive_avg_pool1d', ''),
  adaptive_avg_pool2d: aten('adaptive_avg_pool2d', ''),
  adaptive_avg_pool3d: aten('adaptive_avg_pool3d', ''),
};

/** Python's repr of a tuple: (3,), (2, 2). */
const tuple = (p: readonly number[]) => (p.length === 1 ? `(${p[0]},)` : `(${p.join(', ')})`);

/** A pooling error, naming the module and the input's shape, with libtorch's message. */
function poolError(module: Module, input: unknown, err: unknown): Error {
  if (!(input instanceof Tensor)) return new TypeError(`${module._get_name()}.forward(): argument 'input' must be a Tensor, got ${input === null ? 'null' : typeof input}`);
  return new RangeError(`${module.toString()} got an input of shape [${[...input.shape].join(', ')}]: ${(err as Error).message}`);
}

interface AvgPool1dKwargs {
  kernel_size: IntN;
  stride?: IntN | null;
  padding?: IntN;
  ceil_mode?: boolean;
  count_include_pad?: boolean;
}

const avgPool1dArgs = def_<Required<AvgPool1dKwargs>>('AvgPool1d(Any kernel_size, Any stride=None, Any padding=0, bool ceil_mode=False, bool count_include_pad=True)');

/**
 * The mean over windows of kL: out(N, C, l) = 1/kL sum_m input(N, C, stride l + m).
 * Input: (N, C, L) or (C, L); L_out = floor((L + 2 padding - kL) / stride + 1) (ceil with ceil_mode).
 */
export class AvgPool1d extends Module {
  kernel_size: [number];
  stride: [number];
  padding: [number];
  ceil_mode: boolean;
  count_include_pad: boolean;

  /** Python's AvgPool1d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True). */
  constructor(...args: PyArgs<[kernel_size: IntN], [stride: IntN | null, padding: IntN, ceil_mode: boolean, count_include_pad: boolean], AvgPool1dKwargs>);
  constructor(...args: unknown[]) {
    const a = avgPool1dArgs(args);
    super();
    // Python's _single: AvgPool1d keeps one-element tuples.
    this.kernel_size = _ntuple('AvgPool1d', 'kernel_size', a.kernel_size, 1) as [number];
    this.stride = _ntuple('AvgPool1d', 'stride', a.stride ?? a.kernel_size, 1) as [number];
    this.padding = _ntuple('AvgPool1d', 'padding', a.padding, 1) as [number];
    this.ceil_mode = a.ceil_mode;
    this.count_include_pad = a.count_include_pad;
  }

  override forward(input: Tensor): Tensor {
    try {
      return AVG.avg_pool1d(input, this.kernel_size, this.stride, this.padding, this.ceil_mode, this.count_include_pad);
    } catch (err) {
      throw poolError(this, input, err);
    }
  }

  override extra_repr(): string {
    return `kernel_size=${tuple(this.kernel_size)}, stride=${tuple(this.stride)}, padding=${tuple(this.padding)}`;
  }
}

interface AvgPoolKwargs extends AvgPool1dKwargs {
  divisor_override?: number | null;
}

/** Python's AvgPoolNd(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None). */
type AvgPoolArgs = PyArgs<[kernel_size: IntN], [stride: IntN | null, padding: IntN, ceil_mode: boolean, count_include_pad: boolean, divisor_override: number | null], AvgPoolKwargs>;

/** The mean over windows of N dims, each divided by the window's size (or divisor_override). */
abstract class AvgPoolNd extends Module {
  kernel_size: IntN;
  stride: IntN;
  padding: IntN;
  ceil_mode: boolean;
  count_include_pad: boolean;
  divisor_override: number | null;
  protected abstract readonly dims: 2 | 3;

  protected constructor(name: string, dims: number, a: Required<AvgPoolKwargs>) {
    super();
    // Kept as given, as Python keeps them.
    this.kernel_size = intOrTuple(name, 'kernel_size', a.kernel_size, dims);
    this.stride = a.stride === null ? this.kernel_size : intOrTuple(name, 'stride', a.stride, dims);
    this.padding = intOrTuple(name, 'padding', a.padding, dims);
    this.ceil_mode = a.ceil_mode;
    this.count_include_pad = a.count_include_pad;
    if (a.divisor_override !== null && a.divisor_override === 0) throw new RangeError(`${name}(): divisor_override must be non-zero`);
    this.divisor_override = a.divisor_override;
  }

  override forward(input: Tensor): Tensor {
    const op = this.dims === 2 ? AVG.avg_pool2d : AVG.avg_pool3d;
    try {
      return op(input, this.kernel_size, this.stride, this.padding, this.ceil_mode, this.count_include_pad, this.divisor_override);
    } catch (err) {
      throw poolError(this, input, err);
    }
  }

  override extra_repr(): string {
    return `kernel_size=${reprAsGiven(this.kernel_size)}, stride=${reprAsGiven(this.stride)}, padding=${reprAsGiven(this.padding)}`;
  }
}

const avgPoolArgs = (name: string) =>
  def_<Required<AvgPoolKwargs>>(`${name}(Any kernel_size, Any stride=None, Any padding=0, bool ceil_mode=False, bool count_include_pad=True, int? divisor_override=None)`);
const avgPool2dArgs = avgPoolArgs('AvgPool2d');
const avgPool3dArgs = avgPoolArgs('AvgPool3d');

/**
 * The mean over kH x kW windows. Input: (N, C, H, W) or (C, H, W);
 * H_out = floor((H + 2 padding - kH) / stride + 1) (ceil with ceil_mode), and so W_out.
 */
export class AvgPool2d extends AvgPoolNd {
  protected readonly dims = 2;
  constructor(...args: AvgPoolArgs);
  constructor(...args: unknown[]) {
    super('AvgPool2d', 2, avgPool2dArgs(args));
  }
}

/** The mean over kD x kH x kW windows. Input: (N, C, D, H, W) or (C, D, H, W). */
export class AvgPool3d extends AvgPoolNd {
  protected readonly dims = 3;
  constructor(...args: AvgPoolArgs);
  constructor(...args: unknown[]) {
    super('AvgPool3d', 3, avgPool3dArgs(args));
  }
}

/** The mean over windows chosen so that the output has output_size. */
abstract class AdaptiveAvgPoolNd extends _AdaptivePoolNd {
  override forward(input: Tensor): Tensor {
    const op = this.dims === 1 ? AVG.adaptive_avg_pool1d : this.dims === 2 ? AVG.adaptive_avg_pool2d : AVG.adaptive_avg_pool3d;
    try {
      return op(input, this.resolveOutputSize(input));
    } catch (err) {
      throw poolError(this, input, err);
    }
  }
}

const adaptiveAvg1dArgs = def_<{ output_size: OutputSizeN }>('AdaptiveAvgPool1d(Any output_size)');
const adaptiveAvg2dArgs = def_<{ output_size: OutputSizeN }>('AdaptiveAvgPool2d(Any output_size)');
const adaptiveAvg3dArgs = def_<{ output_size: OutputSizeN }>('AdaptiveAvgPool3d(Any output_size)');

/** Adaptive mean pooling to L_out = output_size. Input: (N, C, L) or (C, L). */
export class AdaptiveAvgPool1d extends AdaptiveAvgPoolNd {
  protected readonly dims = 1;
  /** Python's AdaptiveAvgPool1d(output_size). */
  constructor(...args: PyArgs<[output_size: number | [number]], [], { output_size: number | [number] }>);
  constructor(...args: unknown[]) {
    super('AdaptiveAvgPool1d', 1, adaptiveAvg1dArgs(args).output_size);
  }
}

/** Adaptive mean pooling to (H_out, W_out) = output_size. Input: (N, C, H, W) or (C, H, W). */
export class AdaptiveAvgPool2d extends AdaptiveAvgPoolNd {
  protected readonly dims = 2;
  /** Python's AdaptiveAvgPool2d(output_size): an int, or [H_out, W_out] where null keeps the input's size. */
  constructor(...args: PyArgs<[output_size: OutputSizeN], [], { output_size: OutputSizeN }>);
  constructor(...args: unknown[]) {
    super('AdaptiveAvgPool2d', 2, adaptiveAvg2dArgs(args).output_size);
  }
}

/** Adaptive mean pooling to (D_out, H_out, W_out) = output_size. Input: (N, C, D, H, W) or (C, D, H, W). */
export class AdaptiveAvgPool3d extends AdaptiveAvgPoolNd {
  protected readonly dims = 3;
  /** Python's AdaptiveAvgPool3d(output_size): an int, or [D_out, H_out, W_out] where null keeps the input's size. */
  constructor(...args: PyArgs<[output_size: OutputSizeN], [], { output_size: OutputSizeN }>);
  constructor(...args: unknown[]) {
    super('AdaptiveAvgPool3d', 3, adaptiveAvg3dArgs(args).output_size);
  }
}

// ---------------------------------------------------------------- power-average pooling

interface LPPoolKwargs {
  norm_type: number;
  kernel_size: IntN;
  stride?: IntN | null;
  ceil_mode?: boolean;
}

/** Python's LPPoolNd(norm_type, kernel_size, stride=None, ceil_mode=False). */
type LPPoolArgs = PyArgs<[norm_type: number, kernel_size: IntN], [stride: IntN | null, ceil_mode: boolean], LPPoolKwargs>;

/** f(X) = (sum_{x in X} x^p)^(1/p) over each window, p = norm_type (p = inf is max pooling, p = 1 sum pooling). */
abstract class LPPoolNd extends Module {
  norm_type: number;
  kernel_size: IntN;
  stride: IntN | null;
  ceil_mode: boolean;
  protected abstract readonly dims: 1 | 2;

  protected constructor(name: string, dims: number, a: Required<LPPoolKwargs>) {
    super();
    this.norm_type = a.norm_type;
    // LPPool1d's kernel_size is one int in Python (lp_pool1d multiplies by it).
    this.kernel_size = dims === 1 && typeof a.kernel_size !== 'number' ? (_ntuple(name, 'kernel_size', a.kernel_size, 1)[0]) : intOrTuple(name, 'kernel_size', a.kernel_size, dims);
    this.stride = a.stride === null ? null : intOrTuple(name, 'stride', a.stride, dims);
    this.ceil_mode = a.ceil_mode;
  }

  override forward(input: Tensor): Tensor {
    try {
      return _lp_pool(this.dims, input, this.norm_type, this.kernel_size, this.stride, this.ceil_mode);
    } catch (err) {
      throw poolError(this, input, err);
    }
  }

  override extra_repr(): string {
    const stride = this.stride === null ? 'None' : reprAsGiven(this.stride);
    return `norm_type=${this.norm_type}, kernel_size=${reprAsGiven(this.kernel_size)}, stride=${stride}, ceil_mode=${pyBool(this.ceil_mode)}`;
  }
}

const lpPool1dArgs = def_<Required<LPPoolKwargs>>('LPPool1d(float norm_type, Any kernel_size, Any stride=None, bool ceil_mode=False)');
const lpPool2dArgs = def_<Required<LPPoolKwargs>>('LPPool2d(float norm_type, Any kernel_size, Any stride=None, bool ceil_mode=False)');

/** Power-average pooling over windows of kL. Input: (N, C, L) or (C, L). */
export class LPPool1d extends LPPoolNd {
  protected readonly dims = 1;
  constructor(...args: LPPoolArgs);
  constructor(...args: unknown[]) {
    super('LPPool1d', 1, lpPool1dArgs(args));
  }
}

/** Power-average pooling over kH x kW windows. Input: (N, C, H, W) or (C, H, W). */
export class LPPool2d extends LPPoolNd {
  protected readonly dims = 2;
  constructor(...args: LPPoolArgs);
  constructor(...args: unknown[]) {
    super('LPPool2d', 2, lpPool2dArgs(args));
  }
}

// ---------------------------------------------------------------- unpooling

interface MaxUnpoolKwargs {
  kernel_size: IntN;
  stride?: IntN | null;
  padding?: IntN;
}

/** Python's MaxUnpoolNd(kernel_size, stride=None, padding=0). */
type MaxUnpoolArgs = PyArgs<[kernel_size: IntN], [stride: IntN | null, padding: IntN], MaxUnpoolKwargs>;

/**
 * The partial inverse of MaxPoolNd: forward(input, indices, output_size?)
 * puts each value back at the index MaxPool gave it, zeros elsewhere.
 * Output size per dimension (in - 1) stride - 2 padding + kernel, or output_size.
 */
abstract class MaxUnpoolNd extends Module {
  kernel_size: number[];
  stride: number[];
  padding: number[];
  protected abstract readonly dims: 1 | 2 | 3;

  protected constructor(name: string, dims: number, a: Required<MaxUnpoolKwargs>) {
    super();
    this.kernel_size = _ntuple(name, 'kernel_size', a.kernel_size, dims);
    this.stride = _ntuple(name, 'stride', a.stride ?? a.kernel_size, dims);
    this.padding = _ntuple(name, 'padding', a.padding, dims);
  }

  /** Python's forward(input, indices, output_size=None); output_size positionally or as `{ output_size }`. */
  override forward(input: Tensor, indices: Tensor, output_size?: number[] | null | { output_size?: number[] | null }): Tensor {
    return _max_unpool(this.dims, input, indices, this.kernel_size, this.stride, this.padding, forwardKeyword<number[]>(this, 'output_size', output_size));
  }

  override extra_repr(): string {
    return `kernel_size=${tuple(this.kernel_size)}, stride=${tuple(this.stride)}, padding=${tuple(this.padding)}`;
  }
}

const maxUnpoolArgs = (name: string) => def_<Required<MaxUnpoolKwargs>>(`${name}(Any kernel_size, Any stride=None, Any padding=0)`);
const maxUnpool1dArgs = maxUnpoolArgs('MaxUnpool1d');
const maxUnpool2dArgs = maxUnpoolArgs('MaxUnpool2d');
const maxUnpool3dArgs = maxUnpoolArgs('MaxUnpool3d');

/** Unpools (N, C, L_in) with MaxPool1d's indices to (N, C, L_out). */
export class MaxUnpool1d extends MaxUnpoolNd {
  protected readonly dims = 1;
  constructor(...args: MaxUnpoolArgs);
  constructor(...args: unknown[]) {
    super('MaxUnpool1d', 1, maxUnpool1dArgs(args));
  }
}

/** Unpools (N, C, H_in, W_in) with MaxPool2d's indices to (N, C, H_out, W_out). */
export class MaxUnpool2d extends MaxUnpoolNd {
  protected readonly dims = 2;
  constructor(...args: MaxUnpoolArgs);
  constructor(...args: unknown[]) {
    super('MaxUnpool2d', 2, maxUnpool2dArgs(args));
  }
}

/** Unpools (N, C, D_in, H_in, W_in) with MaxPool3d's indices to (N, C, D_out, H_out, W_out). */
export class MaxUnpool3d extends MaxUnpoolNd {
  protected readonly dims = 3;
  constructor(...args: MaxUnpoolArgs);
  constructor(...args: unknown[]) {
    super('MaxUnpool3d', 3, maxUnpool3dArgs(args));
  }
}

// ---------------------------------------------------------------- fractional max pooling

interface FractionalKwargs<R extends boolean> {
  kernel_size: IntN;
  output_size?: IntN | null;
  output_ratio?: number | number[] | null;
  return_indices?: R;
  _random_samples?: Tensor | null;
}

/** Python's FractionalMaxPoolNd(kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None). */
type FractionalArgs<R extends boolean> = PyArgs<
  [kernel_size: IntN],
  [output_size: IntN | null, output_ratio: number | number[] | null, return_indices: R, _random_samples: Tensor | null],
  FractionalKwargs<R>
>;

/**
 * Max pooling over windows at pseudo-random fractional steps (Graham,
 * "Fractional Max-Pooling"), to output_size or output_ratio of the input's
 * size. The steps are drawn with torch.rand at each forward (as Python
 * draws them), unless _random_samples (N, C, dims) is given.
 */
abstract class FractionalMaxPoolNd<ReturnIndices extends boolean> extends Module {
  kernel_size: number[];
  return_indices: ReturnIndices;
  declare _random_samples: Tensor | null;
  output_size: number[] | null;
  output_ratio: number[] | null;
  protected abstract readonly dims: 2 | 3;

  protected constructor(name: string, dims: number, a: Required<FractionalKwargs<ReturnIndices>>) {
    super();
    this.kernel_size = _ntuple(name, 'kernel_size', a.kernel_size, dims);
    this.return_indices = a.return_indices;
    this.register_buffer('_random_samples', a._random_samples);
    this.output_size = a.output_size === null ? null : _ntuple(name, 'output_size', a.output_size, dims);
    if (a.output_ratio === null) {
      this.output_ratio = null;
    } else if (typeof a.output_ratio === 'number') {
      this.output_ratio = new Array(dims).fill(a.output_ratio);
    } else if (Array.isArray(a.output_ratio) && a.output_ratio.length === dims && a.output_ratio.every((x) => typeof x === 'number')) {
      this.output_ratio = [...a.output_ratio];
    } else {
      throw new TypeError(`${name}(): argument 'output_ratio' must be a float or a list of ${dims} floats`);
    }
    if (a.output_size === null && a.output_ratio === null) throw new RangeError(`${name} requires specifying either an output size, or a pooling ratio`);
    if (a.output_size !== null && a.output_ratio !== null) throw new RangeError('only one of output_size and output_ratio may be specified');
    if (this.output_ratio !== null && !this.output_ratio.every((r) => r > 0 && r < 1)) {
      throw new RangeError(`output_ratio must be between 0 and 1 (got ${reprAsGiven(a.output_ratio as number | number[])})`);
    }
  }

  override forward(input: Tensor): F.MaxPoolResult<ReturnIndices> {
    const pair = _fractional_max_pool(this.dims, input, this.kernel_size, {
      output_size: this.output_size,
      output_ratio: this.output_ratio,
      _random_samples: this._random_samples,
    });
    return (this.return_indices ? pair : pair[0]) as F.MaxPoolResult<ReturnIndices>;
  }
}

const fractionalArgs = (name: string) =>
  def_<Required<FractionalKwargs<boolean>>>(`${name}(Any kernel_size, Any output_size=None, Any output_ratio=None, bool return_indices=False, Tensor? _random_samples=None)`);
const fractional2dArgs = fractionalArgs('FractionalMaxPool2d');
const fractional3dArgs = fractionalArgs('FractionalMaxPool3d');

/** Fractional max pooling over kH x kW windows. Input: (N, C, H, W) or (C, H, W). */
export class FractionalMaxPool2d<ReturnIndices extends boolean = false> extends FractionalMaxPoolNd<ReturnIndices> {
  protected readonly dims = 2;
  constructor(...args: FractionalArgs<ReturnIndices>);
  constructor(...args: unknown[]) {
    super('FractionalMaxPool2d', 2, fractional2dArgs(args) as Required<FractionalKwargs<ReturnIndices>>);
  }
}

/** Fractional max pooling over kT x kH x kW windows. Input: (N, C, T, H, W) or (C, T, H, W). */
export class FractionalMaxPool3d<ReturnIndices extends boolean = false> extends FractionalMaxPoolNd<ReturnIndices> {
  protected readonly dims = 3;
  constructor(...args: FractionalArgs<ReturnIndices>);
  constructor(...args: unknown[]) {
    super('FractionalMaxPool3d', 3, fractional3dArgs(args) as Required<FractionalKwargs<ReturnIndices>>);
  }
}
