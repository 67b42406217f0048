// optim.Adam and optim.AdamW, after torch/optim/adam.py and adamw.py
// (_single_tensor_adam(w), the default path), in their op order, of the
// PyTorch whose libtorch is loaded: 1.13 moves the first moment with
// mul_(beta1).add_(grad, alpha=1 - beta1), 2.x with lerp_(grad, 1 - beta1),
// and the two differ in the last bits from a few steps on.
// The bias corrections use the C library's pow, as Python's ** does.
import { PYTHON_DEF, PythonArgParser } from '../_arg_parser';
import type { PyArgs } from '../nn/modules/utils';
import { _C } from '../_C';
import type { dtype } from '../dtype';
import { tensor, zeros_like } from '../factories';
import { keep } from '../scope';
import { native } from '../native';
import { libtorchAtLeast } from '../_libtorch_version';
import type { Tensor } from '../tensor';
import { Optimizer, _get_scalar_dtype, checkHyper, unsupported, type ParamGroup, type ParamsInput } from './optimizer';
import { ScalarOperands, sharedCpuFloatDtype, sharedStateDtype } from './_scalar_operands';

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weight_decay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
  /** Accepted as Python's hint; the numbers are the single-tensor algorithm's either way. */
  foreach?: boolean | null;
  capturable?: boolean;
  differentiable?: boolean;
  fused?: boolean;
  /** PyTorch 2.14's Adam only: AdamW's decay, the weights scaled by 1 - lr * weight_decay, instead of L2 in the gradient. */
  decoupled_weight_decay?: boolean;
}

export type AdamWOptions = Omit<AdamOptions, 'differentiable' | 'fused' | 'decoupled_weight_decay'>;

/** PyTorch 2's _single_tensor_adam(w): the first moment by lerp_, and bias_correction2 ** 0.5. */
const TORCH2_ALGORITHM = libtorchAtLeast(2);
/**
 * 2.14's Adam takes decoupled_weight_decay (AdamW is Adam with it true) and
 * keeps it in each param group, AdamW's too; the update is the same ops.
 * Measured on 2.14 and absent from 2.6; the versions between follow 2.6 here.
 */
const DECOUPLED_OPTION = libtorchAtLeast(2, 14);

const adamHyper = (weight_decay: string) => `float lr=1e-3, float[] betas=[0.9, 0.999], float eps=1e-8, float weight_decay=${weight_decay}, bool amsgrad=False`;
// (2.x: fused=None, and AdamW takes differentiable and fused as Adam does)
const ADAM_KEYWORD_ONLY = `bool? foreach=None, bool maximize=False, bool capturable=False, bool differentiable=False, ${TORCH2_ALGORITHM ? 'bool? fused=None' : 'bool fused=False'}${DECOUPLED_OPTION ? ', bool decoupled_weight_decay=False' : ''}`;
const ADAMW_KEYWORD_ONLY = `bool maximize=False, bool? foreach=None, bool capturable=False${TORCH2_ALGORITHM ? ', bool differentiable=False, bool? fused=None' : ''}`;
const adamArgs = new PythonArgParser([`Adam(Any params, ${adamHyper('0')}, *, ${ADAM_KEYWORD_ONLY})`], PYTHON_DEF);
const adamWArgs = new PythonArgParser([`AdamW(Any params, ${adamHyper('1e-2')}, *, ${ADAMW_KEYWORD_ONLY})`], PYTHON_DEF);

type AdamPositionals = [lr: number, betas: [number, number], eps: number, weight_decay: number, amsgrad: boolean];

function checkFlags(name: string, o: AdamOptions): void {
  unsupported(name, 'capturable', o.capturable, 'it is for CUDA graphs, which torchts does not capture');
  unsupported(name, 'differentiable', o.differentiable, 'torchts steps optimizers under no_grad');
  unsupported(name, 'fused', o.fused, "Python 1.13's fused Adam is CUDA-only");
}

function checkAdam(lr: number, betas: [number, number], eps: number, weight_decay: number): void {
  checkHyper(typeof lr === 'number' && lr >= 0, `Invalid learning rate: ${lr}`);
  checkHyper(eps >= 0, `Invalid epsilon value: ${eps}`);
  if (!Array.isArray(betas) || betas.length !== 2) throw new TypeError('betas must be a pair of numbers');
  checkHyper(betas[0] >= 0 && betas[0] < 1, `Invalid beta parameter at index 0: ${betas[0]}`);
  checkHyper(betas[1] >= 0 && betas[1] < 1, `Invalid beta parameter at index 1: ${betas[1]}`);
  checkHyper(weight_decay >= 0, `Invalid weight_decay value: ${weight_decay}`);
}

/** The update Adam and AdamW share; they differ in how weight decay enters. */
abstract class AdamFamily extends Optimizer {
  /** AdamW decays the weights directly instead of adding to the gradient. */
  protected abstract get decoupledWeightDecay(): boolean;

  /** Whether a group's weights decay directly: its own decoupled_weight_decay (2.14), else the class's way. */
  private decoupledIn(group: ParamGroup): boolean {
    return (group.decoupled_weight_decay as boolean | undefined) ?? this.decoupledWeightDecay;
  }

  /** What a state_dict saved by an older PyTorch lacks, filled in as Python 2.14's __setstate__ does (AdamW's always decoupled). */
  protected override __setstate__(): void {
    if (!DECOUPLED_OPTION) return;
    if (this.decoupledWeightDecay) for (const group of this.param_groups) group.decoupled_weight_decay = true;
    else this.setGroupDefaults({ decoupled_weight_decay: false });
  }

  /** Hyperparameters as tensors of the parameters' dtype (see _scalar_operands.ts). */
  private readonly operands = new ScalarOperands();

  /**
   * PyTorch's _single_tensor_adam(w), op for op, with each op applied to the
   * whole group by one ATen _foreach_ call: on the CPU a _foreach_ op runs the
   * same kernel on each tensor, so the numbers are the single-tensor path's,
   * for one native call per op instead of one per op and parameter.
   */
  protected updateGroup(group: ParamGroup): void {
    const { lr, eps, weight_decay, amsgrad, maximize } = group;
    const [beta1, beta2] = group.betas as [number, number];
    // One pass builds every list; the step runs once per batch, so it makes
    // no closures and no intermediate arrays.
    const params: Tensor[] = [];
    const gradHandles: Tensor[] = [];
    const steps: Tensor[] = [];
    const exp_avgs: Tensor[] = [];
    const exp_avg_sqs: Tensor[] = [];
    const max_exp_avg_sqs: Tensor[] = [];
    for (const p of group.params) {
      const g = p.grad;
      if (g === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        // State outlives the step even when the step runs in torch.scope().
        state.step = keep(tensor(0.0, { dtype: _get_scalar_dtype() }));
        state.exp_avg = keep(zeros_like(p));
        state.exp_avg_sq = keep(zeros_like(p));
        if (amsgrad) state.max_exp_avg_sq = keep(zeros_like(p));
      }
      params.push(p);
      gradHandles.push(g);
      steps.push(state.step);
      exp_avgs.push(state.exp_avg);
      exp_avg_sqs.push(state.exp_avg_sq);
      if (amsgrad) max_exp_avg_sqs.push(state.max_exp_avg_sq);
    }
    if (params.length === 0) return;
    // A number multiplies or offsets a tensor in that tensor's dtype, so the
    // moments' dtype decides (denom is made from exp_avg_sq).
    const avgType = sharedStateDtype(exp_avgs);
    const momentType = avgType !== null && sharedStateDtype(exp_avg_sqs) === avgType ? avgType : null;

    if (TORCH2_ALGORITHM && (momentType === null || sharedCpuFloatDtype(params) === null)) {
      // Outside float32/float64, PyTorch 2's _foreach_ ops with a number
      // operand round it to the tensors' dtype first, where the
      // single-tensor ops compute in float32: the reference, one tensor at a time.
      this.singleTensorAdam2(group, params, gradHandles, steps, exp_avgs, exp_avg_sqs, max_exp_avg_sqs);
      for (const t of gradHandles) t.dispose();
      return;
    }

    let grads = gradHandles;
    if (maximize) grads = _C._foreach_neg(grads);
    this.addNumber_(steps, 1, sharedStateDtype(steps));
    // Parameters can change dtype in place (module.double()), so they are looked at every time.
    if (this.decoupledIn(group)) this.mulNumber_(params, 1 - lr * weight_decay, sharedCpuFloatDtype(params));
    else if (weight_decay !== 0) grads = _C._foreach_add_list(grads, params, weight_decay);
    if (TORCH2_ALGORITHM) {
      // exp_avg.lerp_(grad, 1 - beta1), as 2.x's _single_tensor_adam(w) (no _foreach_lerp_ in 1.13 to batch it).
      for (let i = 0; i < exp_avgs.length; i++) _C.lerp_(exp_avgs[i], grads[i], 1 - beta1);
    } else {
      this.mulNumber_(exp_avgs, beta1, momentType);
      _C._foreach_add_list_(exp_avgs, grads, 1 - beta1);
    }
    this.mulNumber_(exp_avg_sqs, beta2, momentType);
    _C._foreach_addcmul_scalar_(exp_avg_sqs, grads, grads, 1 - beta2);
    const step_sizes: number[] = [];
    const bias_correction2_sqrts: number[] = [];
    // The parameters of a group usually share their step count: work the
    // bias corrections out once per distinct count.
    let lastStep = NaN;
    let step_size = 0;
    let bias_correction2_sqrt = 0;
    for (const step_t of steps) {
      const step = _C.item(step_t) as number;
      if (step !== lastStep) {
        const bias_correction1 = 1 - native.libmPow(beta1, step);
        const bias_correction2 = 1 - native.libmPow(beta2, step);
        step_size = -(lr / bias_correction1);
        bias_correction2_sqrt = TORCH2_ALGORITHM ? native.libmPow(bias_correction2, 0.5) : Math.sqrt(bias_correction2);
        lastStep = step;
      }
      step_sizes.push(step_size);
      bias_correction2_sqrts.push(bias_correction2_sqrt);
    }
    let second: Tensor[] = exp_avg_sqs;
    let denomType = momentType;
    if (amsgrad) {
      for (let i = 0; i < max_exp_avg_sqs.length; i++) _C.maximum_out(max_exp_avg_sqs[i], exp_avg_sqs[i], max_exp_avg_sqs[i]);
      second = max_exp_avg_sqs;
      if (sharedStateDtype(max_exp_avg_sqs) !== momentType) denomType = null;
    }
    const denom: Tensor[] = _C._foreach_sqrt(second);
    this.divNumbers_(denom, bias_correction2_sqrts, denomType);
    this.addNumber_(denom, eps, denomType);
    _C._foreach_addcdiv_scalarlist_(params, exp_avgs, denom, step_sizes);
    // Free this step's temporaries now, as C++ and Python do by reference
    // counting, so the next step reuses warm memory instead of waiting for GC.
    // (Disposing a handle on a gradient only drops this handle.)
    for (const t of denom) t.dispose();
    for (const t of gradHandles) t.dispose();
    if (grads !== gradHandles) for (const t of grads) t.dispose();
  }

  /** PyTorch 2's _single_tensor_adam(w) as written, each op on one tensor with Python's number operands. */
  private singleTensorAdam2(group: ParamGroup, params: Tensor[], grads: Tensor[], steps: Tensor[], exp_avgs: Tensor[], exp_avg_sqs: Tensor[], max_exp_avg_sqs: Tensor[]): void {
    const { lr, eps, weight_decay, amsgrad, maximize } = group;
    const [beta1, beta2] = group.betas as [number, number];
    for (let i = 0; i < params.length; i++) {
      const param = params[i];
      let grad = maximize ? _C.neg(grads[i]) : grads[i];
      const [exp_avg, exp_avg_sq, step_t] = [exp_avgs[i], exp_avg_sqs[i], steps[i]];
      _C.add_(step_t, 1);
      if (this.decoupledIn(group)) _C.mul_(param, 1 - lr * weight_decay);
      else if (weight_decay !== 0) grad = _C.add(grad, param, weight_decay);
      _C.lerp_(exp_avg, grad, 1 - beta1);
      _C.addcmul_(_C.mul_(exp_avg_sq, beta2), grad, grad, 1 - beta2);
      const step = _C.item(step_t) as number;
      const bias_correction1 = 1 - native.libmPow(beta1, step);
      const bias_correction2 = 1 - native.libmPow(beta2, step);
      const step_size = lr / bias_correction1;
      const bias_correction2_sqrt = native.libmPow(bias_correction2, 0.5);
      let second = exp_avg_sq;
      if (amsgrad) {
        _C.maximum_out(max_exp_avg_sqs[i], exp_avg_sq, max_exp_avg_sqs[i]);
        second = max_exp_avg_sqs[i];
      }
      const root = _C.sqrt(second);
      const denom = _C.add_(_C.div(root, bias_correction2_sqrt), eps);
      _C.addcdiv_(param, exp_avg, denom, -step_size);
      root.dispose();
      denom.dispose();
      if (grad !== grads[i]) grad.dispose();
    }
  }

  /**
   * x.add_(v) for every tensor of xs, with v as a tensor of their dtype where
   * that gives the same bits (see _scalar_operands.ts), else as a number.
   */
  private addNumber_(xs: Tensor[], v: number, type: dtype | null): void {
    if (type) _C._foreach_add_list_(xs, this.operands.list(v, type, xs.length));
    else _C._foreach_add_scalar_(xs, v);
  }

  /**
   * xs[i].div_(vs[i]): when the divisors are one number (the parameters
   * share their step count), as one tensor of their dtype, refilled each
   * step, as addNumber_ does for constants.
   */
  private divNumbers_(xs: Tensor[], vs: number[], type: dtype | null): void {
    let same = type !== null;
    for (let i = 1; same && i < vs.length; i++) same = Object.is(vs[i], vs[0]);
    if (same) _C._foreach_div_list_(xs, this.operands.refilled('divisor', vs[0], type as dtype, xs.length));
    else _C._foreach_div_scalarlist_(xs, vs);
  }

  /** x.mul_(v) for every tensor of xs, as addNumber_. */
  private mulNumber_(xs: Tensor[], v: number, type: dtype | null): void {
    if (type) _C._foreach_mul_list_(xs, this.operands.list(v, type, xs.length));
    else _C._foreach_mul_scalar_(xs, v);
  }
}

/** Adam: moment estimates m, v with bias correction; L2 weight decay folded into the gradient. */
export class Adam extends AdamFamily {
  protected get decoupledWeightDecay(): boolean {
    return false;
  }

  /** Python's Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *, foreach=None, maximize=False, capturable=False, differentiable=False, fused=False). */
  constructor(params: ParamsInput, ...args: PyArgs<[], AdamPositionals, AdamOptions>);
  constructor(...args: unknown[]) {
    const o = adamArgs.parseNamed(args) as unknown as Required<AdamOptions> & { params: ParamsInput };
    const { lr, betas, eps, weight_decay, amsgrad, maximize, foreach, capturable, differentiable, fused, decoupled_weight_decay } = o;
    checkAdam(lr, betas, eps, weight_decay);
    checkFlags('Adam', o);
    const defaults = { lr, betas: [...betas], eps, weight_decay, amsgrad, maximize, foreach, capturable, differentiable, fused };
    super(o.params, DECOUPLED_OPTION ? { ...defaults, decoupled_weight_decay } : defaults, `${adamHyper('0')}, ${ADAM_KEYWORD_ONLY}`);
  }
}

/** AdamW: Adam with decoupled weight decay (p = p * (1 - lr * wd) before the update). */
export class AdamW extends AdamFamily {
  protected get decoupledWeightDecay(): boolean {
    return true;
  }

  /** Python's AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *, maximize=False, foreach=None, capturable=False). */
  constructor(params: ParamsInput, ...args: PyArgs<[], AdamPositionals, AdamWOptions>);
  constructor(...args: unknown[]) {
    const o = adamWArgs.parseNamed(args) as unknown as Required<AdamWOptions> & { params: ParamsInput };
    const { lr, betas, eps, weight_decay, amsgrad, maximize, foreach, capturable } = o;
    checkAdam(lr, betas as [number, number], eps, weight_decay);
    checkFlags('AdamW', o);
    // Python 1.13's AdamW keeps fewer defaults than Adam (no differentiable, no fused); 2.x's the same.
    const { differentiable, fused } = o as AdamOptions;
    const defaults = { lr, betas: [...betas], eps, weight_decay, amsgrad, foreach, maximize, capturable };
    const torch2 = { ...defaults, differentiable, fused };
    super(o.params, DECOUPLED_OPTION ? { ...torch2, decoupled_weight_decay: true } : TORCH2_ALGORITHM ? torch2 : defaults, `${adamHyper('1e-2')}, ${ADAMW_KEYWORD_ONLY}`);
  }
}
