// optim.Adam and optim.AdamW, after torch/optim/adam.py and adamw.py
// (_single_tensor_adam(w), PyTorch 1.13's default path), in their op order.
// The bias corrections use the C library's pow, as Python's ** does.
import { _C } from '../_C';
import { float32 } from '../dtype';
import { tensor, zeros_like } from '../factories';
import { native } from '../native';
import type { Tensor } from '../tensor';
import { Optimizer, checkHyper, type ParamGroup, type ParamsInput } from './optimizer';

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weight_decay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

function checkAdam(lr: number, betas: [number, number], eps: number, weight_decay: number): void {
  checkHyper(typeof lr === 'number' && lr >= 0, `Invalid learning rate: ${lr}`);
  checkHyper(eps >= 0, `Invalid epsilon value: ${eps}`);
  if (!Array.isArray(betas) || betas.length !== 2) throw new TypeError('betas must be a pair of numbers');
  checkHyper(betas[0] >= 0 && betas[0] < 1, `Invalid beta parameter at index 0: ${betas[0]}`);
  checkHyper(betas[1] >= 0 && betas[1] < 1, `Invalid beta parameter at index 1: ${betas[1]}`);
  checkHyper(weight_decay >= 0, `Invalid weight_decay value: ${weight_decay}`);
}

/** The update Adam and AdamW share; they differ in how weight decay enters. */
abstract class AdamFamily extends Optimizer {
  /** AdamW decays the weights directly instead of adding to the gradient. */
  protected abstract get decoupledWeightDecay(): boolean;

  protected updateGroup(group: ParamGroup): void {
    const { lr, eps, weight_decay, amsgrad, maximize } = group;
    const [beta1, beta2] = group.betas as [number, number];
    for (const param of group.params) {
      const g = param.grad;
      if (g === null) continue;
      let grad: Tensor = maximize ? g.neg() : g;
      const state = this.stateOf(param);
      if (state.step === undefined) {
        state.step = tensor(0.0, { dtype: float32 });
        state.exp_avg = zeros_like(param);
        state.exp_avg_sq = zeros_like(param);
        if (amsgrad) state.max_exp_avg_sq = zeros_like(param);
      }
      const exp_avg: Tensor = state.exp_avg;
      const exp_avg_sq: Tensor = state.exp_avg_sq;
      const step_t: Tensor = state.step;
      step_t.add_(1);
      if (this.decoupledWeightDecay) param.mul_(1 - lr * weight_decay);
      else if (weight_decay !== 0) grad = grad.add(param, { alpha: weight_decay });
      exp_avg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      exp_avg_sq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
      const step = step_t.item() as number;
      const bias_correction1 = 1 - native.libmPow(beta1, step);
      const bias_correction2 = 1 - native.libmPow(beta2, step);
      const step_size = lr / bias_correction1;
      const bias_correction2_sqrt = Math.sqrt(bias_correction2);
      let denom: Tensor;
      if (amsgrad) {
        const max_sq: Tensor = state.max_exp_avg_sq;
        _C.maximum_out(max_sq, exp_avg_sq, max_sq);
        denom = max_sq.sqrt().div(bias_correction2_sqrt).add_(eps);
      } else {
        denom = exp_avg_sq.sqrt().div(bias_correction2_sqrt).add_(eps);
      }
      param.addcdiv_(exp_avg, denom, { value: -step_size });
    }
  }
}

/** Adam: moment estimates m, v with bias correction; L2 weight decay folded into the gradient. */
export class Adam extends AdamFamily {
  protected get decoupledWeightDecay(): boolean {
    return false;
  }

  constructor(params: ParamsInput, { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weight_decay = 0, amsgrad = false, maximize = false }: AdamOptions = {}) {
    checkAdam(lr, betas, eps, weight_decay);
    super(params, { lr, betas, eps, weight_decay, amsgrad, maximize, foreach: null, capturable: false, differentiable: false, fused: false });
  }
}

/** AdamW: Adam with decoupled weight decay (p = p * (1 - lr * wd) before the update). */
export class AdamW extends AdamFamily {
  protected get decoupledWeightDecay(): boolean {
    return true;
  }

  constructor(params: ParamsInput, { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weight_decay = 1e-2, amsgrad = false, maximize = false }: AdamOptions = {}) {
    checkAdam(lr, betas, eps, weight_decay);
    // Python's AdamW keeps fewer defaults than Adam (no differentiable, no fused).
    super(params, { lr, betas, eps, weight_decay, amsgrad, foreach: null, maximize, capturable: false });
  }
}
