// optim.RMSprop, after torch/optim/rmsprop.py (_single_tensor_rmsprop, the
// path PyTorch takes on the CPU), op for op with the hyperparameters as
// number operands, of the PyTorch whose libtorch is loaded: 2.x moves the
// centered mean of the gradient by lerp_(grad, 1 - alpha) (1.13: mul_ then
// add_, which differ in the last bits), keeps the step count as a tensor, and
// takes capturable (positional, before foreach).
import { PYTHON_DEF, PythonArgParser } from '../_arg_parser';
import type { PyArgs } from '../nn/modules/utils';
import { tensor, zeros_like } from '../factories';
import { keep } from '../scope';
import { libtorchAtLeast } from '../_libtorch_version';
import type { Tensor } from '../tensor';
import { Optimizer, _get_scalar_dtype, checkHyper, refuseSparseGrad, unsupported, viewAsReal, type ParamGroup, type ParamsInput } from './optimizer';

export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weight_decay?: number;
  momentum?: number;
  centered?: boolean;
  /** Accepted as Python's hint; the numbers are the single-tensor algorithm's either way. */
  foreach?: boolean | null;
  maximize?: boolean;
  differentiable?: boolean;
  /** PyTorch 2 only: for CUDA graphs, which torchts does not capture. */
  capturable?: boolean;
}

/**
 * After centered: 1.13's foreach, maximize, differentiable; 2.x's
 * capturable, foreach, maximize, differentiable (all positional in both).
 */
type RMSpropPositionals =
  | [lr: number, alpha: number, eps: number, weight_decay: number, momentum: number, centered: boolean, foreach: boolean | null, maximize: boolean, differentiable: boolean]
  | [lr: number, alpha: number, eps: number, weight_decay: number, momentum: number, centered: boolean, capturable: boolean, foreach: boolean | null, maximize: boolean, differentiable: boolean];

/** PyTorch 2's _single_tensor_rmsprop: the centered mean by lerp_, the step a tensor; capturable among the hyperparameters. */
const TORCH2_ALGORITHM = libtorchAtLeast(2);

const RMSPROP_SIGNATURE = `float lr=1e-2, float alpha=0.99, float eps=1e-8, float weight_decay=0, float momentum=0, bool centered=False, ${
  TORCH2_ALGORITHM ? 'bool capturable=False, ' : ''
}bool? foreach=None, bool maximize=False, bool differentiable=False`;
const rmspropArgs = new PythonArgParser([`RMSprop(Any params, ${RMSPROP_SIGNATURE})`], PYTHON_DEF);

/**
 * RMSprop (Hinton's lecture 6e): divides the gradient by a running root mean
 * square of recent gradients.
 *
 *     v = alpha * v + (1 - alpha) * g^2
 *     centered: m = alpha * m + (1 - alpha) * g;  denom = sqrt(v - m^2) + eps
 *     else:     denom = sqrt(v) + eps
 *     momentum > 0: b = momentum * b + g / denom;  p = p - lr * b
 *     else:         p = p - lr * g / denom
 *
 * with g = -grad under maximize, plus weight_decay * p (L2) when set.
 * State per parameter: step (an int in 1.13, a 0-dim tensor in 2.x),
 * square_avg, and momentum_buffer / grad_avg when momentum / centered ask for
 * them.
 */
export class RMSprop extends Optimizer {
  /** Python's RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False, foreach=None, maximize=False, differentiable=False) (2.x: capturable=False after centered). */
  constructor(params: ParamsInput, ...args: PyArgs<[], RMSpropPositionals, RMSpropOptions>);
  constructor(...args: unknown[]) {
    const o = rmspropArgs.parseNamed(args) as unknown as Required<RMSpropOptions> & { params: ParamsInput };
    const { lr, alpha, eps, weight_decay, momentum, centered, capturable, foreach, maximize, differentiable } = o;
    checkHyper(lr >= 0, `Invalid learning rate: ${lr}`);
    checkHyper(eps >= 0, `Invalid epsilon value: ${eps}`);
    checkHyper(momentum >= 0, `Invalid momentum value: ${momentum}`);
    checkHyper(weight_decay >= 0, `Invalid weight_decay value: ${weight_decay}`);
    checkHyper(alpha >= 0, `Invalid alpha value: ${alpha}`);
    unsupported('RMSprop', 'differentiable', differentiable, 'torchts steps optimizers under no_grad');
    unsupported('RMSprop', 'capturable', capturable, 'it is for CUDA graphs, which torchts does not capture');
    const defaults = TORCH2_ALGORITHM
      ? { lr, momentum, alpha, eps, centered, weight_decay, capturable, foreach, maximize, differentiable }
      : { lr, momentum, alpha, eps, centered, weight_decay, foreach, maximize, differentiable };
    super(o.params, defaults, RMSPROP_SIGNATURE);
  }

  /** What a state_dict saved by an older PyTorch lacks, filled in as Python's __setstate__ does. */
  protected override __setstate__(): void {
    if (TORCH2_ALGORITHM) {
      this.setGroupDefaults({ momentum: 0, centered: false, foreach: null, maximize: false, differentiable: false, capturable: false });
      this.tensorizeEachState('step');
    } else {
      this.setGroupDefaults({ momentum: 0, centered: false, foreach: null, maximize: false, differentiable: false });
    }
  }

  protected updateGroup(group: ParamGroup): void {
    const { lr, alpha, eps, weight_decay, momentum, centered, maximize } = group;
    // Python gathers (and checks) every gradient before it updates any parameter.
    const stepped: Tensor[] = [];
    for (const param of group.params) {
      const grad = param.grad;
      if (grad === null) continue;
      refuseSparseGrad('RMSprop', grad);
      const state = this.stateOf(param);
      if (Object.keys(state).length === 0) {
        // State outlives the step even when the step runs in torch.scope().
        state.step = TORCH2_ALGORITHM ? keep(tensor(0.0, { dtype: _get_scalar_dtype() })) : 0;
        state.square_avg = keep(zeros_like(param));
        if (momentum > 0) state.momentum_buffer = keep(zeros_like(param));
        if (centered) state.grad_avg = keep(zeros_like(param));
      }
      if (!TORCH2_ALGORITHM) state.step += 1;
      stepped.push(param);
    }
    for (const param of stepped) {
      const state = this.stateOf(param);
      if (TORCH2_ALGORITHM) (state.step as Tensor).add_(1);
      let grad = param.grad as Tensor;
      if (maximize) grad = grad.neg();
      if (weight_decay !== 0) grad = grad.add(param, { alpha: weight_decay });
      // A complex parameter is two real ones.
      grad = viewAsReal(grad);
      const p = viewAsReal(param);
      const square_avg = viewAsReal(state.square_avg);
      square_avg.mul_(alpha).addcmul_(grad, grad, { value: 1 - alpha });
      let avg: Tensor;
      if (centered) {
        const grad_avg = viewAsReal(state.grad_avg);
        if (TORCH2_ALGORITHM) grad_avg.lerp_(grad, 1 - alpha);
        else grad_avg.mul_(alpha).add_(grad, { alpha: 1 - alpha });
        avg = square_avg.addcmul(grad_avg, grad_avg, { value: -1 }).sqrt_();
      } else {
        avg = square_avg.sqrt();
      }
      avg = avg.add_(eps);
      if (momentum > 0) {
        const buf = viewAsReal(state.momentum_buffer);
        buf.mul_(momentum).addcdiv_(grad, avg);
        p.add_(buf, { alpha: -lr });
      } else {
        p.addcdiv_(grad, avg, { value: -lr });
      }
    }
  }
}
