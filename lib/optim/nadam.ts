// optim.NAdam, after torch/optim/nadam.py (_single_tensor_nadam, the path
// PyTorch takes on the CPU), op for op with the hyperparameters as number
// operands, of the PyTorch whose libtorch is loaded. 2.x changed the numbers:
// the first moment moves by lerp_(grad, 1 - beta1) (1.13: mul_ then add_),
// and mu_{t+1}'s product is the tensor product read back times mu_next, in
// double (1.13 multiplies the tensor by mu once more, a bug that 2.x
// fixed); and 2.x adds maximize, complex parameters (as two real ones) and
// decoupled weight decay. Powers use the C library's pow, as Python's ** does.
import { PYTHON_DEF, PythonArgParser } from '../_arg_parser';
import type { PyArgs } from '../nn/modules/utils';
import { tensor, zeros_like } from '../factories';
import { native } from '../native';
import { keep } from '../scope';
import { libtorchAtLeast } from '../_libtorch_version';
import type { Tensor } from '../tensor';
import { Optimizer, _get_scalar_dtype, checkBetas, checkHyper, refuseSparseGrad, unsupported, viewAsReal, type ParamGroup, type ParamsInput } from './optimizer';

export interface NAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weight_decay?: number;
  momentum_decay?: number;
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
 * The sixth positional is foreach in 1.13 and decoupled_weight_decay in 2.x
 * (where foreach became keyword-only).
 */
type NAdamPositionals = [lr: number, betas: [number, number], eps: number, weight_decay: number, momentum_decay: number, foreach_or_decoupled_weight_decay: boolean | null];

/** PyTorch 2's _single_tensor_nadam: lerp_, mu_{t+1}'s product in double, maximize, complex parameters, decoupled weight decay. */
const TORCH2_ALGORITHM = libtorchAtLeast(2);

const NADAM_HYPER = `float lr=2e-3, float[] betas=[0.9, 0.999], float eps=1e-8, float weight_decay=0, float momentum_decay=4e-3, ${
  TORCH2_ALGORITHM ? 'bool decoupled_weight_decay=False' : 'bool? foreach=None'
}`;
const NADAM_KEYWORD_ONLY = TORCH2_ALGORITHM ? 'bool? foreach=None, bool maximize=False, bool capturable=False, bool differentiable=False' : null;
const nadamArgs = new PythonArgParser([`NAdam(Any params, ${NADAM_HYPER}${NADAM_KEYWORD_ONLY ? `, *, ${NADAM_KEYWORD_ONLY}` : ''})`], PYTHON_DEF);

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
 * with g = grad + weight_decay * p when weight_decay is set (2.x: -grad under
 * maximize, and with decoupled_weight_decay p = p * (1 - lr * weight_decay)
 * instead). State per parameter: step and mu_product (0-dim tensors of the
 * default float dtype), exp_avg (m), exp_avg_sq (v).
 */
export class NAdam extends Optimizer {
  /**
   * Python's NAdam(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3, foreach=None);
   * 2.x: NAdam(params, lr, betas, eps, weight_decay, momentum_decay, decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False, differentiable=False).
   */
  constructor(params: ParamsInput, ...args: PyArgs<[], NAdamPositionals, NAdamOptions>);
  constructor(...args: unknown[]) {
    const o = nadamArgs.parseNamed(args) as unknown as Required<NAdamOptions> & { params: ParamsInput };
    const { lr, betas, eps, weight_decay, momentum_decay, decoupled_weight_decay, foreach, maximize, capturable, differentiable } = o;
    checkHyper(lr >= 0, `Invalid learning rate: ${lr}`);
    checkHyper(eps >= 0, `Invalid epsilon value: ${eps}`);
    checkBetas('NAdam', betas);
    checkHyper(weight_decay >= 0, `Invalid weight_decay value: ${weight_decay}`);
    checkHyper(momentum_decay >= 0, `Invalid momentum_decay value: ${momentum_decay}`);
    unsupported('NAdam', 'capturable', capturable, 'it is for CUDA graphs, which torchts does not capture');
    unsupported('NAdam', 'differentiable', differentiable, 'torchts steps optimizers under no_grad');
    const defaults = TORCH2_ALGORITHM
      ? { lr, betas: [...betas], eps, weight_decay, momentum_decay, decoupled_weight_decay, maximize, foreach, capturable, differentiable }
      : { lr, betas: [...betas], eps, weight_decay, momentum_decay, foreach };
    super(o.params, defaults, NADAM_KEYWORD_ONLY ? `${NADAM_HYPER}, ${NADAM_KEYWORD_ONLY}` : NADAM_HYPER);
  }

  /** What a state_dict saved by an older PyTorch lacks, filled in as Python's __setstate__ does. */
  protected override __setstate__(): void {
    if (TORCH2_ALGORITHM) {
      this.setGroupDefaults({ maximize: false, foreach: null, capturable: false, differentiable: false, decoupled_weight_decay: false });
      this.tensorizeEachState('step');
      this.tensorizeEachState('mu_product');
    } else {
      this.setGroupDefaults({ foreach: null });
      this.tensorizeState('step');
      this.tensorizeState('mu_product');
    }
  }

  protected updateGroup(group: ParamGroup): void {
    const { lr, eps, weight_decay, momentum_decay } = group;
    const [beta1, beta2] = group.betas as [number, number];
    const maximize: boolean = TORCH2_ALGORITHM && group.maximize;
    const decoupled_weight_decay: boolean = TORCH2_ALGORITHM && group.decoupled_weight_decay;
    // Python gathers (and checks) every gradient before it updates any parameter.
    const stepped: Tensor[] = [];
    for (const param of group.params) {
      const grad = param.grad;
      if (grad === null) continue;
      refuseSparseGrad('NAdam', grad);
      const state = this.stateOf(param);
      if (Object.keys(state).length === 0) {
        // State outlives the step even when the step runs in torch.scope().
        state.step = keep(tensor(0.0, { dtype: _get_scalar_dtype() }));
        state.mu_product = keep(tensor(1.0, { dtype: _get_scalar_dtype() }));
        state.exp_avg = keep(zeros_like(param));
        state.exp_avg_sq = keep(zeros_like(param));
      }
      stepped.push(param);
    }
    for (const p of stepped) {
      const state = this.stateOf(p);
      let grad = p.grad as Tensor;
      if (maximize) grad = grad.neg();
      // 2.x takes a complex parameter as two real ones; 1.13 does complex arithmetic on it.
      const real = TORCH2_ALGORITHM ? viewAsReal : (t: Tensor) => t;
      const param = real(p);
      grad = real(grad);
      const exp_avg = real(state.exp_avg);
      const exp_avg_sq = real(state.exp_avg_sq);
      const mu_product: Tensor = state.mu_product;
      const step_t: Tensor = state.step;
      step_t.add_(1);
      const step = step_t.item() as number;
      const bias_correction2 = 1 - native.libmPow(beta2, step);
      if (weight_decay !== 0) {
        if (decoupled_weight_decay) param.mul_(1 - lr * weight_decay);
        else grad = grad.add(param, { alpha: weight_decay });
      }
      // The momentum cache mu_t and mu_{t+1}.
      const mu = beta1 * (1 - 0.5 * native.libmPow(0.96, step * momentum_decay));
      const mu_next = beta1 * (1 - 0.5 * native.libmPow(0.96, (step + 1) * momentum_decay));
      // The running product stays a 0-dim tensor (float32 by default), as in Python: its roundings are part of the numbers.
      mu_product.mul_(mu);
      let mu_product_next: number;
      if (TORCH2_ALGORITHM) {
        exp_avg.lerp_(grad, 1 - beta1);
        mu_product_next = (mu_product.item() as number) * mu_next;
      } else {
        // 1.13 multiplies by mu twice (mu_product * mu * mu_next after mu_product *= mu), in the tensor.
        mu_product_next = mu_product.mul(mu).mul(mu_next).item() as number;
        exp_avg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      }
      exp_avg_sq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
      const denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps);
      param.addcdiv_(grad, denom, { value: (-lr * (1 - mu)) / (1 - (mu_product.item() as number)) });
      param.addcdiv_(exp_avg, denom, { value: (-lr * mu_next) / (1 - mu_product_next) });
    }
  }
}
