// nn.Conv2d, after torch/nn/modules/conv.py.
import { empty } from '../../factories';
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import * as init from '../init';
import { Parameter } from '../parameter';
import { Module } from './module';
import { _ntuple, checkSize, def_, type FactoryKwargs, type PyArgs } from './utils';

type Pair = [number, number];

const tuple = (p: readonly number[]) => `(${p.join(', ')})`;

export interface Conv2dOptions extends FactoryKwargs {
  stride?: number | Pair;
  padding?: number | Pair | 'valid' | 'same';
  dilation?: number | Pair;
  groups?: number;
  bias?: boolean;
  padding_mode?: 'zeros' | 'reflect' | 'replicate' | 'circular';
}

interface Conv2dKwargs extends Conv2dOptions {
  in_channels: number;
  out_channels: number;
  kernel_size: number | Pair;
}

const conv2dArgs = def_<Required<Conv2dKwargs>>(
  'Conv2d(int in_channels, int out_channels, Any kernel_size, Any stride=1, Any padding=0, Any dilation=1, int groups=1, bool bias=True, str padding_mode="zeros", Device? device=None, dtype? dtype=None)',
);

/**
 * 2-D cross-correlation. Input: (N, C_in, H, W) or (C_in, H, W); output:
 * (N, C_out, H_out, W_out). weight: (C_out, C_in/groups, kH, kW).
 */
export class Conv2d extends Module {
  in_channels: number;
  out_channels: number;
  kernel_size: Pair;
  stride: Pair;
  padding: Pair | 'valid' | 'same';
  dilation: Pair;
  groups: number;
  padding_mode: string;
  weight: Parameter;
  bias: Parameter | null;

  /**
   * Python's Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0,
   * dilation=1, groups=1, bias=True, padding_mode='zeros', device=None, dtype=None):
   * `new Conv2d(1, 32, 3, 2)` has stride 2, `new Conv2d(1, 32, 3, { padding: 'same' })`.
   */
  constructor(
    ...args: PyArgs<
      [in_channels: number, out_channels: number, kernel_size: number | Pair],
      [
        stride: number | Pair,
        padding: number | Pair | 'valid' | 'same',
        dilation: number | Pair,
        groups: number,
        bias: boolean,
        padding_mode: Conv2dOptions['padding_mode'],
        device: FactoryKwargs['device'],
        dtype: FactoryKwargs['dtype'],
      ],
      Conv2dKwargs
    >
  );
  constructor(...args: unknown[]) {
    const a = conv2dArgs(args);
    super();
    const { in_channels, out_channels, groups, padding, padding_mode } = a;
    checkSize('Conv2d', 'in_channels', in_channels);
    checkSize('Conv2d', 'out_channels', out_channels);
    if (groups <= 0) throw new RangeError('groups must be a positive integer');
    if (in_channels % groups !== 0) throw new RangeError('in_channels must be divisible by groups');
    if (out_channels % groups !== 0) throw new RangeError('out_channels must be divisible by groups');
    this.in_channels = in_channels;
    this.out_channels = out_channels;
    this.kernel_size = _ntuple('Conv2d', 'kernel_size', a.kernel_size, 2) as Pair;
    this.stride = _ntuple('Conv2d', 'stride', a.stride, 2) as Pair;
    if (typeof padding === 'string') {
      if (padding !== 'valid' && padding !== 'same') throw new RangeError(`Invalid padding string '${padding}', should be one of {'valid', 'same'}`);
      if (padding === 'same' && this.stride.some((s) => s !== 1)) throw new RangeError("padding='same' is not supported for strided convolutions");
      this.padding = padding;
    } else {
      this.padding = _ntuple('Conv2d', 'padding', padding, 2) as Pair;
    }
    this.dilation = _ntuple('Conv2d', 'dilation', a.dilation, 2) as Pair;
    if (!['zeros', 'reflect', 'replicate', 'circular'].includes(padding_mode)) {
      throw new RangeError(`padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='${padding_mode}'`);
    }
    if (padding_mode !== 'zeros') throw new RangeError(`Conv2d: padding_mode '${padding_mode}' is not supported yet; use 'zeros'`);
    this.groups = groups;
    this.padding_mode = padding_mode;
    const factory = { device: a.device, dtype: a.dtype };
    this.weight = new Parameter(empty([out_channels, in_channels / groups, ...this.kernel_size], factory));
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

  override forward(input: Tensor): Tensor {
    return F._conv2d(input, this.weight, {
      bias: this.bias,
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override extra_repr(): string {
    let s = `${this.in_channels}, ${this.out_channels}, kernel_size=${tuple(this.kernel_size)}, stride=${tuple(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${tuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${tuple(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}
