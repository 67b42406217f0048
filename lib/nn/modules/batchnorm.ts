// nn.BatchNorm1d, after torch/nn/modules/batchnorm.py.
import { pyFloatRepr } from '../../_pyformat';
import { int64 } from '../../dtype';
import { empty, ones, tensor, zeros } from '../../factories';
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import * as init from '../init';
import { Parameter } from '../parameter';
import { Module } from './module';
import { checkSize, def_, type FactoryKwargs, type PyArgs } from './utils';

export interface BatchNormOptions extends FactoryKwargs {
  eps?: number;
  momentum?: number | null;
  affine?: boolean;
  track_running_stats?: boolean;
}

const batchNorm1dArgs = def_<Required<BatchNormOptions> & { num_features: number }>(
  'BatchNorm1d(int num_features, float eps=1e-05, float? momentum=0.1, bool affine=True, bool track_running_stats=True, Device? device=None, dtype? dtype=None)',
);

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

  /** Python's BatchNorm1d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None). */
  constructor(
    ...args: PyArgs<
      [num_features: number],
      [eps: number, momentum: number | null, affine: boolean, track_running_stats: boolean, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']],
      BatchNormOptions & { num_features: number }
    >
  );
  constructor(...args: unknown[]) {
    const { num_features, eps, momentum, affine, track_running_stats, device, dtype } = batchNorm1dArgs(args);
    super();
    this.num_features = checkSize('BatchNorm1d', 'num_features', num_features);
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.track_running_stats = track_running_stats;
    const factory = { device, dtype };
    this.weight = affine ? new Parameter(empty([num_features], factory)) : null;
    this.bias = affine ? new Parameter(empty([num_features], factory)) : null;
    if (track_running_stats) {
      this.register_buffer('running_mean', zeros([num_features], factory));
      this.register_buffer('running_var', ones([num_features], factory));
      this.register_buffer('num_batches_tracked', tensor(0, { dtype: int64, device }));
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
