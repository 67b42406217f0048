// nn.Conv2d, after torch/nn/modules/conv.py.
import { empty } from '../../factories';
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import * as init from '../init';
import { Parameter } from '../parameter';
import { Module } from './module';

type Pair = [number, number];

function pair(name: string, v: number | readonly number[]): Pair {
  const p = typeof v === 'number' ? [v, v] : [...v];
  if (p.length !== 2 || !p.every((x) => Number.isInteger(x) && x >= 0)) {
    throw new TypeError(`Conv2d: ${name} must be a non-negative integer or a pair of them, got ${JSON.stringify(v)}`);
  }
  return p as Pair;
}

const tuple = (p: readonly number[]) => `(${p.join(', ')})`;

export interface Conv2dOptions {
  stride?: number | Pair;
  padding?: number | Pair | 'valid' | 'same';
  dilation?: number | Pair;
  groups?: number;
  bias?: boolean;
  padding_mode?: 'zeros';
}

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

  constructor(in_channels: number, out_channels: number, kernel_size: number | Pair, options: Conv2dOptions = {}) {
    super();
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, padding_mode = 'zeros' } = options;
    for (const [name, v] of [['in_channels', in_channels], ['out_channels', out_channels], ['groups', groups]] as const) {
      if (!Number.isInteger(v) || v < 0 || (name === 'groups' && v === 0)) throw new TypeError(`Conv2d: ${name} must be a positive integer, got ${typeof v === 'number' ? v : typeof v}`);
    }
    if (in_channels % groups !== 0) throw new RangeError('in_channels must be divisible by groups');
    if (out_channels % groups !== 0) throw new RangeError('out_channels must be divisible by groups');
    if (padding_mode !== 'zeros') throw new TypeError(`Conv2d: padding_mode '${padding_mode}' is not supported yet; use 'zeros'`);
    if (typeof padding === 'string' && padding !== 'valid' && padding !== 'same') {
      throw new TypeError(`Invalid padding string '${padding}', should be one of ["valid", "same"]`);
    }
    this.in_channels = in_channels;
    this.out_channels = out_channels;
    this.kernel_size = pair('kernel_size', kernel_size);
    this.stride = pair('stride', stride);
    this.padding = typeof padding === 'string' ? padding : pair('padding', padding);
    this.dilation = pair('dilation', dilation);
    this.groups = groups;
    this.padding_mode = padding_mode;
    if (padding === 'same' && this.stride.some((s) => s !== 1)) throw new RangeError("padding='same' is not supported for strided convolutions");
    this.weight = new Parameter(empty([out_channels, in_channels / groups, ...this.kernel_size]));
    this.bias = bias ? new Parameter(empty([out_channels])) : null;
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
