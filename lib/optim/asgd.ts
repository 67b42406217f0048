// optim.ASGD, after torch/optim/asgd.py (_single_tensor_asgd, PyTorch 1.13's
// default path), op for op. eta and mu live in float32 0-dim tensors, as in
// Python, so the step reads them back rounded to float32.
import { PythonArgParser } from '../_arg_parser';
import type { PyArgs } from '../nn/modules/utils';
import { float32 } from '../dtype';
import { tensor, zeros_like } from '../factories';
import { native } from '../native';
import { keep } from '../scope';
import type { Tensor } from '../tensor';
import { Optimizer, checkHyper, refuseSparseGrad, viewAsReal, type ParamGroup, type ParamsInput } from './optimizer';

export interface ASGDOptions {
  lr?: number;
  lambd?: number;
  alpha?: number;
  t0?: number;
  weight_decay?: number;
  /** Accepted as Python's hint; the numbers are the single-tensor algorithm's either way. */
  foreach?: boolean | null;
  maximize?: boolean;
}

type ASGDPositionals = [lr: number, lambd: number, alpha: number, t0: number, weight_decay: number, foreach: boolean | null, maximize: boolean];

const ASGD_SIGNATURE = 'float lr=1e-2, float lambd=1e-4, float alpha=0.75, float t0=1e6, float weight_decay=0, bool? foreach=None, bool maximize=False';
const asgdArgs = new PythonArgParser([`ASGD(Any params, ${ASGD_SIGNATURE})`]);

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
 * State per parameter: step, eta, mu (float32 0-dim tensors), ax.
 */
export class ASGD extends Optimizer {
  /** Python's ASGD(params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, foreach=None, maximize=False). */
  constructor(params: ParamsInput, ...args: PyArgs<[], ASGDPositionals, ASGDOptions>);
  constructor(...args: unknown[]) {
    const o = asgdArgs.parseNamed(args) as unknown as Required<ASGDOptions> & { params: ParamsInput };
    const { lr, lambd, alpha, t0, weight_decay, foreach, maximize } = o;
    checkHyper(lr >= 0, `Invalid learning rate: ${lr}`);
    checkHyper(weight_decay >= 0, `Invalid weight_decay value: ${weight_decay}`);
    super(o.params, { lr, lambd, alpha, t0, weight_decay, foreach, maximize }, ASGD_SIGNATURE);
  }

  /** What a state_dict saved by an older PyTorch lacks, filled in as Python's __setstate__ does. */
  protected override __setstate__(): void {
    this.setGroupDefaults({ foreach: null, maximize: false });
    this.tensorizeState('step');
    this.tensorizeState('eta');
    this.tensorizeState('mu');
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
        state.step = keep(tensor(0.0, { dtype: float32 }));
        state.eta = keep(tensor(lr, { dtype: float32 }));
        state.mu = keep(tensor(1.0, { dtype: float32 }));
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
      // Python makes a new float32 tensor of each value and copies it in: the same rounding as fill_.
      eta.fill_(lr / native.libmPow(1 + lambd * lr * step, alpha));
      mu.fill_(1 / Math.max(1, step - t0));
    }
  }
}
