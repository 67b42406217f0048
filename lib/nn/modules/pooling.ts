// Max pooling modules, after torch/nn/modules/pooling.py.
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import { Module } from './module';
import { def_, intOrTuple, pyBool, reprAsGiven, type PyArgs } from './utils';

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

/** Max over windows chosen so that the output has output_size (null: the input's size there). */
abstract class AdaptiveMaxPoolNd<ReturnIndices extends boolean> extends Module {
  output_size: OutputSizeN;
  return_indices: ReturnIndices;
  protected abstract readonly dims: 1 | 2 | 3;

  protected constructor(name: string, dims: number, bound: Required<AdaptiveKwargs<ReturnIndices>>) {
    super();
    const v = bound.output_size;
    const ok = (typeof v === 'number' && Number.isInteger(v)) || (Array.isArray(v) && v.length === dims && v.every((x) => x === null || Number.isInteger(x)));
    if (!ok) intOrTuple(name, 'output_size', v, dims);
    this.output_size = Array.isArray(v) ? [...v] : v;
    this.return_indices = bound.return_indices;
  }

  override forward(input: Tensor): F.MaxPoolResult<ReturnIndices> {
    const size = typeof this.output_size === 'number' ? new Array(this.dims).fill(this.output_size) : this.output_size;
    const shape = input.shape;
    const resolved = size.map((x: number | null, i: number) => x ?? shape[shape.length - this.dims + i]);
    return F._adaptive_max_pool(this.dims, input, resolved, this.return_indices) as F.MaxPoolResult<ReturnIndices>;
  }

  override extra_repr(): string {
    return `output_size=${reprAsGiven(this.output_size)}`;
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
