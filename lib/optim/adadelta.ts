// optim.Adadelta, after torch/optim/adadelta.py (_single_tensor_adadelta,
// the path PyTorch takes on the CPU), op for op with the hyperparameters as
// number operands, so the bits are Python's. The update is the same in 1.13
// and 2.x; 2.x keeps the step count as a tensor, and takes capturable and
// differentiable.
import { PYTHON_DEF, PythonArgParser } from '../_arg_parser';
import type { PyArgs } from '../nn/modules/utils';
import { tensor, zeros_like } from '../factories';
import { keep } from '../scope';
import { libtorchAtLeast } from '../_libtorch_version';
import type { Tensor } from '../tensor';
import { Optimizer, _get_scalar_dtype, checkHyper, refuseSparseGrad, unsupported, viewAsReal, type ParamGroup, type ParamsInput } from './optimizer';

export interface AdadeltaOptions {
  lr?: number;
  rho?: number;
  eps?: number;
  weight_decay?: number;
  /** Accepted as Python's hint; the numbers are the single-tensor algorithm's either way. */
  foreach?: boolean | null;
  maximize?: boolean;
  /** PyTorch 2 only: for CUDA graphs, which torchts does not capture. */
  capturable?: boolean;
  /** PyTorch 2 only: torchts steps optimizers under no_grad. */
  differentiable?: boolean;
}

/** PyTorch 2's Adadelta: the step count a 0-dim tensor, and capturable and differentiable among the hyperparameters. */
const TORCH2 = libtorchAtLeast(2);

type AdadeltaPositionals = [lr: number, rho: number, eps: number, weight_decay: number, foreach: boolean | null];

const ADADELTA_HYPER = 'float lr=1.0, float rho=0.9, float eps=1e-6, float weight_decay=0, bool? foreach=None';
const ADADELTA_KEYWORD_ONLY = TORCH2 ? 'bool capturable=False, bool maximize=False, bool differentiable=False' : 'bool maximize=False';
const adadeltaArgs = new PythonArgParser([`Adadelta(Any params, ${ADADELTA_HYPER}, *, ${ADADELTA_KEYWORD_ONLY})`], PYTHON_DEF);

/**
 * Adadelta (Zeiler, 2012): a per-element step from the ratio of two running
 * root mean squares, of past updates and of past gradients.
 *
 *     v = rho * v + (1 - rho) * g^2
 *     delta = sqrt(u + eps) / sqrt(v + eps) * g
 *     u = rho * u + (1 - rho) * delta^2
 *     p = p - lr * delta
 *
 * with g = -grad under maximize, plus weight_decay * p (L2) when set.
 * State per parameter: step (an int in 1.13, a 0-dim tensor in 2.x),
 * square_avg (v), acc_delta (u).
 */
export class Adadelta extends Optimizer {
  /** Python's Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, maximize=False) (2.x: *, capturable=False, maximize=False, differentiable=False). */
  constructor(params: ParamsInput, ...args: PyArgs<[], AdadeltaPositionals, AdadeltaOptions>);
  constructor(...args: unknown[]) {
    const o = adadeltaArgs.parseNamed(args) as unknown as Required<AdadeltaOptions> & { params: ParamsInput };
    const { lr, rho, eps, weight_decay, foreach, maximize, capturable, differentiable } = o;
    checkHyper(lr >= 0, `Invalid learning rate: ${lr}`);
    checkHyper(rho >= 0 && rho <= 1, `Invalid rho value: ${rho}`);
    checkHyper(eps >= 0, `Invalid epsilon value: ${eps}`);
    checkHyper(weight_decay >= 0, `Invalid weight_decay value: ${weight_decay}`);
    unsupported('Adadelta', 'capturable', capturable, 'it is for CUDA graphs, which torchts does not capture');
    unsupported('Adadelta', 'differentiable', differentiable, 'torchts steps optimizers under no_grad');
    const defaults = TORCH2
      ? { lr, rho, eps, weight_decay, maximize, capturable, foreach, differentiable }
      : { lr, rho, eps, weight_decay, maximize, foreach };
    super(o.params, defaults, `${ADADELTA_HYPER}, ${ADADELTA_KEYWORD_ONLY}`);
  }

  /** What a state_dict saved by an older PyTorch lacks, filled in as Python's __setstate__ does. */
  protected override __setstate__(): void {
    if (TORCH2) {
      this.setGroupDefaults({ foreach: null, maximize: false, differentiable: false, capturable: false });
      this.tensorizeEachState('step');
    } else {
      this.setGroupDefaults({ foreach: null, maximize: false });
    }
  }

  protected updateGroup(group: ParamGroup): void {
    const { lr, rho, eps, weight_decay, maximize } = group;
    // Python gathers (and checks) every gradient before it updates any parameter.
    const stepped: Tensor[] = [];
    for (const param of group.params) {
      const grad = param.grad;
      if (grad === null) continue;
      refuseSparseGrad('Adadelta', grad);
      const state = this.stateOf(param);
      if (Object.keys(state).length === 0) {
        // State outlives the step even when the step runs in torch.scope().
        state.step = TORCH2 ? keep(tensor(0.0, { dtype: _get_scalar_dtype() })) : 0;
        state.square_avg = keep(zeros_like(param));
        state.acc_delta = keep(zeros_like(param));
      }
      if (!TORCH2) state.step += 1;
      stepped.push(param);
    }
    for (const param of stepped) {
      const state = this.stateOf(param);
      if (TORCH2) (state.step as Tensor).add_(1);
      let grad = param.grad as Tensor;
      if (maximize) grad = grad.neg();
      if (weight_decay !== 0) grad = grad.add(param, { alpha: weight_decay });
      // A complex parameter is two real ones.
      const square_avg = viewAsReal(state.square_avg);
      const acc_delta = viewAsReal(state.acc_delta);
      grad = viewAsReal(grad);
      square_avg.mul_(rho).addcmul_(grad, grad, { value: 1 - rho });
      const std = square_avg.add(eps).sqrt_();
      const delta = acc_delta.add(eps).sqrt_().div_(std).mul_(grad);
      acc_delta.mul_(rho).addcmul_(delta, delta, { value: 1 - rho });
      viewAsReal(param).add_(delta, { alpha: -lr });
    }
  }
}
