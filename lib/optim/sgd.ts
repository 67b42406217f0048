// optim.SGD, after torch/optim/sgd.py (_single_tensor_sgd, the path
// PyTorch takes by default), in its op order: the same in 1.13 and 2.x but
// for the state of plain SGD.
import { PYTHON_DEF, PythonArgParser } from '../_arg_parser';
import { _C } from '../_C';
import { keep } from '../scope';
import { libtorchAtLeast } from '../_libtorch_version';
import type { Tensor } from '../tensor';
import { Optimizer, checkHyper, required, unsupported, type ParamGroup, type ParamsInput } from './optimizer';
import { ScalarOperands, stateDtype } from './_scalar_operands';

/** PyTorch 2's SGD keeps no per-parameter state without momentum. */
const TORCH2_NO_PLAIN_STATE = libtorchAtLeast(2);

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weight_decay?: number;
  nesterov?: boolean;
  maximize?: boolean;
  /** Accepted as Python's hint; the numbers are the single-tensor algorithm's either way. */
  foreach?: boolean | null;
  differentiable?: boolean;
}

// lr=None stands for Python 1.13's `required`: the groups must then give one
// (2.x defaults it to 1e-3, and adds fused=None).
const SGD_HYPER = `float? lr=${TORCH2_NO_PLAIN_STATE ? '1e-3' : 'None'}, float momentum=0, float dampening=0, float weight_decay=0, bool nesterov=False`;
const SGD_KEYWORD_ONLY = `bool maximize=False, bool? foreach=None, bool differentiable=False${TORCH2_NO_PLAIN_STATE ? ', bool? fused=None' : ''}`;
const sgdArgs = new PythonArgParser([`SGD(Any params, ${SGD_HYPER}, *, ${SGD_KEYWORD_ONLY})`], PYTHON_DEF);

/**
 * Stochastic gradient descent, with optional momentum (PyTorch's form:
 * v = mu*v + g; p = p - lr*v), Nesterov momentum and L2 weight decay.
 */
export class SGD extends Optimizer {
  /** Python's SGD(params, lr=required, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False, foreach=None, differentiable=False). */
  constructor(params: ParamsInput, options: SGDOptions);
  constructor(params: ParamsInput, lr: number, momentum?: number, dampening?: number, weight_decay?: number, nesterov?: boolean, options?: Partial<SGDOptions>);
  constructor(...args: unknown[]) {
    const bound = sgdArgs.parseNamed(args);
    const { params, lr, momentum, dampening, weight_decay, nesterov, maximize, foreach, differentiable, fused } = bound as unknown as Required<SGDOptions> & { params: ParamsInput; lr: number | null; fused?: boolean | null };
    unsupported('SGD', 'differentiable', differentiable, 'torchts steps optimizers under no_grad');
    unsupported('SGD', 'fused', fused, 'the fused kernels are for CUDA');
    if (lr !== null) checkHyper(lr >= 0, `Invalid learning rate: ${lr}`);
    checkHyper(momentum >= 0, `Invalid momentum value: ${momentum}`);
    checkHyper(weight_decay >= 0, `Invalid weight_decay value: ${weight_decay}`);
    if (nesterov && (momentum <= 0 || dampening !== 0)) throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
    const defaults = { lr: lr ?? required, momentum, dampening, weight_decay, nesterov, maximize, foreach, differentiable };
    super(params, TORCH2_NO_PLAIN_STATE ? { ...defaults, fused } : defaults, `${SGD_HYPER}, ${SGD_KEYWORD_ONLY}`);
  }

  /** Hyperparameters as tensors of the buffers' dtype (see _scalar_operands.ts). */
  private readonly operands = new ScalarOperands();

  /** v as the operand of an in-place op on t: a 0-dim tensor of t's dtype where that gives the same bits, else the number. */
  private numberOperand(v: number, t: Tensor): Tensor | number {
    const type = stateDtype(t);
    return type ? this.operands.of(v, type) : v;
  }

  protected updateGroup(group: ParamGroup): void {
    const { lr, momentum, dampening, weight_decay, nesterov, maximize } = group;
    for (const param of group.params) {
      const grad = param.grad;
      if (grad === null) continue;
      // Python 1.13 records a momentum_buffer for every stepped parameter,
      // None without momentum; 2.x keeps no state without momentum.
      const state = momentum === 0 && TORCH2_NO_PLAIN_STATE ? null : this.stateOf(param);
      let buf: Tensor | null = state?.momentum_buffer ?? null;
      let d_p: Tensor = maximize ? grad.neg() : grad;
      if (weight_decay !== 0) d_p = d_p.add(param, { alpha: weight_decay });
      if (momentum !== 0) {
        // State outlives the step even when the step runs in torch.scope().
        if (buf === null) buf = keep(_C.detach(_C.clone(d_p)) as Tensor);
        else buf.mul_(this.numberOperand(momentum, buf)).add_(d_p, { alpha: 1 - dampening });
        d_p = nesterov ? d_p.add(buf!, { alpha: momentum }) : buf!;
      }
      if (state !== null) state.momentum_buffer = buf;
      param.add_(d_p, { alpha: -lr });
    }
  }
}
