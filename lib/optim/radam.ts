// optim.RAdam, after torch/optim/radam.py (_single_tensor_radam, PyTorch
// 1.13's default path), op for op with the hyperparameters as number
// operands; powers use the C library's pow, as Python's ** does.
import { PythonArgParser } from '../_arg_parser';
import type { PyArgs } from '../nn/modules/utils';
import { float32 } from '../dtype';
import { tensor, zeros_like } from '../factories';
import { native } from '../native';
import { keep } from '../scope';
import type { Tensor } from '../tensor';
import { Optimizer, checkBetas, checkHyper, refuseSparseGrad, type ParamGroup, type ParamsInput } from './optimizer';

export interface RAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weight_decay?: number;
  /** Accepted as Python's hint; the numbers are the single-tensor algorithm's either way. */
  foreach?: boolean | null;
}

type RAdamPositionals = [lr: number, betas: [number, number], eps: number, weight_decay: number, foreach: boolean | null];

const RADAM_SIGNATURE = 'float lr=1e-3, float[] betas=[0.9, 0.999], float eps=1e-8, float weight_decay=0, bool? foreach=None';
const radamArgs = new PythonArgParser([`RAdam(Any params, ${RADAM_SIGNATURE})`]);

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
 * with g = grad + weight_decay * p when weight_decay is set (1.13 has no maximize here).
 * State per parameter: step (a float32 0-dim tensor), exp_avg (m), exp_avg_sq (v).
 */
export class RAdam extends Optimizer {
  /** Python's RAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None). */
  constructor(params: ParamsInput, ...args: PyArgs<[], RAdamPositionals, RAdamOptions>);
  constructor(...args: unknown[]) {
    const o = radamArgs.parseNamed(args) as unknown as Required<RAdamOptions> & { params: ParamsInput };
    const { lr, betas, eps, weight_decay, foreach } = o;
    checkHyper(lr >= 0, `Invalid learning rate: ${lr}`);
    checkHyper(eps >= 0, `Invalid epsilon value: ${eps}`);
    checkBetas('RAdam', betas);
    checkHyper(weight_decay >= 0, `Invalid weight_decay value: ${weight_decay}`);
    super(o.params, { lr, betas: [...betas], eps, weight_decay, foreach }, RADAM_SIGNATURE);
  }

  /** What a state_dict saved by an older PyTorch lacks, filled in as Python's __setstate__ does. */
  protected override __setstate__(): void {
    this.setGroupDefaults({ foreach: null });
    this.tensorizeState('step');
  }

  protected updateGroup(group: ParamGroup): void {
    const { lr, eps, weight_decay } = group;
    const [beta1, beta2] = group.betas as [number, number];
    // Python gathers (and checks) every gradient before it updates any parameter.
    const stepped: Tensor[] = [];
    for (const param of group.params) {
      const grad = param.grad;
      if (grad === null) continue;
      refuseSparseGrad('RAdam', grad);
      const state = this.stateOf(param);
      if (Object.keys(state).length === 0) {
        // State outlives the step even when the step runs in torch.scope().
        state.step = keep(tensor(0.0, { dtype: float32 }));
        state.exp_avg = keep(zeros_like(param));
        state.exp_avg_sq = keep(zeros_like(param));
      }
      stepped.push(param);
    }
    for (const param of stepped) {
      const state = this.stateOf(param);
      let grad = param.grad as Tensor;
      const exp_avg: Tensor = state.exp_avg;
      const exp_avg_sq: Tensor = state.exp_avg_sq;
      const step_t: Tensor = state.step;
      step_t.add_(1);
      const step = step_t.item() as number;
      const bias_correction1 = 1 - native.libmPow(beta1, step);
      const bias_correction2 = 1 - native.libmPow(beta2, step);
      if (weight_decay !== 0) grad = grad.add(param, { alpha: weight_decay });
      exp_avg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      exp_avg_sq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
      const bias_corrected_exp_avg = exp_avg.div(bias_correction1);
      // The maximum length of the approximated simple moving average, and its length at this step.
      const rho_inf = 2 / (1 - beta2) - 1;
      const rho_t = rho_inf - (2 * step * native.libmPow(beta2, step)) / bias_correction2;
      if (rho_t > 5) {
        const rect = Math.sqrt(((rho_t - 4) * (rho_t - 2) * rho_inf) / ((rho_inf - 4) * (rho_inf - 2) * rho_t));
        // Python's `number / tensor` is the tensor's reciprocal times the number.
        const adaptive_lr = exp_avg_sq.sqrt().add_(eps).reciprocal().mul(Math.sqrt(bias_correction2));
        param.add_(bias_corrected_exp_avg.mul(lr).mul(adaptive_lr).mul(rect), { alpha: -1.0 });
      } else {
        param.add_(bias_corrected_exp_avg.mul(lr), { alpha: -1.0 });
      }
    }
  }
}
