// nn.InstanceNorm1d, InstanceNorm2d and InstanceNorm3d, after
// torch/nn/modules/instancenorm.py.
import type { Tensor } from '../../tensor';
import { _instance_norm } from '../_functional/normalization';
import { _NormBase, NORM_BIAS_PARAM, type NormArgs, type NormKwargs } from './batchnorm';
import { def_ } from './utils';

// Python's _InstanceNorm takes momentum as a float (F.instance_norm cannot take
// None), and defaults affine and track_running_stats to False.
const signature = (name: string) =>
  `${name}(int num_features, float eps=1e-05, float momentum=0.1, bool affine=False, bool track_running_stats=False, Device? device=None, dtype? dtype=None${NORM_BIAS_PARAM})`;
const instanceNorm1dArgs = def_<NormKwargs>(signature('InstanceNorm1d'));
const instanceNorm2dArgs = def_<NormKwargs>(signature('InstanceNorm2d'));
const instanceNorm3dArgs = def_<NormKwargs>(signature('InstanceNorm3d'));

/**
 * y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias, E and Var over the
 * spatial dimensions of each channel of each sample. With
 * track_running_stats, training also updates running_mean and running_var
 * (averaged over the batch), and eval normalises by them instead.
 */
abstract class _InstanceNorm extends _NormBase {
  /** The number of dimensions of an unbatched input: (C, *). */
  protected abstract readonly noBatchDim: number;

  protected constructor(name: string, a: NormKwargs) {
    super(name, a);
  }

  override forward(input: Tensor): Tensor {
    const d = this.noBatchDim;
    if (input.ndim !== d && input.ndim !== d + 1) {
      throw new RangeError(`${this._get_name()}: expected ${d}D or ${d + 1}D input (got ${input.ndim}D input)`);
    }
    const featureDim = input.ndim - d;
    if (input.shape[featureDim] !== this.num_features) {
      if (this.affine) {
        throw new RangeError(
          `${this._get_name()}: expected input's size at dim=${featureDim} to match num_features (${this.num_features}), but got: ${input.shape[featureDim]}.`,
        );
      }
      // Python only warns: without affine or running statistics num_features is not used.
      if (this.track_running_stats) {
        throw new RangeError(`${this._get_name()}: expected input's size at dim=${featureDim} to match num_features (${this.num_features}) of its running statistics, but got: ${input.shape[featureDim]}.`);
      }
      process.emitWarning(
        `input's size at dim=${featureDim} does not match num_features. You can silence this warning by not passing in num_features, which is not used because affine=False`,
        'UserWarning',
      );
    }
    if (input.ndim === d) return this._apply_instance_norm(input.unsqueeze(0)).squeeze(0);
    return this._apply_instance_norm(input);
  }

  private _apply_instance_norm(input: Tensor): Tensor {
    return _instance_norm(input, {
      running_mean: this.running_mean,
      running_var: this.running_var,
      weight: this.weight,
      bias: this.bias,
      use_input_stats: this.training || !this.track_running_stats,
      momentum: this.momentum ?? 0.1,
      eps: this.eps,
    });
  }
}

/** Instance norm over (N, C, L) or (C, L). */
export class InstanceNorm1d extends _InstanceNorm {
  protected readonly noBatchDim = 2;
  /** Python's InstanceNorm1d(num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False, device=None, dtype=None). */
  constructor(...args: NormArgs);
  constructor(...args: unknown[]) {
    super('InstanceNorm1d', instanceNorm1dArgs(args));
  }
}

/** Instance norm over (N, C, H, W) or (C, H, W). */
export class InstanceNorm2d extends _InstanceNorm {
  protected readonly noBatchDim = 3;
  /** Python's InstanceNorm2d(num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False, device=None, dtype=None). */
  constructor(...args: NormArgs);
  constructor(...args: unknown[]) {
    super('InstanceNorm2d', instanceNorm2dArgs(args));
  }
}

/** Instance norm over (N, C, D, H, W) or (C, D, H, W). */
export class InstanceNorm3d extends _InstanceNorm {
  protected readonly noBatchDim = 4;
  /** Python's InstanceNorm3d(num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False, device=None, dtype=None). */
  constructor(...args: NormArgs);
  constructor(...args: unknown[]) {
    super('InstanceNorm3d', instanceNorm3dArgs(args));
  }
}
