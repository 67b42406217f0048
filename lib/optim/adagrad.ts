// optim.Adagrad, after torch/optim/adagrad.py (_single_tensor_adagrad, the
// path PyTorch takes on the CPU), op for op with the hyperparameters as
// number operands, sparse gradients included. The update is the same in 1.13
// and 2.x; 2.x adds differentiable and fused to the hyperparameters.
import { PYTHON_DEF, PythonArgParser } from '../_arg_parser';
import type { PyArgs } from '../nn/modules/utils';
import { aten } from '../aten';
import { empty_like, full_like, tensor, zeros_like } from '../factories';
import { native } from '../native';
import { keep } from '../scope';
import { libtorchAtLeast } from '../_libtorch_version';
import type { Tensor } from '../tensor';
import { Optimizer, _get_scalar_dtype, checkHyper, isSparse, unsupported, viewAsReal, type ParamGroup, type ParamsInput } from './optimizer';

export interface AdagradOptions {
  lr?: number;
  lr_decay?: number;
  weight_decay?: number;
  initial_accumulator_value?: number;
  eps?: number;
  /** Accepted as Python's hint; the numbers are the single-tensor algorithm's either way. */
  foreach?: boolean | null;
  maximize?: boolean;
  /** PyTorch 2 only: torchts steps optimizers under no_grad. */
  differentiable?: boolean;
  /** PyTorch 2 only: torchts runs the single-tensor algorithm, not the fused kernel. */
  fused?: boolean | null;
}

/** PyTorch 2's Adagrad: differentiable and fused among the hyperparameters. */
const TORCH2 = libtorchAtLeast(2);

type AdagradPositionals = [lr: number, lr_decay: number, weight_decay: number, initial_accumulator_value: number, eps: number, foreach: boolean | null];

const ADAGRAD_HYPER = 'float lr=1e-2, float lr_decay=0, float weight_decay=0, float initial_accumulator_value=0, float eps=1e-10, bool? foreach=None';
const ADAGRAD_KEYWORD_ONLY = TORCH2 ? 'bool maximize=False, bool differentiable=False, bool? fused=None' : 'bool maximize=False';
const adagradArgs = new PythonArgParser([`Adagrad(Any params, ${ADAGRAD_HYPER}, *, ${ADAGRAD_KEYWORD_ONLY})`], PYTHON_DEF);

// torch.sparse_coo_tensor(indices, values, size) without its argument checks:
// the indices and size come from a gradient that libtorch already made.
const sparseCooTensor = aten('_sparse_coo_tensor_with_dims_and_tensors');
const SPARSE_COO = 1;

/**
 * A sparse tensor shaped like grad holding `values` at `grad_indices`
 * (adagrad.py's _make_sparse); an empty one when there is nothing to hold.
 */
export function _make_sparse(grad: Tensor, grad_indices: Tensor, values: Tensor): Tensor {
  if (grad_indices.numel() === 0 || values.numel() === 0) return empty_like(grad);
  return sparseCooTensor(grad_indices.size(0), values.dim() - 1, [...grad.shape], grad_indices, values, values.dtype._code, SPARSE_COO, native.device(values), false);
}

/**
 * Adagrad (Duchi et al., 2011): each element's step is scaled by the root of
 * its accumulated squared gradients, with a decaying learning rate.
 *
 *     clr = lr / (1 + (t - 1) * lr_decay)
 *     sum = sum + g^2
 *     p = p - clr * g / (sqrt(sum) + eps)
 *
 * with g = -grad under maximize, plus weight_decay * p (L2) when set. Sparse
 * gradients update only the rows they hold (no weight_decay with them).
 * State per parameter, made by the constructor: step (a 0-dim tensor of
 * the default float dtype) and sum (filled with initial_accumulator_value).
 */
export class Adagrad extends Optimizer {
  /** Python's Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, foreach=None, *, maximize=False) (2.x: and differentiable=False, fused=None). */
  constructor(params: ParamsInput, ...args: PyArgs<[], AdagradPositionals, AdagradOptions>);
  constructor(...args: unknown[]) {
    const o = adagradArgs.parseNamed(args) as unknown as Required<AdagradOptions> & { params: ParamsInput };
    const { lr, lr_decay, weight_decay, initial_accumulator_value, eps, foreach, maximize, differentiable, fused } = o;
    checkHyper(lr >= 0, `Invalid learning rate: ${lr}`);
    checkHyper(lr_decay >= 0, `Invalid lr_decay value: ${lr_decay}`);
    checkHyper(weight_decay >= 0, `Invalid weight_decay value: ${weight_decay}`);
    checkHyper(initial_accumulator_value >= 0, `Invalid initial_accumulator_value value: ${initial_accumulator_value}`);
    checkHyper(eps >= 0, `Invalid epsilon value: ${eps}`);
    unsupported('Adagrad', 'differentiable', differentiable, 'torchts steps optimizers under no_grad');
    unsupported('Adagrad', 'fused', fused, 'torchts runs the single-tensor algorithm, not the fused kernel');
    const defaults = { lr, lr_decay, eps, weight_decay, initial_accumulator_value, foreach, maximize };
    super(o.params, TORCH2 ? { ...defaults, differentiable, fused } : defaults, `${ADAGRAD_HYPER}, ${ADAGRAD_KEYWORD_ONLY}`);
    // Python makes every parameter's state up front, so state_dict() has it before the first step.
    for (const group of this.param_groups) for (const p of group.params) this.initState(p, group);
  }

  private initState(p: Tensor, group: ParamGroup): Record<string, any> {
    const state = this.stateOf(p);
    // State outlives the step even when the step runs in torch.scope().
    state.step = keep(tensor(0.0, { dtype: _get_scalar_dtype() }));
    // A complex parameter's accumulator starts at complex(v, v): it is two real ones.
    state.sum = keep(p.is_complex() ? zeros_like(p) : full_like(p, group.initial_accumulator_value));
    if (p.is_complex()) viewAsReal(state.sum).fill_(group.initial_accumulator_value);
    return state;
  }

  /** What a state_dict saved by an older PyTorch lacks, filled in as Python's __setstate__ does. */
  protected override __setstate__(): void {
    this.setGroupDefaults(TORCH2 ? { foreach: null, maximize: false, differentiable: false, fused: null } : { foreach: null, maximize: false });
    // (2.x too looks at the first state only.)
    this.tensorizeState('step');
  }

  protected updateGroup(group: ParamGroup): void {
    const { lr, lr_decay, eps, weight_decay, maximize } = group;
    for (const param of group.params) {
      let grad = param.grad;
      if (grad === null) continue;
      // A group added after construction has no state in Python (a KeyError there); it starts afresh here.
      const state = this.state.get(param) ?? this.initState(param, group);
      const step_t: Tensor = state.step;
      const state_sum: Tensor = state.sum;
      step_t.add_(1);
      const step = step_t.item() as number;
      if (maximize) grad = grad.neg();
      if (weight_decay !== 0) {
        if (isSparse(grad)) throw new TypeError('weight_decay option is not compatible with sparse gradients');
        grad = grad.add(param, { alpha: weight_decay });
      }
      const clr = lr / (1 + (step - 1) * lr_decay);
      if (isSparse(grad)) {
        // The update is not linear in the gradient, so repeated indices are summed first.
        grad = grad.coalesce();
        const grad_indices = grad._indices();
        const grad_values = grad._values();
        state_sum.add_(_make_sparse(grad, grad_indices, grad_values.pow(2)));
        const std = state_sum.sparse_mask(grad);
        const std_values = std._values().sqrt_().add_(eps);
        param.add_(_make_sparse(grad, grad_indices, grad_values.div(std_values)), { alpha: -clr });
      } else {
        // A complex parameter is two real ones.
        const g = viewAsReal(grad);
        const sum = viewAsReal(state_sum);
        sum.addcmul_(g, g, { value: 1 });
        const std = sum.sqrt().add_(eps);
        viewAsReal(param).addcdiv_(g, std, { value: -clr });
      }
    }
  }
}
