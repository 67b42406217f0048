// optim.ASGD, after torch/optim/asgd.py (_single_tensor_asgd, the path
// PyTorch takes on the CPU), op for op. eta and mu live in 0-dim tensors of
// the default float dtype, as in Python, so the step reads them back rounded
// to float32 (unless float64 is the default). The update is the same in
// 1.13 and 2.x; 2.x adds differentiable and capturable to the
// hyperparameters.
import { PYTHON_DEF, PythonArgParser } from '../_arg_parser';
import type { PyArgs } from '../nn/modules/utils';
import { tensor, zeros_like } from '../factories';
import { native } from '../native';
import { keep } from '../scope';
import { libtorchAtLeast } from '../_libtorch_version';
import type { Tensor } from '../tensor';
import { Optimizer, _get_scalar_dtype, checkHyper, refuseSparseGrad, unsupported, viewAsReal, type ParamGroup, type ParamsInput } from './optimizer';

export interface ASGDOptions {
  lr?: number;
  lambd?: number;
  alpha?: number;
  t0?: number;
  weight_decay?: number;
  /** Accepted as Python's hint; the numbers are the single-tensor algorithm's either way. */
  foreach?: boolean | null;
  maximize?: boolean;
  /** PyTorch 2 only: torchts steps optimizers under no_grad. */
  differentiable?: boolean;
  /** PyTorch 2 only: for CUDA graphs, which torchts does not capture. */
  capturable?: boolean;
}

/** PyTorch 2's ASGD: differentiable and capturable among the hyperparameters, positional as the rest. */
const TORCH2 = libtorchAtLeast(2);

type ASGDPositionals = [lr: number, lambd: number, alpha: number, t0: number, weight_decay: number, foreach: boolean | null, maximize: boolean, differentiable: boolean, capturable: boolean];

const ASGD_SIGNATURE = `float lr=1e-2, float lambd=1e-4, float alpha=0.75, float t0=1e6, float weight_decay=0, bool? foreach=None, bool maximize=False${TORCH2 ? ', bool differentiable=False, bool capturable=False' : ''}`;
const asgdArgs = new PythonArgParser([`ASGD(Any params, ${ASGD_SIGNATURE})`], PYTHON_DEF);

/**
 * Averaged SGD (Polyak & Juditsky, 1992): SGD with a decaying step, keeping
 * a running average of the iterates from step t0 on.
 *
 *     p = p * (1 - lambd * eta) - eta * g
 *     ax = p if mu == 1 else ax + mu * (p - ax)
 *     eta = lr / (1 + lambd * lr * t)^alpha;  mu = 1 / max(1, t - t0)
 *
 * with g = -grad under maximize, plus weight_decay * p (L2) when set. The
 * average is state['ax']; the parameters themselves are the plain iterates.
 * State per parameter: step, eta, mu (0-dim tensors of the default float
 * dtype), ax.
 */
export class ASGD extends Optimizer {
  /** Python's ASGD(params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, foreach=None, maximize=False) (2.x: and differentiable=False, capturable=False). */
  constructor(params: ParamsInput, ...args: PyArgs<[], ASGDPositionals, ASGDOptions>);
  constructor(...args: unknown[]) {
    const o = asgdArgs.parseNamed(args) as unknown as Required<ASGDOptions> & { params: ParamsInput };
    const { lr, lambd, alpha, t0, weight_decay, foreach, maximize, differentiable, capturable } = o;
    checkHyper(lr >= 0, `Invalid learning rate: ${lr}`);
    checkHyper(weight_decay >= 0, `Invalid weight_decay value: ${weight_decay}`);
    unsupported('ASGD', 'differentiable', differentiable, 'torchts steps optimizers under no_grad');
    unsupported('ASGD', 'capturable', capturable, 'it is for CUDA graphs, which torchts does not capture');
    const defaults = { lr, lambd, alpha, t0, weight_decay, foreach, maximize };
    super(o.params, TORCH2 ? { ...defaults, differentiable, capturable } : defaults, ASGD_SIGNATURE);
  }

  /** What a state_dict saved by an older PyTorch lacks, filled in as Python's __setstate__ does. */
  protected override __setstate__(): void {
    if (TORCH2) {
      this.setGroupDefaults({ foreach: null, maximize: false, differentiable: false, capturable: false });
      for (const key of ['step', 'eta', 'mu']) this.tensorizeEachState(key);
    } else {
      this.setGroupDefaults({ foreach: null, maximize: false });
      for (const key of ['step', 'eta', 'mu']) this.tensorizeState(key);
    }
  }

  protected updateGroup(group: ParamGroup): void {
    const { lr, lambd, alpha, t0, weight_decay, maximize } = group;
    // Python gathers (and checks) every gradient before it updates any parameter.
    const stepped: Tensor[] = [];
    for (const param of group.params) {
      const grad = param.grad;
      if (grad === null) continue;
      refuseSparseGrad('ASGD', grad);
      const state = this.stateOf(param);
      if (Object.keys(state).length === 0) {
        // State outlives the step even when the step runs in torch.scope().
        state.step = keep(tensor(0.0, { dtype: _get_scalar_dtype() }));
        state.eta = keep(tensor(lr, { dtype: _get_scalar_dtype() }));
        state.mu = keep(tensor(1.0, { dtype: _get_scalar_dtype() }));
        state.ax = keep(zeros_like(param));
      }
      stepped.push(param);
    }
    for (const param of stepped) {
      const state = this.stateOf(param);
      let grad = param.grad as Tensor;
      if (maximize) grad = grad.neg();
      // A complex parameter is two real ones.
      grad = viewAsReal(grad);
      const p = viewAsReal(param);
      const ax = viewAsReal(state.ax);
      const mu: Tensor = state.mu;
      const eta: Tensor = state.eta;
      const step_t: Tensor = state.step;
      step_t.add_(1);
      const step = step_t.item() as number;
      if (weight_decay !== 0) grad = grad.add(p, { alpha: weight_decay });
      p.mul_(1 - lambd * (eta.item() as number));
      p.add_(grad, { alpha: -(eta.item() as number) });
      if ((mu.item() as number) !== 1) ax.add_(p.sub(ax).mul(mu));
      else ax.copy_(p);
      // Python makes a new tensor of the default dtype of each value and copies it in: the same rounding as fill_.
      eta.fill_(lr / native.libmPow(1 + lambd * lr * step, alpha));
      mu.fill_(1 / Math.max(1, step - t0));
    }
  }
}
