// optim.RAdam, after torch/optim/radam.py (_single_tensor_radam, the path
// PyTorch takes on the CPU), op for op with the hyperparameters as number
// operands, of the PyTorch whose libtorch is loaded. 2.x changed the numbers:
// the first moment moves by lerp_(grad, 1 - beta1) (1.13: mul_ then add_),
// and the square roots of numbers are ** 0.5, the C library's pow (1.13:
// math.sqrt); and 2.x adds maximize, complex parameters (as two real ones)
// and decoupled weight decay. Powers use the C library's pow, as Python's **
// does.
import { PYTHON_DEF, PythonArgParser } from '../_arg_parser';
import type { PyArgs } from '../nn/modules/utils';
import { tensor, zeros_like } from '../factories';
import { native } from '../native';
import { keep } from '../scope';
import { libtorchAtLeast } from '../_libtorch_version';
import type { Tensor } from '../tensor';
import { Optimizer, _get_scalar_dtype, checkBetas, checkHyper, refuseSparseGrad, unsupported, viewAsReal, type ParamGroup, type ParamsInput } from './optimizer';

export interface RAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weight_decay?: number;
  /** PyTorch 2 only: AdamW's weight decay (p = p * (1 - lr * weight_decay)) instead of L2. */
  decoupled_weight_decay?: boolean;
  /** Accepted as Python's hint; the numbers are the single-tensor algorithm's either way. */
  foreach?: boolean | null;
  /** PyTorch 2 only. */
  maximize?: boolean;
  /** PyTorch 2 only: for CUDA graphs, which torchts does not capture. */
  capturable?: boolean;
  /** PyTorch 2 only: torchts steps optimizers under no_grad. */
  differentiable?: boolean;
}

/**
 * The fifth positional is foreach in 1.13 and decoupled_weight_decay in 2.x
 * (where foreach became keyword-only).
 */
type RAdamPositionals = [lr: number, betas: [number, number], eps: number, weight_decay: number, foreach_or_decoupled_weight_decay: boolean | null];

/** PyTorch 2's _single_tensor_radam: lerp_, ** 0.5, maximize, complex parameters, decoupled weight decay. */
const TORCH2_ALGORITHM = libtorchAtLeast(2);

const RADAM_HYPER = `float lr=1e-3, float[] betas=[0.9, 0.999], float eps=1e-8, float weight_decay=0, ${TORCH2_ALGORITHM ? 'bool decoupled_weight_decay=False' : 'bool? foreach=None'}`;
const RADAM_KEYWORD_ONLY = TORCH2_ALGORITHM ? 'bool? foreach=None, bool maximize=False, bool capturable=False, bool differentiable=False' : null;
const radamArgs = new PythonArgParser([`RAdam(Any params, ${RADAM_HYPER}${RADAM_KEYWORD_ONLY ? `, *, ${RADAM_KEYWORD_ONLY}` : ''})`], PYTHON_DEF);

/** x ** 0.5 of a number as the loaded PyTorch's radam.py writes it: pow in 2.x, math.sqrt in 1.13. */
const sqrtOf = (x: number): number => (TORCH2_ALGORITHM ? native.libmPow(x, 0.5) : Math.sqrt(x));

/**
 * RAdam (Liu et al., 2019): Adam whose adaptive step is switched on only once
 * the variance of the adaptive learning rate is tractable, and rectified.
 *
 *     m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g^2
 *     rho_inf = 2 / (1 - beta2) - 1;  rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
 *     rho_t > 5: r = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
 *                p = p - lr * m / (1 - beta1^t) * sqrt(1 - beta2^t) / (sqrt(v) + eps) * r
 *     else:      p = p - lr * m / (1 - beta1^t)
 *
 * with g = grad + weight_decay * p when weight_decay is set (2.x: -grad under
 * maximize, and with decoupled_weight_decay p = p * (1 - lr * weight_decay)
 * instead). State per parameter: step (a 0-dim tensor of the default float
 * dtype), exp_avg (m), exp_avg_sq (v).
 */
export class RAdam extends Optimizer {
  /**
   * Python's RAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None);
   * 2.x: RAdam(params, lr, betas, eps, weight_decay, decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False, differentiable=False).
   */
  constructor(params: ParamsInput, ...args: PyArgs<[], RAdamPositionals, RAdamOptions>);
  constructor(...args: unknown[]) {
    const o = radamArgs.parseNamed(args) as unknown as Required<RAdamOptions> & { params: ParamsInput };
    const { lr, betas, eps, weight_decay, decoupled_weight_decay, foreach, maximize, capturable, differentiable } = o;
    checkHyper(lr >= 0, `Invalid learning rate: ${lr}`);
    checkHyper(eps >= 0, `Invalid epsilon value: ${eps}`);
    checkBetas('RAdam', betas);
    checkHyper(weight_decay >= 0, `Invalid weight_decay value: ${weight_decay}`);
    unsupported('RAdam', 'capturable', capturable, 'it is for CUDA graphs, which torchts does not capture');
    unsupported('RAdam', 'differentiable', differentiable, 'torchts steps optimizers under no_grad');
    const defaults = TORCH2_ALGORITHM
      ? { lr, betas: [...betas], eps, weight_decay, maximize, foreach, capturable, decoupled_weight_decay, differentiable }
      : { lr, betas: [...betas], eps, weight_decay, foreach };
    super(o.params, defaults, RADAM_KEYWORD_ONLY ? `${RADAM_HYPER}, ${RADAM_KEYWORD_ONLY}` : RADAM_HYPER);
  }

  /** What a state_dict saved by an older PyTorch lacks, filled in as Python's __setstate__ does. */
  protected override __setstate__(): void {
    if (TORCH2_ALGORITHM) {
      this.setGroupDefaults({ foreach: null, maximize: false, differentiable: false, decoupled_weight_decay: false, capturable: false });
      this.tensorizeEachState('step');
    } else {
      this.setGroupDefaults({ foreach: null });
      this.tensorizeState('step');
    }
  }

  protected updateGroup(group: ParamGroup): void {
    const { lr, eps, weight_decay } = group;
    const [beta1, beta2] = group.betas as [number, number];
    const maximize: boolean = TORCH2_ALGORITHM && group.maximize;
    const decoupled_weight_decay: boolean = TORCH2_ALGORITHM && group.decoupled_weight_decay;
    // 2.x takes a complex parameter as two real ones; 1.13 does complex arithmetic on it.
    const real = TORCH2_ALGORITHM ? viewAsReal : (t: Tensor) => t;
    // Python gathers (and checks) every gradient before it updates any parameter.
    const stepped: Tensor[] = [];
    for (const param of group.params) {
      const grad = param.grad;
      if (grad === null) continue;
      refuseSparseGrad('RAdam', grad);
      const state = this.stateOf(param);
      if (Object.keys(state).length === 0) {
        // State outlives the step even when the step runs in torch.scope().
        state.step = keep(tensor(0.0, { dtype: _get_scalar_dtype() }));
        state.exp_avg = keep(zeros_like(param));
        state.exp_avg_sq = keep(zeros_like(param));
      }
      stepped.push(param);
    }
    for (const p of stepped) {
      const state = this.stateOf(p);
      let grad = p.grad as Tensor;
      if (maximize) grad = grad.neg();
      const param = real(p);
      grad = real(grad);
      const exp_avg = real(state.exp_avg);
      const exp_avg_sq = real(state.exp_avg_sq);
      const step_t: Tensor = state.step;
      step_t.add_(1);
      const step = step_t.item() as number;
      if (weight_decay !== 0) {
        if (decoupled_weight_decay) param.mul_(1 - lr * weight_decay);
        else grad = grad.add(param, { alpha: weight_decay });
      }
      if (TORCH2_ALGORITHM) exp_avg.lerp_(grad, 1 - beta1);
      else exp_avg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      exp_avg_sq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
      const bias_correction1 = 1 - native.libmPow(beta1, step);
      const bias_correction2 = 1 - native.libmPow(beta2, step);
      const bias_corrected_exp_avg = exp_avg.div(bias_correction1);
      // The maximum length of the approximated simple moving average, and its length at this step.
      const rho_inf = 2 / (1 - beta2) - 1;
      const rho_t = rho_inf - (2 * step * native.libmPow(beta2, step)) / bias_correction2;
      if (rho_t > 5) {
        const rect = sqrtOf(((rho_t - 4) * (rho_t - 2) * rho_inf) / ((rho_inf - 4) * (rho_inf - 2) * rho_t));
        // Python's `number / tensor` is the tensor's reciprocal times the number.
        const adaptive_lr = exp_avg_sq.sqrt().add_(eps).reciprocal().mul(sqrtOf(bias_correction2));
        param.add_(bias_corrected_exp_avg.mul(lr).mul(adaptive_lr).mul(rect), { alpha: -1.0 });
      } else {
        param.add_(bias_corrected_exp_avg.mul(lr), { alpha: -1.0 });
      }
    }
  }
}
