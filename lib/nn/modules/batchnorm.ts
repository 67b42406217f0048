// nn.BatchNorm1d, BatchNorm2d and BatchNorm3d, and _NormBase, the running
// statistics they share with the instance norms, after torch/nn/modules/batchnorm.py.
import { libtorchAtLeast } from '../../_libtorch_version';
import { pyFloatRepr } from '../../_pyformat';
import { int64 } from '../../dtype';
import { empty, ones, tensor, zeros } from '../../factories';
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import * as init from '../init';
import { Parameter } from '../parameter';
import { Module } from './module';
import { checkSize, def_, pyBool, type FactoryKwargs, type PyArgs } from './utils';

export interface BatchNormOptions extends FactoryKwargs {
  eps?: number;
  momentum?: number | null;
  affine?: boolean;
  track_running_stats?: boolean;
  /** PyTorch 2.14 (keyword only): whether affine has an additive bias. */
  bias?: boolean;
}

/**
 * Whether the batch, instance and group norms take 2.14's keyword-only bias
 * (affine with weight alone when false) and print it. Measured on 2.14 and
 * absent from 2.6; the versions between follow 2.6 here.
 */
export const NORMS_TAKE_BIAS = libtorchAtLeast(2, 14);

/** The tail of a norm's Python signature: 2.14's keyword-only bias. */
export const NORM_BIAS_PARAM = NORMS_TAKE_BIAS ? ', *, bool bias=True' : '';

export type NormKwargs = Required<BatchNormOptions> & { num_features: number };

/** Python's _NormBase(num_features, eps, momentum, affine, track_running_stats, device, dtype). */
export type NormArgs = PyArgs<
  [num_features: number],
  [eps: number, momentum: number | null, affine: boolean, track_running_stats: boolean, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']],
  BatchNormOptions & { num_features: number }
>;

/**
 * What batch and instance norms share: weight and bias (C) with affine,
 * initialised to ones and zeros; the buffers running_mean (zeros),
 * running_var (ones) and num_batches_tracked (an int64 0) with
 * track_running_stats, registered as None without it, as Python's state_dict has them.
 */
export abstract class _NormBase extends Module {
  num_features: number;
  eps: number;
  momentum: number | null;
  affine: boolean;
  track_running_stats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;

  protected constructor(name: string, a: NormKwargs) {
    super();
    this.num_features = checkSize(name, 'num_features', a.num_features);
    this.eps = a.eps;
    this.momentum = a.momentum;
    this.affine = a.affine;
    this.track_running_stats = a.track_running_stats;
    const factory = { device: a.device, dtype: a.dtype };
    this.weight = a.affine ? new Parameter(empty([a.num_features], factory)) : null;
    // (a.bias is undefined before 2.14: a bias whenever affine.)
    this.bias = a.affine && a.bias !== false ? new Parameter(empty([a.num_features], factory)) : null;
    if (a.track_running_stats) {
      this.register_buffer('running_mean', zeros([a.num_features], factory));
      this.register_buffer('running_var', ones([a.num_features], factory));
      this.register_buffer('num_batches_tracked', tensor(0, { dtype: int64, device: a.device }));
    } else {
      this.register_buffer('running_mean', null);
      this.register_buffer('running_var', null);
      this.register_buffer('num_batches_tracked', null);
    }
    this.reset_parameters();
  }

  reset_running_stats(): void {
    if (!this.track_running_stats) return;
    this.running_mean!.zero_();
    this.running_var!.fill_(1);
    this.num_batches_tracked!.zero_();
  }

  reset_parameters(): void {
    this.reset_running_stats();
    if (this.affine) {
      init.ones_(this.weight!);
      if (this.bias !== null) init.zeros_(this.bias);
    }
  }

  override extra_repr(): string {
    const momentum = this.momentum === null ? 'None' : pyFloatRepr(this.momentum);
    const bias = NORMS_TAKE_BIAS ? `bias=${pyBool(this.bias !== null)}, ` : '';
    return `${this.num_features}, eps=${pyFloatRepr(this.eps)}, momentum=${momentum}, affine=${pyBool(this.affine)}, ${bias}track_running_stats=${pyBool(this.track_running_stats)}`;
  }
}

/**
 * y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias per channel, E and Var
 * over the batch and spatial dimensions in training (the running statistics
 * updated: running = (1 - momentum) running + momentum batch, the variance
 * unbiased; momentum None: the cumulative average), the running statistics in
 * eval (or the batch's, without track_running_stats).
 */
abstract class _BatchNorm extends _NormBase {
  protected abstract checkInputDim(input: Tensor): void;

  override forward(input: Tensor): Tensor {
    this.checkInputDim(input);
    if (input.shape[1] !== this.num_features) {
      throw new RangeError(`${this._get_name()}: expected an input with ${this.num_features} channels (dimension 1), got shape [${[...input.shape].join(', ')}]`);
    }
    let factor = this.momentum ?? 0.0;
    if (this.training && this.track_running_stats && this.num_batches_tracked !== null) {
      this.num_batches_tracked.add_(1);
      factor = this.momentum === null ? 1.0 / Number(this.num_batches_tracked.item()) : this.momentum;
    }
    const bnTraining = this.training ? true : this.running_mean === null && this.running_var === null;
    const useStats = !this.training || this.track_running_stats;
    return F._batch_norm(input, useStats ? this.running_mean : null, useStats ? this.running_var : null, {
      weight: this.weight,
      bias: this.bias,
      training: bnTraining,
      momentum: factor,
      eps: this.eps,
    });
  }
}

const normSignature = (name: string) =>
  `${name}(int num_features, float eps=1e-05, float? momentum=0.1, bool affine=True, bool track_running_stats=True, Device? device=None, dtype? dtype=None${NORM_BIAS_PARAM})`;
const batchNorm1dArgs = def_<NormKwargs>(normSignature('BatchNorm1d'));
const batchNorm2dArgs = def_<NormKwargs>(normSignature('BatchNorm2d'));
const batchNorm3dArgs = def_<NormKwargs>(normSignature('BatchNorm3d'));

function dimError(name: string, expected: string, input: Tensor): RangeError {
  return new RangeError(`${name}: expected ${expected} input (got ${input.ndim}D input)`);
}

/** Batch norm over (N, C) or (N, C, L), per channel C = num_features. */
export class BatchNorm1d extends _BatchNorm {
  /** Python's BatchNorm1d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None). */
  constructor(...args: NormArgs);
  constructor(...args: unknown[]) {
    super('BatchNorm1d', batchNorm1dArgs(args));
  }

  protected checkInputDim(input: Tensor): void {
    if (input.ndim !== 2 && input.ndim !== 3) throw dimError('BatchNorm1d', '2D or 3D', input);
  }
}

/** Batch norm over (N, C, H, W), per channel C = num_features. */
export class BatchNorm2d extends _BatchNorm {
  /** Python's BatchNorm2d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None). */
  constructor(...args: NormArgs);
  constructor(...args: unknown[]) {
    super('BatchNorm2d', batchNorm2dArgs(args));
  }

  protected checkInputDim(input: Tensor): void {
    if (input.ndim !== 4) throw dimError('BatchNorm2d', '4D', input);
  }
}

/** Batch norm over (N, C, D, H, W), per channel C = num_features. */
export class BatchNorm3d extends _BatchNorm {
  /** Python's BatchNorm3d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None). */
  constructor(...args: NormArgs);
  constructor(...args: unknown[]) {
    super('BatchNorm3d', batchNorm3dArgs(args));
  }

  protected checkInputDim(input: Tensor): void {
    if (input.ndim !== 5) throw dimError('BatchNorm3d', '5D', input);
  }
}
