// optim.Adamax, after torch/optim/adamax.py (_single_tensor_adamax, the path
// PyTorch takes on the CPU), op for op with the hyperparameters as number
// operands, of the PyTorch whose libtorch is loaded: 1.13 moves the first
// moment with mul_(beta1).add_(grad, alpha=1 - beta1), 2.x with
// lerp_(grad, 1 - beta1), which differ in the last bits; 2.x takes the
// infinity norm's max with torch.maximum where 1.13 stacks and takes amax
// (the same values). The bias correction uses the C library's pow, as
// Python's ** does.
import { PYTHON_DEF, PythonArgParser } from '../_arg_parser';
import type { PyArgs } from '../nn/modules/utils';
import { tensor, zeros_like } from '../factories';
import { native } from '../native';
import { keep } from '../scope';
import { libtorchAtLeast } from '../_libtorch_version';
import { amax, cat, maximum } from '../_generated/torch_functions';
import type { Tensor } from '../tensor';
import { Optimizer, _get_scalar_dtype, checkBetas, checkHyper, refuseSparseGrad, unsupported, viewAsReal, type ParamGroup, type ParamsInput } from './optimizer';

export interface AdamaxOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weight_decay?: number;
  /** Accepted as Python's hint; the numbers are the single-tensor algorithm's either way. */
  foreach?: boolean | null;
  maximize?: boolean;
  /** PyTorch 2 only: torchts steps optimizers under no_grad. */
  differentiable?: boolean;
  /** PyTorch 2 only: for CUDA graphs, which torchts does not capture. */
  capturable?: boolean;
}

/** PyTorch 2's _single_tensor_adamax: the first moment by lerp_, the norm by torch.maximum; differentiable and capturable among the hyperparameters. */
const TORCH2_ALGORITHM = libtorchAtLeast(2);

type AdamaxPositionals = [lr: number, betas: [number, number], eps: number, weight_decay: number, foreach: boolean | null];

const ADAMAX_HYPER = 'float lr=2e-3, float[] betas=[0.9, 0.999], float eps=1e-8, float weight_decay=0, bool? foreach=None';
const ADAMAX_KEYWORD_ONLY = TORCH2_ALGORITHM ? 'bool maximize=False, bool differentiable=False, bool capturable=False' : 'bool maximize=False';
const adamaxArgs = new PythonArgParser([`Adamax(Any params, ${ADAMAX_HYPER}, *, ${ADAMAX_KEYWORD_ONLY})`], PYTHON_DEF);

/**
 * Adamax (Kingma & Ba, 2014, section 7): Adam with the second moment
 * replaced by an exponentially weighted infinity norm.
 *
 *     m = beta1 * m + (1 - beta1) * g
 *     u = max(beta2 * u, |g| + eps)
 *     p = p - lr / (1 - beta1^t) * m / u
 *
 * with g = -grad under maximize, plus weight_decay * p (L2) when set.
 * State per parameter: step (a 0-dim tensor of the default float dtype),
 * exp_avg (m), exp_inf (u).
 */
export class Adamax extends Optimizer {
  /** Python's Adamax(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *, maximize=False) (2.x: and differentiable=False, capturable=False). */
  constructor(params: ParamsInput, ...args: PyArgs<[], AdamaxPositionals, AdamaxOptions>);
  constructor(...args: unknown[]) {
    const o = adamaxArgs.parseNamed(args) as unknown as Required<AdamaxOptions> & { params: ParamsInput };
    const { lr, betas, eps, weight_decay, foreach, maximize, differentiable, capturable } = o;
    checkHyper(lr >= 0, `Invalid learning rate: ${lr}`);
    checkHyper(eps >= 0, `Invalid epsilon value: ${eps}`);
    checkBetas('Adamax', betas);
    checkHyper(weight_decay >= 0, `Invalid weight_decay value: ${weight_decay}`);
    unsupported('Adamax', 'differentiable', differentiable, 'torchts steps optimizers under no_grad');
    unsupported('Adamax', 'capturable', capturable, 'it is for CUDA graphs, which torchts does not capture');
    const defaults = { lr, betas: [...betas], eps, weight_decay, foreach, maximize };
    super(o.params, TORCH2_ALGORITHM ? { ...defaults, differentiable, capturable } : defaults, `${ADAMAX_HYPER}, ${ADAMAX_KEYWORD_ONLY}`);
  }

  /** What a state_dict saved by an older PyTorch lacks, filled in as Python's __setstate__ does. */
  protected override __setstate__(): void {
    if (TORCH2_ALGORITHM) {
      this.setGroupDefaults({ foreach: null, maximize: false, differentiable: false, capturable: false });
      this.tensorizeEachState('step');
    } else {
      this.setGroupDefaults({ foreach: null, maximize: false });
      this.tensorizeState('step');
    }
  }

  protected updateGroup(group: ParamGroup): void {
    const { lr, eps, weight_decay, maximize } = group;
    const [beta1, beta2] = group.betas as [number, number];
    // Python gathers (and checks) every gradient before it updates any parameter.
    const stepped: Tensor[] = [];
    for (const param of group.params) {
      const grad = param.grad;
      if (grad === null) continue;
      refuseSparseGrad('Adamax', grad);
      const state = this.stateOf(param);
      if (Object.keys(state).length === 0) {
        // State outlives the step even when the step runs in torch.scope().
        state.step = keep(tensor(0.0, { dtype: _get_scalar_dtype() }));
        state.exp_avg = keep(zeros_like(param));
        state.exp_inf = keep(zeros_like(param));
      }
      stepped.push(param);
    }
    for (const param of stepped) {
      const state = this.stateOf(param);
      let grad = param.grad as Tensor;
      if (maximize) grad = grad.neg();
      const step_t: Tensor = state.step;
      step_t.add_(1);
      const step = step_t.item() as number;
      if (weight_decay !== 0) grad = grad.add(param, { alpha: weight_decay });
      // A complex parameter is two real ones.
      grad = viewAsReal(grad);
      const exp_avg = viewAsReal(state.exp_avg);
      const exp_inf = viewAsReal(state.exp_inf);
      if (TORCH2_ALGORITHM) {
        exp_avg.lerp_(grad, 1 - beta1);
        // The max of the decayed norm and |g| + eps, written into exp_inf.
        maximum(exp_inf.mul_(beta2), grad.abs().add_(eps), { out: exp_inf });
      } else {
        exp_avg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
        // The max of the decayed norm and |g| + eps, taken as 1.13 takes it: stacked, then amax into exp_inf.
        const norm_buf = cat([exp_inf.mul_(beta2).unsqueeze(0), grad.abs().add_(eps).unsqueeze_(0)], 0);
        amax(norm_buf, 0, false, { out: exp_inf });
      }
      const bias_correction = 1 - native.libmPow(beta1, step);
      const clr = lr / bias_correction;
      viewAsReal(param).addcdiv_(exp_avg, exp_inf, { value: -clr });
    }
  }
}
