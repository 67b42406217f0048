// optim.NAdam, after torch/optim/nadam.py (_single_tensor_nadam, PyTorch
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

export interface NAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weight_decay?: number;
  momentum_decay?: number;
  /** Accepted as Python's hint; the numbers are the single-tensor algorithm's either way. */
  foreach?: boolean | null;
}

type NAdamPositionals = [lr: number, betas: [number, number], eps: number, weight_decay: number, momentum_decay: number, foreach: boolean | null];

const NADAM_SIGNATURE = 'float lr=2e-3, float[] betas=[0.9, 0.999], float eps=1e-8, float weight_decay=0, float momentum_decay=4e-3, bool? foreach=None';
const nadamArgs = new PythonArgParser([`NAdam(Any params, ${NADAM_SIGNATURE})`]);

/**
 * NAdam (Dozat, 2016): Adam with Nesterov momentum, the momentum coefficient
 * warmed up by a schedule.
 *
 *     mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay)),  prod_t = mu_1 ... mu_t
 *     m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g^2
 *     denom = sqrt(v / (1 - beta2^t)) + eps
 *     p = p - lr (1 - mu_t) / (1 - prod_t) * g / denom
 *           - lr mu_{t+1} / (1 - prod_t mu_{t+1}) * m / denom
 *
 * with g = grad + weight_decay * p when weight_decay is set (1.13 has no maximize here).
 * State per parameter: step and mu_product (float32 0-dim tensors), exp_avg (m), exp_avg_sq (v).
 */
export class NAdam extends Optimizer {
  /** Python's NAdam(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3, foreach=None). */
  constructor(params: ParamsInput, ...args: PyArgs<[], NAdamPositionals, NAdamOptions>);
  constructor(...args: unknown[]) {
    const o = nadamArgs.parseNamed(args) as unknown as Required<NAdamOptions> & { params: ParamsInput };
    const { lr, betas, eps, weight_decay, momentum_decay, foreach } = o;
    checkHyper(lr >= 0, `Invalid learning rate: ${lr}`);
    checkHyper(eps >= 0, `Invalid epsilon value: ${eps}`);
    checkBetas('NAdam', betas);
    checkHyper(weight_decay >= 0, `Invalid weight_decay value: ${weight_decay}`);
    checkHyper(momentum_decay >= 0, `Invalid momentum_decay value: ${momentum_decay}`);
    super(o.params, { lr, betas: [...betas], eps, weight_decay, momentum_decay, foreach }, NADAM_SIGNATURE);
  }

  /** What a state_dict saved by an older PyTorch lacks, filled in as Python's __setstate__ does. */
  protected override __setstate__(): void {
    this.setGroupDefaults({ foreach: null });
    this.tensorizeState('step');
    this.tensorizeState('mu_product');
  }

  protected updateGroup(group: ParamGroup): void {
    const { lr, eps, weight_decay, momentum_decay } = group;
    const [beta1, beta2] = group.betas as [number, number];
    // Python gathers (and checks) every gradient before it updates any parameter.
    const stepped: Tensor[] = [];
    for (const param of group.params) {
      const grad = param.grad;
      if (grad === null) continue;
      refuseSparseGrad('NAdam', grad);
      const state = this.stateOf(param);
      if (Object.keys(state).length === 0) {
        // State outlives the step even when the step runs in torch.scope().
        state.step = keep(tensor(0.0, { dtype: float32 }));
        state.mu_product = keep(tensor(1.0, { dtype: float32 }));
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
      const mu_product: Tensor = state.mu_product;
      const step_t: Tensor = state.step;
      step_t.add_(1);
      const step = step_t.item() as number;
      const bias_correction2 = 1 - native.libmPow(beta2, step);
      if (weight_decay !== 0) grad = grad.add(param, { alpha: weight_decay });
      // The momentum cache mu_t and mu_{t+1}.
      const mu = beta1 * (1 - 0.5 * native.libmPow(0.96, step * momentum_decay));
      const mu_next = beta1 * (1 - 0.5 * native.libmPow(0.96, (step + 1) * momentum_decay));
      // The running product stays a float32 tensor, as in Python: its roundings are part of the numbers.
      mu_product.mul_(mu);
      const mu_product_next = mu_product.mul(mu).mul(mu_next);
      exp_avg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      exp_avg_sq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
      const denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps);
      param.addcdiv_(grad, denom, { value: (-lr * (1 - mu)) / (1 - (mu_product.item() as number)) });
      param.addcdiv_(exp_avg, denom, { value: (-lr * mu_next) / (1 - (mu_product_next.item() as number)) });
    }
  }
}
