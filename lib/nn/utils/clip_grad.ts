// Gradient clipping, after torch/nn/utils/clip_grad.py (1.13): the same ops
// in the same order (Python's `max_norm / t` is t.reciprocal() * max_norm),
// so the scaled gradients and the returned norm are Python's.
import * as T from '../../_generated/torch_functions';
import { pyFloatRepr } from '../../_pyformat';
import { describeValue } from '../../_options';
import { no_grad } from '../../autograd/grad_mode';
import { get_default_dtype } from '../../dtype';
import { tensor } from '../../factories';
import { norm } from '../../functional';
import { Tensor } from '../../tensor';
import { def_, type PyArgs } from '../modules/utils';

/** A Tensor or an iterable of Tensors (Python's _tensor_or_tensors), e.g. model.parameters(). */
export type TensorOrTensors = Tensor | Iterable<Tensor>;

/** Python's `[parameters] if isinstance(parameters, torch.Tensor) else parameters`, each checked. */
export function _tensorList(fn: string, parameters: unknown): Tensor[] {
  if (parameters instanceof Tensor) return [parameters];
  if (parameters === null || typeof parameters !== 'object' || typeof (parameters as any)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${fn}(): argument 'parameters' must be a Tensor or an iterable of Tensors, not ${describeValue(parameters)}`);
  }
  const out = [...(parameters as Iterable<unknown>)];
  out.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`${fn}(): argument 'parameters' must hold Tensors, but element ${i} is ${describeValue(p)}`);
  });
  return out as Tensor[];
}

export interface ClipGradNormKwargs {
  parameters: TensorOrTensors;
  max_norm: number;
  norm_type?: number;
  error_if_nonfinite?: boolean;
  foreach?: boolean | null;
}

type ClipGradNormArgs = PyArgs<[parameters: TensorOrTensors, max_norm: number], [norm_type: number, error_if_nonfinite: boolean, foreach: boolean | null], ClipGradNormKwargs>;

const clipGradNormArgs = def_<Required<ClipGradNormKwargs>>(
  'clip_grad_norm_(Any parameters, float max_norm, float norm_type=2.0, bool error_if_nonfinite=False, bool? foreach=None)',
);
const clipGradNormDeprecatedArgs = def_<Required<ClipGradNormKwargs>>(
  'clip_grad_norm(Any parameters, float max_norm, float norm_type=2.0, bool error_if_nonfinite=False, bool? foreach=None)',
);

function clipGradNorm(fn: string, a: Required<ClipGradNormKwargs>): Tensor {
  const grads = _tensorList(fn, a.parameters).map((p) => p.grad).filter((g): g is Tensor => g !== null);
  const { max_norm, norm_type, error_if_nonfinite, foreach } = a;
  // Python's torch.tensor(0.): the default float dtype (a JS 0.0 alone would be an int).
  if (grads.length === 0) return tensor(0, { dtype: get_default_dtype() });
  // PyTorch 2's foreach= picks the fused _foreach kernels, which (as there)
  // exist only for CUDA tensors; None and False are the per-tensor loop below.
  if (foreach === true && grads.some((g) => g.device.type === 'cpu')) {
    throw new RangeError(`${fn}(): foreach=True was passed, but can't use the foreach API on cpu tensors`);
  }
  const device = grads[0].device;
  return no_grad(() => {
    let total: Tensor;
    if (norm_type === Infinity) {
      const norms = grads.map((g) => g.detach().abs().max().to(device));
      total = norms.length === 1 ? norms[0] : T.max(T.stack(norms));
    } else {
      total = norm(T.stack(grads.map((g) => norm(g.detach(), norm_type).to(device))), norm_type);
    }
    if (error_if_nonfinite && !Number.isFinite(total.item() as number)) {
      throw new RangeError(
        `${fn}(): The total norm of order ${pyFloatRepr(norm_type)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. ` +
          'To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`',
      );
    }
    // Python's float / Tensor is Tensor.__rtruediv__: reciprocal, then multiply.
    const coef = total.add(1e-6).reciprocal().mul(max_norm);
    const clamped = T.clamp(coef, null, 1.0);
    for (const g of grads) g.detach().mul_(clamped.to(g.device));
    return total;
  });
}

/**
 * Scales the gradients of parameters in place so that their total norm,
 * ‖(‖g_1‖_p, ..., ‖g_n‖_p)‖_p over every gradient together, is at most
 * max_norm: each g becomes g · min(1, max_norm / (total + 1e-6)).
 * norm_type may be Infinity (the largest absolute value). Returns the total
 * norm before clipping, a 0-d tensor. Python's clip_grad_norm_(parameters,
 * max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None) (foreach from PyTorch 2).
 */
export function clip_grad_norm_(...args: ClipGradNormArgs): Tensor;
export function clip_grad_norm_(...args: unknown[]): Tensor {
  return clipGradNorm('clip_grad_norm_', clipGradNormArgs(args));
}

/** Deprecated: clip_grad_norm_ with Python's warning. Python's clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False). */
export function clip_grad_norm(...args: ClipGradNormArgs): Tensor;
export function clip_grad_norm(...args: unknown[]): Tensor {
  const a = clipGradNormDeprecatedArgs(args);
  process.emitWarning('torch.nn.utils.clip_grad_norm is now deprecated in favor of torch.nn.utils.clip_grad_norm_.', 'UserWarning');
  return clipGradNorm('clip_grad_norm', a);
}

export interface ClipGradValueKwargs {
  parameters: TensorOrTensors;
  clip_value: number;
  foreach?: boolean | null;
}

const clipGradValueArgs = def_<Required<ClipGradValueKwargs>>('clip_grad_value_(Any parameters, float clip_value, bool? foreach=None)');

/**
 * Clamps every gradient of parameters, in place, to [-clip_value, clip_value].
 * Python's clip_grad_value_(parameters, clip_value, foreach=None) (foreach from PyTorch 2).
 */
export function clip_grad_value_(...args: PyArgs<[parameters: TensorOrTensors, clip_value: number], [foreach: boolean | null], ClipGradValueKwargs>): void;
export function clip_grad_value_(...args: unknown[]): void {
  const { parameters, clip_value, foreach } = clipGradValueArgs(args);
  const params = _tensorList('clip_grad_value_', parameters);
  if (foreach === true && params.some((p) => p.grad !== null && p.grad.device.type === 'cpu')) {
    throw new RangeError("clip_grad_value_(): foreach=True was passed, but can't use the foreach API on cpu tensors");
  }
  no_grad(() => {
    for (const p of params) if (p.grad !== null) p.grad.detach().clamp_(-clip_value, clip_value);
  });
}
