// nn.BatchNorm1d, after torch/nn/modules/batchnorm.py.
import { checkOptions } from '../../_options';
import { pyFloatRepr } from '../../_pyformat';
import { int64 } from '../../dtype';
import { empty, ones, tensor, zeros } from '../../factories';
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import * as init from '../init';
import { Parameter } from '../parameter';
import { Module } from './module';

export interface BatchNormOptions {
  eps?: number;
  momentum?: number | null;
  affine?: boolean;
  track_running_stats?: boolean;
}

/**
 * y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias, over the batch
 * (and length) for each of num_features channels. Input: (N, C) or (N, C, L).
 */
export class BatchNorm1d extends Module {
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

  constructor(num_features: number, options: BatchNormOptions = {}) {
    checkOptions(new.target.name, options, { eps: 'float', momentum: 'float?', affine: 'bool', track_running_stats: 'bool' });
    const { eps = 1e-5, momentum = 0.1, affine = true, track_running_stats = true } = options;
    super();
    if (!Number.isInteger(num_features) || num_features < 0) throw new TypeError(`BatchNorm1d: num_features must be a non-negative integer, got ${typeof num_features === 'number' ? num_features : typeof num_features}`);
    this.num_features = num_features;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.track_running_stats = track_running_stats;
    this.weight = affine ? new Parameter(empty([num_features])) : null;
    this.bias = affine ? new Parameter(empty([num_features])) : null;
    if (track_running_stats) {
      this.register_buffer('running_mean', zeros(num_features));
      this.register_buffer('running_var', ones(num_features));
      this.register_buffer('num_batches_tracked', tensor(0, { dtype: int64 }));
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
      init.zeros_(this.bias!);
    }
  }

  override forward(input: Tensor): Tensor {
    if (input.ndim !== 2 && input.ndim !== 3) throw new RangeError(`expected 2D or 3D input (got ${input.ndim}D input)`);
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

  override extra_repr(): string {
    const momentum = this.momentum === null ? 'None' : pyFloatRepr(this.momentum);
    const flag = (b: boolean) => (b ? 'True' : 'False');
    return `${this.num_features}, eps=${pyFloatRepr(this.eps)}, momentum=${momentum}, affine=${flag(this.affine)}, track_running_stats=${flag(this.track_running_stats)}`;
  }
}
