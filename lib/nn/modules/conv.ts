// nn.Conv1d, Conv2d, Conv3d and ConvTranspose1d, ConvTranspose2d,
// ConvTranspose3d, after torch/nn/modules/conv.py.
import { aten } from '../../aten';
import { empty } from '../../factories';
import { Tensor } from '../../tensor';
import * as init from '../init';
import { Parameter } from '../parameter';
import { Module } from './module';
import { _ntuple, checkSize, def_, type FactoryKwargs, type PyArgs } from './utils';

type Pair = [number, number];
type Triple = [number, number, number];
type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** Python's repr of a tuple: (3,), (3, 3). */
const tuple = (p: readonly number[]) => (p.length === 1 ? `(${p[0]},)` : `(${p.join(', ')})`);

const OPS = {
  conv: [aten('conv1d', ''), aten('conv2d', ''), aten('conv3d', '')],
  convPadding: [aten('conv1d', 'padding'), aten('conv2d', 'padding'), aten('conv3d', 'padding')],
  convTranspose: [aten('conv_transpose1d', ''), aten('conv_transpose2d', 'input'), aten('conv_transpose3d', 'input')],
  pad: aten('pad', ''),
};

interface ConvNdArgs {
  in_channels: number;
  out_channels: number;
  kernel_size: unknown;
  stride: unknown;
  padding: unknown;
  dilation: unknown;
  output_padding?: unknown;
  groups: number;
  bias: boolean;
  padding_mode: string;
  device: FactoryKwargs['device'];
  dtype: FactoryKwargs['dtype'];
}

/**
 * What every convolution shares (Python's _ConvNd): the checks on groups,
 * padding and padding_mode, the weight (C_out, C_in/groups, *kernel) (or
 * (C_in, C_out/groups, *kernel) transposed) and bias (C_out), both from
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn weight first.
 */
abstract class _ConvNd extends Module {
  in_channels: number;
  out_channels: number;
  kernel_size: number[];
  stride: number[];
  padding: number[] | 'valid' | 'same';
  dilation: number[];
  transposed: boolean;
  output_padding: number[];
  groups: number;
  padding_mode: PaddingMode;
  weight: Parameter;
  bias: Parameter | null;
  /** F.pad's argument for a padding_mode other than 'zeros': the padding reversed by dimension, each twice. */
  protected _reversed_padding_repeated_twice: number[];

  protected constructor(name: string, n: number, transposed: boolean, a: ConvNdArgs) {
    super();
    const { in_channels, out_channels, groups, padding, padding_mode } = a;
    checkSize(name, 'in_channels', in_channels);
    checkSize(name, 'out_channels', out_channels);
    if (groups <= 0) throw new RangeError('groups must be a positive integer');
    if (in_channels % groups !== 0) throw new RangeError('in_channels must be divisible by groups');
    if (out_channels % groups !== 0) throw new RangeError('out_channels must be divisible by groups');
    this.in_channels = in_channels;
    this.out_channels = out_channels;
    this.kernel_size = _ntuple(name, 'kernel_size', a.kernel_size, n);
    this.stride = _ntuple(name, 'stride', a.stride, n);
    if (typeof padding === 'string' && !transposed) {
      if (padding !== 'valid' && padding !== 'same') throw new RangeError(`Invalid padding string '${padding}', should be one of {'valid', 'same'}`);
      if (padding === 'same' && this.stride.some((s) => s !== 1)) throw new RangeError("padding='same' is not supported for strided convolutions");
      this.padding = padding;
    } else {
      this.padding = _ntuple(name, 'padding', padding, n);
    }
    this.dilation = _ntuple(name, 'dilation', a.dilation, n);
    if (!['zeros', 'reflect', 'replicate', 'circular'].includes(padding_mode)) {
      throw new RangeError(`padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='${padding_mode}'`);
    }
    this.transposed = transposed;
    this.output_padding = transposed ? _ntuple(name, 'output_padding', a.output_padding, n) : new Array(n).fill(0);
    this.groups = groups;
    this.padding_mode = padding_mode as PaddingMode;
    if (typeof this.padding === 'string') {
      this._reversed_padding_repeated_twice = new Array(2 * n).fill(0);
      if (this.padding === 'same') {
        for (let d = 0; d < n; d++) {
          const i = n - 1 - d;
          const total = this.dilation[d] * (this.kernel_size[d] - 1);
          const left = Math.floor(total / 2);
          this._reversed_padding_repeated_twice[2 * i] = left;
          this._reversed_padding_repeated_twice[2 * i + 1] = total - left;
        }
      }
    } else {
      this._reversed_padding_repeated_twice = [...this.padding].reverse().flatMap((p) => [p, p]);
    }
    const factory = { device: a.device, dtype: a.dtype };
    const shape = transposed ? [in_channels, out_channels / groups, ...this.kernel_size] : [out_channels, in_channels / groups, ...this.kernel_size];
    this.weight = new Parameter(empty(shape, factory));
    this.bias = a.bias ? new Parameter(empty([out_channels], factory)) : null;
    this.reset_parameters();
  }

  reset_parameters(): void {
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = init._calculate_fan_in_and_fan_out(this.weight);
      if (fanIn !== 0) {
        const bound = 1 / Math.sqrt(fanIn);
        init.uniform_(this.bias, -bound, bound);
      }
    }
  }

  override extra_repr(): string {
    let s = `${this.in_channels}, ${this.out_channels}, kernel_size=${tuple(this.kernel_size)}, stride=${tuple(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${tuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${tuple(this.dilation)}`;
    if (this.output_padding.some((p) => p !== 0)) s += `, output_padding=${tuple(this.output_padding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    if (this.padding_mode !== 'zeros') s += `, padding_mode=${this.padding_mode}`;
    return s;
  }
}

/** A convolution's error, naming the module and the input's shape, with libtorch's message. */
function convError(module: Module, input: unknown, err: unknown): Error {
  if (!(input instanceof Tensor)) return new TypeError(`${module._get_name()}.forward(): argument 'input' must be a Tensor, got ${input === null ? 'null' : typeof input}`);
  return new RangeError(`${module.toString()} got an input of shape [${[...input.shape].join(', ')}]: ${(err as Error).message}`);
}

/**
 * A forward's one optional argument, given positionally or as Python's
 * keyword (`m(x, { output_size: [8, 8] })`); any other keyword is refused.
 */
export function forwardKeyword<T>(module: Module, name: string, v: T | null | undefined | Record<string, unknown>): T | null {
  if (v === undefined || v === null || Array.isArray(v) || v instanceof Tensor || typeof v !== 'object') return (v ?? null) as T | null;
  const extra = Object.keys(v).filter((k) => k !== name);
  if (extra.length > 0) throw new TypeError(`${module._get_name()}.forward() got an unexpected keyword argument '${extra[0]}'`);
  return ((v as Record<string, unknown>)[name] ?? null) as T | null;
}

/** Convolutions proper (not transposed): forward pads first where padding_mode is not 'zeros', as Python does. */
abstract class _Conv extends _ConvNd {
  protected abstract readonly n: 1 | 2 | 3;

  override forward(input: Tensor): Tensor {
    const k = this.n - 1;
    try {
      if (this.padding_mode !== 'zeros') {
        const padded = OPS.pad(input, this._reversed_padding_repeated_twice, this.padding_mode, null);
        return OPS.conv[k](padded, this.weight, this.bias, this.stride, new Array(this.n).fill(0), this.dilation, this.groups);
      }
      if (typeof this.padding === 'string') return OPS.convPadding[k](input, this.weight, this.bias, this.stride, this.padding, this.dilation, this.groups);
      return OPS.conv[k](input, this.weight, this.bias, this.stride, this.padding, this.dilation, this.groups);
    } catch (err) {
      throw convError(this, input, err);
    }
  }
}

export interface ConvOptions<T> extends FactoryKwargs {
  stride?: number | T;
  padding?: number | T | 'valid' | 'same';
  dilation?: number | T;
  groups?: number;
  bias?: boolean;
  padding_mode?: PaddingMode;
}

/** @deprecated the options of Conv2d: ConvOptions<[number, number]>. */
export type Conv2dOptions = ConvOptions<Pair>;

type ConvKwargs<T> = ConvOptions<T> & { in_channels: number; out_channels: number; kernel_size: number | T };

/** Python's ConvNd(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', device=None, dtype=None). */
type ConvArgs<T> = PyArgs<
  [in_channels: number, out_channels: number, kernel_size: number | T],
  [
    stride: number | T,
    padding: number | T | 'valid' | 'same',
    dilation: number | T,
    groups: number,
    bias: boolean,
    padding_mode: PaddingMode,
    device: FactoryKwargs['device'],
    dtype: FactoryKwargs['dtype'],
  ],
  ConvKwargs<T>
>;

const convSignature = (name: string) =>
  `${name}(int in_channels, int out_channels, Any kernel_size, Any stride=1, Any padding=0, Any dilation=1, int groups=1, bool bias=True, str padding_mode="zeros", Device? device=None, dtype? dtype=None)`;
const conv1dArgs = def_<ConvNdArgs>(convSignature('Conv1d'));
const conv2dArgs = def_<ConvNdArgs>(convSignature('Conv2d'));
const conv3dArgs = def_<ConvNdArgs>(convSignature('Conv3d'));

/**
 * 1-D cross-correlation: out(N, C_out, L_out) = bias + sum_k weight(C_out, k) * input(N, k).
 * Input: (N, C_in, L) or (C_in, L). weight: (C_out, C_in/groups, kL).
 * L_out = floor((L + 2 padding - dilation (kL - 1) - 1) / stride + 1).
 */
export class Conv1d extends _Conv {
  protected readonly n = 1;
  declare kernel_size: [number];
  declare stride: [number];
  constructor(...args: ConvArgs<[number]>);
  constructor(...args: unknown[]) {
    super('Conv1d', 1, false, conv1dArgs(args));
  }
}

/**
 * 2-D cross-correlation. Input: (N, C_in, H, W) or (C_in, H, W); output:
 * (N, C_out, H_out, W_out). weight: (C_out, C_in/groups, kH, kW).
 * `new Conv2d(1, 32, 3, 2)` has stride 2, `new Conv2d(1, 32, 3, { padding: 'same' })`.
 */
export class Conv2d extends _Conv {
  protected readonly n = 2;
  declare kernel_size: Pair;
  declare stride: Pair;
  declare dilation: Pair;
  declare padding: Pair | 'valid' | 'same';
  constructor(...args: ConvArgs<Pair>);
  constructor(...args: unknown[]) {
    super('Conv2d', 2, false, conv2dArgs(args));
  }
}

/** 3-D cross-correlation. Input: (N, C_in, D, H, W) or (C_in, D, H, W). weight: (C_out, C_in/groups, kD, kH, kW). */
export class Conv3d extends _Conv {
  protected readonly n = 3;
  declare kernel_size: Triple;
  declare stride: Triple;
  constructor(...args: ConvArgs<Triple>);
  constructor(...args: unknown[]) {
    super('Conv3d', 3, false, conv3dArgs(args));
  }
}

/**
 * Transposed convolutions (the gradient of a convolution with respect to its
 * input). forward(input, output_size) picks output_padding so that the
 * output has output_size, among the sizes the stride allows.
 */
abstract class _ConvTransposeNd extends _ConvNd {
  protected abstract readonly n: 1 | 2 | 3;

  protected constructor(name: string, n: number, a: ConvNdArgs) {
    if (a.padding_mode !== 'zeros') throw new RangeError(`Only "zeros" padding mode is supported for ${name}`);
    if (typeof a.padding === 'string') throw new TypeError(`${name}(): argument 'padding' must be int or a list of ${n} ints, not a string ('${a.padding}')`);
    super(name, n, true, a);
  }

  /** Python's _output_padding: output_padding, or the one that gives output_size. */
  protected _output_padding(input: Tensor, output_size: readonly number[] | null): number[] {
    if (output_size === null) return this.output_padding;
    const n = this.n;
    const nonSpatial = input.ndim === n + 2 ? 2 : 1;
    let size = [...output_size];
    if (size.length === nonSpatial + n) size = size.slice(nonSpatial);
    if (size.length !== n) {
      throw new RangeError(`ConvTranspose${n}D: for ${input.ndim}D input, output_size must have ${n} or ${nonSpatial + n} elements (got ${size.length})`);
    }
    const padding = this.padding as number[];
    const mins: number[] = [];
    const maxs: number[] = [];
    for (let d = 0; d < n; d++) {
      const dimSize = (input.shape[d + nonSpatial] - 1) * this.stride[d] - 2 * padding[d] + this.dilation[d] * (this.kernel_size[d] - 1) + 1;
      mins.push(dimSize);
      maxs.push(dimSize + this.stride[d] - 1);
    }
    for (let i = 0; i < n; i++) {
      if (size[i] < mins[i] || size[i] > maxs[i]) {
        throw new RangeError(
          `requested an output size of [${size.join(', ')}], but valid sizes range from [${mins.join(', ')}] to [${maxs.join(', ')}] (for an input of torch.Size([${[...input.shape].slice(2).join(', ')}]))`,
        );
      }
    }
    return size.map((s, d) => s - mins[d]);
  }

  /**
   * Python's forward(input, output_size=None): output_size the spatial size
   * wanted (or the whole shape), positionally or as `{ output_size }`.
   */
  override forward(input: Tensor, output_size?: readonly number[] | null | { output_size?: readonly number[] | null }): Tensor {
    if (!(input instanceof Tensor)) throw convError(this, input, null);
    output_size = forwardKeyword(this, 'output_size', output_size);
    if (output_size !== null && !(Array.isArray(output_size) && output_size.every((x) => Number.isInteger(x)))) {
      throw new TypeError(`${this._get_name()}.forward(): argument 'output_size' must be a list of ints or null, got ${typeof output_size}`);
    }
    const outputPadding = this._output_padding(input, output_size);
    try {
      return OPS.convTranspose[this.n - 1](input, this.weight, this.bias, this.stride, this.padding, outputPadding, this.groups, this.dilation);
    } catch (err) {
      throw convError(this, input, err);
    }
  }
}

export interface ConvTransposeOptions<T> extends FactoryKwargs {
  stride?: number | T;
  padding?: number | T;
  output_padding?: number | T;
  groups?: number;
  bias?: boolean;
  dilation?: number | T;
  padding_mode?: 'zeros';
}

type ConvTransposeKwargs<T> = ConvTransposeOptions<T> & { in_channels: number; out_channels: number; kernel_size: number | T };

/** Python's ConvTransposeNd(in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None, dtype=None). */
type ConvTransposeArgs<T> = PyArgs<
  [in_channels: number, out_channels: number, kernel_size: number | T],
  [
    stride: number | T,
    padding: number | T,
    output_padding: number | T,
    groups: number,
    bias: boolean,
    dilation: number | T,
    padding_mode: 'zeros',
    device: FactoryKwargs['device'],
    dtype: FactoryKwargs['dtype'],
  ],
  ConvTransposeKwargs<T>
>;

const convTransposeSignature = (name: string) =>
  `${name}(int in_channels, int out_channels, Any kernel_size, Any stride=1, Any padding=0, Any output_padding=0, int groups=1, bool bias=True, Any dilation=1, str padding_mode="zeros", Device? device=None, dtype? dtype=None)`;
const convTranspose1dArgs = def_<ConvNdArgs>(convTransposeSignature('ConvTranspose1d'));
const convTranspose2dArgs = def_<ConvNdArgs>(convTransposeSignature('ConvTranspose2d'));
const convTranspose3dArgs = def_<ConvNdArgs>(convTransposeSignature('ConvTranspose3d'));

/**
 * 1-D transposed convolution. Input: (N, C_in, L) or (C_in, L); weight:
 * (C_in, C_out/groups, kL). L_out = (L - 1) stride - 2 padding + dilation (kL - 1) + output_padding + 1.
 */
export class ConvTranspose1d extends _ConvTransposeNd {
  protected readonly n = 1;
  constructor(...args: ConvTransposeArgs<[number]>);
  constructor(...args: unknown[]) {
    super('ConvTranspose1d', 1, convTranspose1dArgs(args));
  }
}

/**
 * 2-D transposed convolution. Input: (N, C_in, H, W) or (C_in, H, W); weight:
 * (C_in, C_out/groups, kH, kW). H_out = (H - 1) stride - 2 padding + dilation (kH - 1) + output_padding + 1, and so W_out.
 */
export class ConvTranspose2d extends _ConvTransposeNd {
  protected readonly n = 2;
  constructor(...args: ConvTransposeArgs<Pair>);
  constructor(...args: unknown[]) {
    super('ConvTranspose2d', 2, convTranspose2dArgs(args));
  }
}

/** 3-D transposed convolution. Input: (N, C_in, D, H, W) or (C_in, D, H, W); weight: (C_in, C_out/groups, kD, kH, kW). */
export class ConvTranspose3d extends _ConvTransposeNd {
  protected readonly n = 3;
  constructor(...args: ConvTransposeArgs<Triple>);
  constructor(...args: unknown[]) {
    super('ConvTranspose3d', 3, convTranspose3dArgs(args));
  }
}
