// optim.Rprop, after torch/optim/rprop.py (_single_tensor_rprop, the path
// PyTorch takes on the CPU), op for op. The update is the same in 1.13 and
// 2.x; 2.x keeps the step count as a tensor, makes foreach and maximize
// keyword-only, and adds capturable and differentiable.
import { PYTHON_DEF, PythonArgParser } from '../_arg_parser';
import type { PyArgs } from '../nn/modules/utils';
import { full_like, tensor, zeros_like } from '../factories';
import { keep } from '../scope';
import { libtorchAtLeast } from '../_libtorch_version';
import type { Tensor } from '../tensor';
import { Optimizer, _get_scalar_dtype, checkHyper, refuseSparseGrad, unsupported, viewAsReal, type ParamGroup, type ParamsInput } from './optimizer';

export interface RpropOptions {
  lr?: number;
  etas?: [number, number];
  step_sizes?: [number, number];
  /** Accepted as Python's hint; the numbers are the single-tensor algorithm's either way. */
  foreach?: boolean | null;
  maximize?: boolean;
  /** PyTorch 2 only: for CUDA graphs, which torchts does not capture. */
  capturable?: boolean;
  /** PyTorch 2 only: torchts steps optimizers under no_grad. */
  differentiable?: boolean;
}

/** (2.x takes foreach and maximize by keyword only.) */
type RpropPositionals = [lr: number, etas: [number, number], step_sizes: [number, number], foreach: boolean | null, maximize: boolean];

/** PyTorch 2's Rprop: the step count a 0-dim tensor; foreach and maximize keyword-only, capturable and differentiable added. */
const TORCH2 = libtorchAtLeast(2);

const RPROP_HYPER = 'float lr=1e-2, float[] etas=[0.5, 1.2], float[] step_sizes=[1e-6, 50]';
const RPROP_REST = TORCH2 ? 'bool capturable=False, bool? foreach=None, bool maximize=False, bool differentiable=False' : 'bool? foreach=None, bool maximize=False';
const rpropArgs = new PythonArgParser([`Rprop(Any params, ${RPROP_HYPER}, ${TORCH2 ? '*, ' : ''}${RPROP_REST})`], PYTHON_DEF);

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
 * with g = -grad under maximize. State per parameter: step (an int in 1.13,
 * a 0-dim tensor in 2.x), prev (g_prev), step_size (starting at lr).
 */
export class Rprop extends Optimizer {
  /** Python's Rprop(params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), foreach=None, maximize=False) (2.x: *, capturable=False, foreach=None, maximize=False, differentiable=False). */
  constructor(params: ParamsInput, ...args: PyArgs<[], RpropPositionals, RpropOptions>);
  constructor(...args: unknown[]) {
    const o = rpropArgs.parseNamed(args) as unknown as Required<RpropOptions> & { params: ParamsInput };
    const { lr, etas, step_sizes, foreach, maximize, capturable, differentiable } = o;
    checkHyper(lr >= 0, `Invalid learning rate: ${lr}`);
    checkPair('etas', etas);
    checkPair('step_sizes', step_sizes);
    checkHyper(etas[0] > 0 && etas[0] < 1 && etas[1] > 1, `Invalid eta values: ${etas[0]}, ${etas[1]}`);
    unsupported('Rprop', 'capturable', capturable, 'it is for CUDA graphs, which torchts does not capture');
    unsupported('Rprop', 'differentiable', differentiable, 'torchts steps optimizers under no_grad');
    const defaults = { lr, etas: [...etas], step_sizes: [...step_sizes], foreach, maximize };
    super(o.params, TORCH2 ? { ...defaults, differentiable, capturable } : defaults, `${RPROP_HYPER}, ${RPROP_REST}`);
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
        state.step = TORCH2 ? keep(tensor(0.0, { dtype: _get_scalar_dtype() })) : 0;
        state.prev = keep(zeros_like(param));
        // A complex parameter is two real ones: both parts start at lr.
        state.step_size = keep(grad.is_complex() ? zeros_like(grad) : full_like(grad, group.lr));
        if (grad.is_complex()) viewAsReal(state.step_size).fill_(group.lr);
      }
      if (!TORCH2) state.step += 1;
      stepped.push(param);
    }
    for (const param of stepped) {
      const state = this.stateOf(param);
      if (TORCH2) (state.step as Tensor).add_(1);
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
