// optim.SparseAdam, after torch/optim/sparse_adam.py and _functional.py's
// sparse_adam, op for op: only the rows a sparse gradient holds are read and
// written. The update is the same in 1.13 and 2.x but that 2.x skips a
// gradient that holds no values; 2.x looks for sparse (and complex)
// parameters in the param groups it made, naming each by [group, index].
import { PYTHON_DEF, PythonArgParser } from '../_arg_parser';
import type { PyArgs } from '../nn/modules/utils';
import { zeros_like } from '../factories';
import { native } from '../native';
import { keep } from '../scope';
import { libtorchAtLeast } from '../_libtorch_version';
import { Tensor } from '../tensor';
import { Optimizer, checkBetas, checkHyper, isSparse, type ParamGroup, type ParamsInput } from './optimizer';
import { _make_sparse } from './adagrad';

export interface SparseAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  maximize?: boolean;
}

type SparseAdamPositionals = [lr: number, betas: [number, number], eps: number, maximize: boolean];

const SPARSE_ADAM_SIGNATURE = 'float lr=1e-3, float[] betas=[0.9, 0.999], float eps=1e-8, bool maximize=False';
const sparseAdamArgs = new PythonArgParser([`SparseAdam(Any params, ${SPARSE_ADAM_SIGNATURE})`], PYTHON_DEF);

/** PyTorch 2's SparseAdam: parameters checked in the param groups, no complex ones, empty gradients skipped. */
const TORCH2 = libtorchAtLeast(2);

/** Python 1.13's error for sparse parameters, before the groups are made: their indices, [group, index] inside groups. */
function refuseSparseParams(params: unknown): void {
  if (params === null || typeof params !== 'object' || typeof (params as any)[Symbol.iterator] !== 'function' || params instanceof Tensor) return;
  const found: (number | number[])[] = [];
  [...(params as Iterable<any>)].forEach((param, index) => {
    if (param instanceof Tensor) {
      if (isSparse(param)) found.push(index);
    } else if (param && typeof param === 'object') {
      const inner = param.params instanceof Tensor ? [param.params] : [...(param.params ?? [])];
      inner.forEach((p: unknown, d_index: number) => {
        if (p instanceof Tensor && isSparse(p)) found.push([index, d_index]);
      });
    }
  });
  if (found.length > 0) {
    const shown = found.map((f) => (Array.isArray(f) ? `[${f.join(', ')}]` : String(f))).join(', ');
    throw new RangeError(`Sparse params at indices [${shown}]: SparseAdam requires dense parameter tensors`);
  }
}

/** Python 2's errors for sparse and for complex parameters, found in the param groups: [group, index] each. */
function refuseGroupParams(param_groups: ParamGroup[]): void {
  const sparse_params: string[] = [];
  const complex_params: string[] = [];
  param_groups.forEach((group, index) => {
    group.params.forEach((d_param, d_index) => {
      if (isSparse(d_param)) sparse_params.push(`[${index}, ${d_index}]`);
      if (d_param.is_complex()) complex_params.push(`[${index}, ${d_index}]`);
    });
  });
  if (sparse_params.length > 0) throw new RangeError(`Sparse params at indices [${sparse_params.join(', ')}]: SparseAdam requires dense parameter tensors`);
  if (complex_params.length > 0) throw new RangeError(`Complex params at indices [${complex_params.join(', ')}]: SparseAdam does not support complex parameters`);
}

/**
 * The lazy Adam of sparse gradients (an nn.Embedding with sparse=True): the
 * moments and the parameter move only in the rows the gradient holds, with
 * Adam's update there.
 *
 *     on the rows of g:  m += (1 - beta1) * (g - m);  v += (1 - beta2) * (g^2 - v)
 *                        p -= lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + eps)
 *
 * with g = -grad under maximize. Dense gradients are refused (Adam is for
 * them). State per parameter: step (an int), exp_avg (m), exp_avg_sq (v).
 */
export class SparseAdam extends Optimizer {
  /** Python's SparseAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, maximize=False). */
  constructor(params: ParamsInput, ...args: PyArgs<[], SparseAdamPositionals, SparseAdamOptions>);
  constructor(...args: unknown[]) {
    const o = sparseAdamArgs.parseNamed(args) as unknown as Required<SparseAdamOptions> & { params: ParamsInput };
    const { lr, betas, eps, maximize } = o;
    checkHyper(lr > 0, `Invalid learning rate: ${lr}`);
    checkHyper(eps > 0, `Invalid epsilon value: ${eps}`);
    checkBetas('SparseAdam', betas);
    // Python lists the params once (a generator is read here and only here).
    const params = o.params !== null && typeof o.params === 'object' && !(o.params instanceof Tensor) && typeof (o.params as any)[Symbol.iterator] === 'function' ? [...(o.params as Iterable<any>)] : o.params;
    if (!TORCH2) refuseSparseParams(params);
    super(params as ParamsInput, { lr, betas: [...betas], eps, maximize }, SPARSE_ADAM_SIGNATURE);
    if (TORCH2) refuseGroupParams(this.param_groups);
  }

  protected updateGroup(group: ParamGroup): void {
    const { lr, eps } = group;
    const maximize = group.maximize ?? false;
    const [beta1, beta2] = group.betas as [number, number];
    // Python gathers (and checks) every gradient before it updates any parameter.
    const stepped: Tensor[] = [];
    for (const param of group.params) {
      const grad = param.grad;
      if (grad === null) continue;
      if (!isSparse(grad)) throw new TypeError('SparseAdam does not support dense gradients, please consider Adam instead');
      const state = this.stateOf(param);
      if (Object.keys(state).length === 0) {
        // State outlives the step even when the step runs in torch.scope().
        state.step = 0;
        state.exp_avg = keep(zeros_like(param));
        state.exp_avg_sq = keep(zeros_like(param));
      }
      state.step += 1;
      stepped.push(param);
    }
    for (const param of stepped) {
      const state = this.stateOf(param);
      let grad = param.grad as Tensor;
      if (maximize) grad = grad.neg();
      // The update is not linear in the gradient, so repeated indices are summed first.
      grad = grad.coalesce();
      const grad_indices = grad._indices();
      const grad_values = grad._values();
      // 2.x skips the update for an empty gradient (its step still counts).
      if (TORCH2 && grad_values.numel() === 0) continue;
      const exp_avg: Tensor = state.exp_avg;
      const exp_avg_sq: Tensor = state.exp_avg_sq;
      const step: number = state.step;
      const make_sparse = (values: Tensor) => _make_sparse(grad, grad_indices, values);

      // old <- b * old + (1 - b) * new, written as old += (1 - b) * (new - old) on the gradient's rows.
      const old_exp_avg_values = exp_avg.sparse_mask(grad)._values();
      const exp_avg_update_values = grad_values.sub(old_exp_avg_values).mul_(1 - beta1);
      exp_avg.add_(make_sparse(exp_avg_update_values));
      const old_exp_avg_sq_values = exp_avg_sq.sparse_mask(grad)._values();
      const exp_avg_sq_update_values = grad_values.pow(2).sub_(old_exp_avg_sq_values).mul_(1 - beta2);
      exp_avg_sq.add_(make_sparse(exp_avg_sq_update_values));

      // Python adds the old values back densely rather than masking again.
      const numer = exp_avg_update_values.add_(old_exp_avg_values);
      exp_avg_sq_update_values.add_(old_exp_avg_sq_values);
      const denom = exp_avg_sq_update_values.sqrt_().add_(eps);

      const bias_correction1 = 1 - native.libmPow(beta1, step);
      const bias_correction2 = 1 - native.libmPow(beta2, step);
      const step_size = (lr * Math.sqrt(bias_correction2)) / bias_correction1;
      // Python's `-step_size * tensor` multiplies the tensor by the number.
      param.add_(make_sparse(numer.div_(denom).mul(-step_size)));
    }
  }
}
