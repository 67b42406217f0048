// optim.Rprop, after torch/optim/rprop.py (_single_tensor_rprop, PyTorch
// 1.13's default path), op for op.
import { PythonArgParser } from '../_arg_parser';
import type { PyArgs } from '../nn/modules/utils';
import { full_like, zeros_like } from '../factories';
import { keep } from '../scope';
import type { Tensor } from '../tensor';
import { Optimizer, checkHyper, refuseSparseGrad, viewAsReal, type ParamGroup, type ParamsInput } from './optimizer';

export interface RpropOptions {
  lr?: number;
  etas?: [number, number];
  step_sizes?: [number, number];
  /** Accepted as Python's hint; the numbers are the single-tensor algorithm's either way. */
  foreach?: boolean | null;
  maximize?: boolean;
}

type RpropPositionals = [lr: number, etas: [number, number], step_sizes: [number, number], foreach: boolean | null, maximize: boolean];

const RPROP_SIGNATURE = 'float lr=1e-2, float[] etas=[0.5, 1.2], float[] step_sizes=[1e-6, 50], bool? foreach=None, bool maximize=False';
const rpropArgs = new PythonArgParser([`Rprop(Any params, ${RPROP_SIGNATURE})`]);

function checkPair(name: string, v: readonly number[]): void {
  if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`Rprop: ${name} must be a pair of numbers, got ${v.length} of them`);
}

/**
 * Rprop (Riedmiller & Braun, 1993): each element moves by its own step size,
 * in the direction of the gradient's sign only; a step size grows by etaplus
 * while the gradient keeps its sign and shrinks by etaminus when it flips.
 *
 *     s = sign(g * g_prev) -> etaplus (> 0), etaminus (< 0), 1 (= 0)
 *     step_size = clamp(step_size * s, step_size_min, step_size_max)
 *     g = 0 where the sign flipped;  p = p - sign(g) * step_size;  g_prev = g
 *
 * with g = -grad under maximize. State per parameter: step (an int), prev
 * (g_prev), step_size (starting at lr).
 */
export class Rprop extends Optimizer {
  /** Python's Rprop(params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), foreach=None, maximize=False). */
  constructor(params: ParamsInput, ...args: PyArgs<[], RpropPositionals, RpropOptions>);
  constructor(...args: unknown[]) {
    const o = rpropArgs.parseNamed(args) as unknown as Required<RpropOptions> & { params: ParamsInput };
    const { lr, etas, step_sizes, foreach, maximize } = o;
    checkHyper(lr >= 0, `Invalid learning rate: ${lr}`);
    checkPair('etas', etas);
    checkPair('step_sizes', step_sizes);
    checkHyper(etas[0] > 0 && etas[0] < 1 && etas[1] > 1, `Invalid eta values: ${etas[0]}, ${etas[1]}`);
    super(o.params, { lr, etas: [...etas], step_sizes: [...step_sizes], foreach, maximize }, RPROP_SIGNATURE);
  }

  /** What a state_dict saved by an older PyTorch lacks, filled in as Python's __setstate__ does. */
  protected override __setstate__(): void {
    this.setGroupDefaults({ foreach: null, maximize: false });
  }

  protected updateGroup(group: ParamGroup): void {
    const { maximize } = group;
    const [etaminus, etaplus] = group.etas as [number, number];
    const [step_size_min, step_size_max] = group.step_sizes as [number, number];
    // Python gathers (and checks) every gradient before it updates any parameter.
    const stepped: Tensor[] = [];
    for (const param of group.params) {
      const grad = param.grad;
      if (grad === null) continue;
      refuseSparseGrad('Rprop', grad);
      const state = this.stateOf(param);
      if (Object.keys(state).length === 0) {
        // State outlives the step even when the step runs in torch.scope().
        state.step = 0;
        state.prev = keep(zeros_like(param));
        // A complex parameter is two real ones: both parts start at lr.
        state.step_size = keep(grad.is_complex() ? zeros_like(grad) : full_like(grad, group.lr));
        if (grad.is_complex()) viewAsReal(state.step_size).fill_(group.lr);
      }
      state.step += 1;
      stepped.push(param);
    }
    for (const param of stepped) {
      const state = this.stateOf(param);
      let grad = param.grad as Tensor;
      if (maximize) grad = grad.neg();
      // A complex parameter is two real ones.
      grad = viewAsReal(grad);
      const prev = viewAsReal(state.prev);
      const step_size = viewAsReal(state.step_size);
      // Python assigns through boolean masks (sign[sign.gt(0)] = etaplus); masked_fill_ writes the same values.
      const sign = grad.mul(prev).sign();
      sign.masked_fill_(sign.gt(0), etaplus);
      sign.masked_fill_(sign.lt(0), etaminus);
      sign.masked_fill_(sign.eq(0), 1);
      step_size.mul_(sign).clamp_(step_size_min, step_size_max);
      // Where the sign flipped the gradient counts as 0: no move now, and no flip seen next step.
      grad = grad.clone();
      grad.masked_fill_(sign.eq(etaminus), 0);
      viewAsReal(param).addcmul_(grad.sign(), step_size, { value: -1 });
      prev.copy_(grad);
    }
  }
}
