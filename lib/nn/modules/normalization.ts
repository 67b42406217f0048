// nn.LayerNorm, nn.GroupNorm, nn.LocalResponseNorm and nn.CrossMapLRN2d,
// after torch/nn/modules/normalization.py (and CrossMapLRN2d's autograd
// Function in torch/nn/modules/_functions.py).
import { aten } from '../../aten';
import { libtorchAtLeast } from '../../_libtorch_version';
import { no_grad } from '../../autograd/grad_mode';
import { pyFloatRepr } from '../../_pyformat';
import { empty } from '../../factories';
import type { Tensor } from '../../tensor';
import { _group_norm, _local_response_norm } from '../_functional/normalization';
import * as init from '../init';
import { Parameter } from '../parameter';
import { Module } from './module';
import { NORM_BIAS_PARAM, NORMS_TAKE_BIAS } from './batchnorm';
import { checkSize, def_, pyBool, type FactoryKwargs, type PyArgs } from './utils';

const layerNormOp = aten('layer_norm', '');

/** A module's error, naming the module (its repr) and what it was given, with libtorch's message. */
function moduleError(module: Module, input: Tensor, err: unknown): Error {
  const message = `${module.toString()} got an input of shape [${[...input.shape].join(', ')}]: ${(err as Error).message}`;
  return err instanceof TypeError ? new TypeError(message) : new RangeError(message);
}

export interface LayerNormOptions extends FactoryKwargs {
  eps?: number;
  elementwise_affine?: boolean;
  /** PyTorch 2.x only (2.1 added it): whether the affine transform has a bias. */
  bias?: boolean;
}

const layerNormArgs = def_<Required<LayerNormOptions> & { normalized_shape: number | number[] }>(
  // 2.x added bias=True, positionally before device.
  `LayerNorm(Any normalized_shape, float eps=1e-05, bool elementwise_affine=True, ${libtorchAtLeast(2) ? 'bool bias=True, ' : ''}Device? device=None, dtype? dtype=None)`,
);

/**
 * y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias, the mean and variance
 * (biased) taken over the last D dimensions, normalized_shape. Input:
 * (N, *, normalized_shape...); output: the same shape. weight and bias:
 * normalized_shape, initialised to ones and zeros (with elementwise_affine).
 */
export class LayerNorm extends Module {
  normalized_shape: number[];
  eps: number;
  elementwise_affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  /**
   * Python's LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True, device=None, dtype=None);
   * 2.x's LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True, bias=True, device=None, dtype=None).
   * normalized_shape an int or a list of ints.
   */
  constructor(
    ...args: PyArgs<
      [normalized_shape: number | number[]],
      [eps: number, elementwise_affine: boolean, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']],
      LayerNormOptions & { normalized_shape: number | number[] }
    >
  );
  constructor(...args: unknown[]) {
    const a = layerNormArgs(args);
    super();
    const shape = a.normalized_shape;
    if (typeof shape === 'number' && Number.isInteger(shape)) this.normalized_shape = [shape];
    else if (Array.isArray(shape) && shape.every((d) => typeof d === 'number' && Number.isInteger(d))) this.normalized_shape = [...shape];
    else throw new TypeError(`LayerNorm(): argument 'normalized_shape' must be an int or a list of ints, not ${JSON.stringify(shape)}`);
    this.normalized_shape.forEach((d) => checkSize('LayerNorm', 'normalized_shape', d));
    this.eps = a.eps;
    this.elementwise_affine = a.elementwise_affine;
    const factory = { device: a.device, dtype: a.dtype };
    this.weight = a.elementwise_affine ? new Parameter(empty(this.normalized_shape, factory)) : null;
    // a.bias is undefined in 1.13's signature: a bias whenever elementwise_affine.
    this.bias = a.elementwise_affine && a.bias !== false ? new Parameter(empty(this.normalized_shape, factory)) : null;
    this.reset_parameters();
  }

  reset_parameters(): void {
    if (this.elementwise_affine) {
      init.ones_(this.weight!);
      if (this.bias !== null) init.zeros_(this.bias);
    }
  }

  override forward(input: Tensor): Tensor {
    try {
      return layerNormOp(input, this.normalized_shape, this.weight, this.bias, this.eps, true);
    } catch (err) {
      throw moduleError(this, input, err);
    }
  }

  override extra_repr(): string {
    // Python keeps normalized_shape as a tuple: (10,), (2, 3).
    const shape = this.normalized_shape.length === 1 ? `(${this.normalized_shape[0]},)` : `(${this.normalized_shape.join(', ')})`;
    // 2.14 prints whether there is a bias (2.1 added the option, unprinted).
    const bias = NORMS_TAKE_BIAS ? `, bias=${pyBool(this.bias !== null)}` : '';
    return `${shape}, eps=${pyFloatRepr(this.eps)}, elementwise_affine=${pyBool(this.elementwise_affine)}${bias}`;
  }
}

export interface GroupNormOptions extends FactoryKwargs {
  eps?: number;
  affine?: boolean;
  /** PyTorch 2.14 (keyword only): whether affine has an additive bias. */
  bias?: boolean;
}

const groupNormArgs = def_<Required<GroupNormOptions> & { num_groups: number; num_channels: number }>(
  `GroupNorm(int num_groups, int num_channels, float eps=1e-05, bool affine=True, Device? device=None, dtype? dtype=None${NORM_BIAS_PARAM})`,
);

/**
 * y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias, the mean and variance
 * taken over each of num_groups groups of num_channels / num_groups channels
 * (and all their spatial positions) of each sample. Input: (N, C, *), C =
 * num_channels; output: the same shape. weight and bias: (C), ones and zeros.
 */
export class GroupNorm extends Module {
  num_groups: number;
  num_channels: number;
  eps: number;
  affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  /** Python's GroupNorm(num_groups, num_channels, eps=1e-05, affine=True, device=None, dtype=None). */
  constructor(
    ...args: PyArgs<
      [num_groups: number, num_channels: number],
      [eps: number, affine: boolean, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']],
      GroupNormOptions & { num_groups: number; num_channels: number }
    >
  );
  constructor(...args: unknown[]) {
    const a = groupNormArgs(args);
    super();
    if (a.num_groups <= 0) throw new RangeError(`GroupNorm(): num_groups must be a positive integer, got ${a.num_groups}`);
    checkSize('GroupNorm', 'num_channels', a.num_channels);
    if (a.num_channels % a.num_groups !== 0) {
      throw new RangeError(
        NORMS_TAKE_BIAS
          ? `num_channels (${a.num_channels}) must be divisible by num_groups (${a.num_groups})`
          : `num_channels must be divisible by num_groups (num_channels=${a.num_channels}, num_groups=${a.num_groups})`,
      );
    }
    this.num_groups = a.num_groups;
    this.num_channels = a.num_channels;
    this.eps = a.eps;
    this.affine = a.affine;
    const factory = { device: a.device, dtype: a.dtype };
    this.weight = a.affine ? new Parameter(empty([a.num_channels], factory)) : null;
    this.bias = a.affine && a.bias !== false ? new Parameter(empty([a.num_channels], factory)) : null;
    this.reset_parameters();
  }

  reset_parameters(): void {
    if (this.affine) {
      init.ones_(this.weight!);
      if (this.bias !== null) init.zeros_(this.bias);
    }
  }

  override forward(input: Tensor): Tensor {
    if (input.ndim < 2 || input.shape[1] !== this.num_channels) {
      throw new RangeError(`${this.toString()} expects an input (N, ${this.num_channels}, *), got shape [${[...input.shape].join(', ')}]`);
    }
    return _group_norm(input, this.num_groups, this.weight, this.bias, this.eps);
  }

  override extra_repr(): string {
    const bias = NORMS_TAKE_BIAS ? `, bias=${pyBool(this.bias !== null)}` : '';
    return `${this.num_groups}, ${this.num_channels}, eps=${pyFloatRepr(this.eps)}, affine=${pyBool(this.affine)}${bias}`;
  }
}

interface LrnKwargs {
  size: number;
  alpha?: number;
  beta?: number;
  k?: number;
}

/** alpha, beta and k print as Python prints the floats. */
function lrnRepr(m: { size: number; alpha: number; beta: number; k: number }): string {
  return `${m.size}, alpha=${pyFloatRepr(m.alpha)}, beta=${pyFloatRepr(m.beta)}, k=${pyFloatRepr(m.k)}`;
}

const lrnArgs = def_<Required<LrnKwargs>>('LocalResponseNorm(int size, float alpha=0.0001, float beta=0.75, float k=1.0)');

/**
 * b_c = a_c (k + alpha/n sum_{c'} a_{c'}^2)^(-beta), the sum over the n = size
 * channels around c. Input: (N, C, *); output: the same shape.
 */
export class LocalResponseNorm extends Module {
  size: number;
  alpha: number;
  beta: number;
  k: number;

  /** Python's LocalResponseNorm(size, alpha=0.0001, beta=0.75, k=1.0). */
  constructor(...args: PyArgs<[size: number], [alpha: number, beta: number, k: number], LrnKwargs>);
  constructor(...args: unknown[]) {
    const a = lrnArgs(args);
    super();
    if (a.size <= 0) throw new RangeError(`LocalResponseNorm(): size must be a positive integer, got ${a.size}`);
    this.size = a.size;
    this.alpha = a.alpha;
    this.beta = a.beta;
    this.k = a.k;
  }

  override forward(input: Tensor): Tensor {
    return _local_response_norm(input, this.size, this.alpha, this.beta, this.k);
  }

  override extra_repr(): string {
    return lrnRepr(this);
  }
}

const crossMapArgs = def_<Required<LrnKwargs>>('CrossMapLRN2d(int size, float alpha=0.0001, float beta=0.75, float k=1)');

const X = {
  mul: aten('mul', 'Tensor'),
  mul_scalar: aten('mul', 'Scalar'),
  add: aten('add', 'Tensor'),
  sub: aten('sub', 'Tensor'),
  add_scalar: aten('add', 'Scalar'),
  pow: aten('pow', 'Tensor_Scalar'),
  div: aten('div', 'Tensor'),
  select: aten('select', 'int'),
  stack: aten('stack', ''),
  zeros_like: aten('zeros_like', ''),
  detach: aten('detach', ''),
  unsqueeze: aten('unsqueeze', ''),
  squeeze: aten('squeeze', 'dim'),
  pad: aten('pad', ''),
  avg_pool3d: aten('avg_pool3d', ''),
};

/**
 * Lua Torch's SpatialCrossMapLRN over (N, C, H, W): out = x * scale^(-beta),
 * scale = k + alpha/size * (a running sum of x^2 over neighbouring channels).
 * Kept for models ported from Lua Torch; LocalResponseNorm is the same idea
 * with a centred window. Python computes it with a hand-written autograd
 * Function whose running sum, channel by channel, never drops the first
 * channels for sizes above 1, and whose backward sums a window of its own
 * (channels c - p to c + size - 1 - p, p = int(size - (size - 1) / 2)); both are
 * reproduced here, so values and gradients are Python's.
 */
export class CrossMapLRN2d extends Module {
  size: number;
  alpha: number;
  beta: number;
  k: number;

  /** Python's CrossMapLRN2d(size, alpha=0.0001, beta=0.75, k=1). */
  constructor(...args: PyArgs<[size: number], [alpha: number, beta: number, k: number], LrnKwargs>);
  constructor(...args: unknown[]) {
    const a = crossMapArgs(args);
    super();
    if (a.size <= 0) throw new RangeError(`CrossMapLRN2d(): size must be a positive integer, got ${a.size}`);
    this.size = a.size;
    this.alpha = a.alpha;
    this.beta = a.beta;
    this.k = a.k;
  }

  /** Python's forward: scale, channel by channel, in its order of additions. */
  private scale(input: Tensor): Tensor {
    const channels = input.shape[1];
    const squares: Tensor = X.mul(input, input);
    const sq = (c: number): Tensor => X.select(squares, 1, c);
    const prePad = Math.trunc((this.size - 1) / 2 + 1);
    const prePadCrop = Math.min(prePad, channels);
    let current: Tensor = X.zeros_like(sq(0), null, null, null, null, null);
    for (let c = 0; c < prePadCrop; c++) current = X.add(current, sq(c), 1);
    const scales = [current];
    for (let c = 1; c < channels; c++) {
      if (c < channels - prePad + 1) current = X.add(current, sq(c + prePad - 1), 1);
      if (c > prePad) current = X.add(current, sq(c - prePad), -1);
      scales.push(current);
    }
    return X.add_scalar(X.mul_scalar(X.stack(scales, 1), this.alpha / this.size), this.k, 1);
  }

  override forward(input: Tensor): Tensor {
    if (input.ndim !== 4) throw new RangeError(`CrossMapLRN2d: expected a 4D input (N, C, H, W), got ${input.ndim}D input`);
    const [scale, output] = no_grad(() => {
      const sc = this.scale(input);
      return [sc, X.mul(X.pow(sc, -this.beta), input)] as [Tensor, Tensor];
    });
    if (!input.requires_grad) return output;
    // Python's backward reads outside its buffer for size 1 and fails; say so before a graph is built.
    if (this.size === 1) throw new RangeError('CrossMapLRN2d: size=1 has no gradient in PyTorch (its backward fails); use LocalResponseNorm(1) or an input that does not require grad');
    // A surrogate whose value is dropped and whose gradient is Python's backward:
    // scale^(-beta) * g - 2 alpha beta / size * x * (window sum of g * output / scale).
    const p = Math.trunc(this.size - (this.size - 1) / 2);
    const ratio = X.div(output, scale);
    // The window's transpose: channel c' collects x^2 over c' - (size - 1 - p) .. c' + p.
    let sq: Tensor = X.unsqueeze(X.mul(input, input), 1);
    sq = X.pad(sq, [0, 0, 0, 0, this.size - 1 - p, p], 'constant', null);
    const windowed = X.mul_scalar(X.squeeze(X.avg_pool3d(sq, [this.size, 1, 1], [1, 1, 1], [0, 0, 0], false, true, null), 1), this.size);
    const surrogate = X.sub(X.mul(input, X.pow(scale, -this.beta)), X.mul_scalar(X.mul(ratio, windowed), (this.alpha * this.beta) / this.size), 1);
    return X.add(output, X.sub(surrogate, X.detach(surrogate), 1), 1);
  }

  override extra_repr(): string {
    // Python's k defaults to the int 1, and prints as given.
    const k = Number.isInteger(this.k) ? String(this.k) : pyFloatRepr(this.k);
    return `${this.size}, alpha=${pyFloatRepr(this.alpha)}, beta=${pyFloatRepr(this.beta)}, k=${k}`;
  }
}
