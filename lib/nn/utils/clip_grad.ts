// Gradient clipping, after torch/nn/utils/clip_grad.py of the PyTorch whose
// libtorch is loaded: the same ops in the same order (Python's
// `max_norm / t` is t.reciprocal() * max_norm), so the scaled gradients and
// the returned norm are Python's. 1.13 loops over the gradients; 2.x groups
// them by device and dtype and, where the device has foreach kernels (CPU
// and CUDA), calls _foreach_norm and _foreach_mul_ on each group (on CPU
// those loop over the same per-tensor kernels), takes a `foreach` option,
// and adds get_total_norm and clip_grads_with_norm_, the two halves of
// clip_grad_norm_.
import * as T from '../../_generated/torch_functions';
import { aten } from '../../aten';
import { LIBTORCH_VERSION, libtorchAtLeast } from '../../_libtorch_version';
import { pyFloatRepr } from '../../_pyformat';
import { describeValue } from '../../_options';
import { no_grad } from '../../autograd/grad_mode';
import { get_default_dtype } from '../../dtype';
import { tensor } from '../../factories';
import { norm } from '../../functional';
import { vector_norm } from '../../_generated/linalg';
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
  /** PyTorch 2 only (with libtorch 1.13, as in Python 1.13, an unexpected keyword). */
  foreach?: boolean | null;
}

type ClipGradNormArgs = PyArgs<[parameters: TensorOrTensors, max_norm: number], [norm_type: number, error_if_nonfinite: boolean, foreach: boolean | null], ClipGradNormKwargs>;

const TORCH2 = libtorchAtLeast(2);
// `foreach` joined these signatures in PyTorch 2.
const FOREACH_PARAM = TORCH2 ? ', bool? foreach=None' : '';
const clipGradNormArgs = def_<Required<ClipGradNormKwargs>>(
  `clip_grad_norm_(Any parameters, float max_norm, float norm_type=2.0, bool error_if_nonfinite=False${FOREACH_PARAM})`,
);
const clipGradNormDeprecatedArgs = def_<Required<ClipGradNormKwargs>>(
  `clip_grad_norm(Any parameters, float max_norm, float norm_type=2.0, bool error_if_nonfinite=False${FOREACH_PARAM})`,
);

// PyTorch 2's foreach kernels (their CPU versions loop over the per-tensor ones).
const FOREACH = TORCH2
  ? {
      norm: aten('_foreach_norm', 'Scalar') as (tensors: Tensor[], ord: number, dtype: null) => Tensor[],
      mulTensor_: aten('_foreach_mul_', 'Tensor') as (tensors: Tensor[], other: Tensor) => void,
      clampMin_: aten('_foreach_clamp_min_', 'Scalar') as (tensors: Tensor[], scalar: number) => void,
      clampMax_: aten('_foreach_clamp_max_', 'Scalar') as (tensors: Tensor[], scalar: number) => void,
    }
  : null;

/** torch.utils._foreach_utils._device_has_foreach_support: CUDA (and XPU and PrivateUse1, which torchts has not) and the CPU. */
function deviceHasForeachSupport(device: string): boolean {
  return device === 'cpu' || device === 'cuda';
}

/**
 * Python 2.x's _group_tensors_by_device_and_dtype for one list: the tensors of
 * each (device, dtype) in their order. Groups come in first-seen order;
 * Python's C++ grouping keeps them in a hash map, whose order can differ when
 * one call mixes devices or dtypes.
 */
function groupByDeviceAndDtype(tensors: Tensor[]): { device: string; tensors: Tensor[] }[] {
  const groups = new Map<string, { device: string; tensors: Tensor[] }>();
  for (const t of tensors) {
    const device = t.device.type;
    const key = `${t.device.toString()}|${t.dtype.toString()}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { device, tensors: [] }));
    group.tensors.push(t);
  }
  return [...groups.values()];
}

/** Whether a group takes the foreach path (Python 2.x), or throws where foreach=True cannot be had. */
function useForeach(fn: string, device: string, foreach: boolean | null): boolean {
  if (foreach === null) return deviceHasForeachSupport(device);
  if (foreach && !deviceHasForeachSupport(device)) {
    throw new Error(`${fn}(): foreach=True was passed, but can't use the foreach API on ${device} tensors`);
  }
  return foreach;
}

/** Python's RuntimeError when error_if_nonfinite finds a total norm of nan or inf. */
function nonfiniteError(fn: string, norm_type: number): Error {
  return new Error(
    `${fn}(): The total norm of order ${pyFloatRepr(norm_type)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. ` +
      'To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`',
  );
}

/** 1.13's total norm: each gradient's norm (the largest magnitude for inf), then the norm of those. */
function totalNorm113(fn: string, grads: Tensor[], norm_type: number, error_if_nonfinite: boolean): Tensor {
  const device = grads[0].device;
  let total: Tensor;
  if (norm_type === Infinity) {
    const norms = grads.map((g) => g.detach().abs().max().to(device));
    total = norms.length === 1 ? norms[0] : T.max(T.stack(norms));
  } else {
    total = norm(T.stack(grads.map((g) => norm(g.detach(), norm_type).to(device))), norm_type);
  }
  if (error_if_nonfinite && !Number.isFinite(total.item() as number)) throw nonfiniteError(fn, norm_type);
  return total;
}

/** 2.x's _get_total_norm: the vector norm of every tensor's vector norm, group by group. */
function totalNorm2(fn: string, tensors: Tensor[], norm_type: number, error_if_nonfinite: boolean, foreach: boolean | null): Tensor {
  if (tensors.length === 0) return tensor(0, { dtype: get_default_dtype() });
  const firstDevice = tensors[0].device;
  const norms: Tensor[] = [];
  for (const group of groupByDeviceAndDtype(tensors)) {
    if (useForeach(fn, group.device, foreach)) norms.push(...FOREACH!.norm(group.tensors, norm_type, null));
    else for (const t of group.tensors) norms.push(vector_norm(t, norm_type));
  }
  const total = vector_norm(T.stack(norms.map((n) => n.to(firstDevice))), norm_type);
  if (error_if_nonfinite && !Number.isFinite(total.item() as number)) throw nonfiniteError(fn, norm_type);
  return total;
}

/** Every gradient times min(max_norm / (total + 1e-6), 1); 2.x by group, with _foreach_mul_ where it can. */
function scaleGrads(fn: string, grads: Tensor[], max_norm: number, total: Tensor, foreach: boolean | null): void {
  // Python's float / Tensor is Tensor.__rtruediv__: reciprocal, then multiply.
  const clamped = T.clamp(total.add(1e-6).reciprocal().mul(max_norm), null, 1.0);
  if (!TORCH2) {
    for (const g of grads) g.detach().mul_(clamped.to(g.device));
    return;
  }
  for (const group of groupByDeviceAndDtype(grads)) {
    const coef = clamped.to(group.tensors[0].device);
    if (useForeach(fn, group.device, foreach)) FOREACH!.mulTensor_(group.tensors, coef);
    else for (const g of group.tensors) g.mul_(coef);
  }
}

function gradsOf(parameters: Tensor[]): Tensor[] {
  return parameters.map((p) => p.grad).filter((g): g is Tensor => g !== null);
}

function clipGradNorm(fn: string, a: Required<ClipGradNormKwargs>): Tensor {
  const grads = gradsOf(_tensorList(fn, a.parameters));
  const { max_norm, norm_type, error_if_nonfinite } = a;
  const foreach = a.foreach ?? null;
  // Python's torch.tensor(0.): the default float dtype (a JS 0.0 alone would be an int).
  if (grads.length === 0) return tensor(0, { dtype: get_default_dtype() });
  return no_grad(() => {
    const total = TORCH2 ? totalNorm2(fn, grads, norm_type, error_if_nonfinite, foreach) : totalNorm113(fn, grads, norm_type, error_if_nonfinite);
    scaleGrads(fn, grads, max_norm, total, foreach);
    return total;
  });
}

/**
 * Scales the gradients of parameters in place so that their total norm,
 * ‖(‖g_1‖_p, ..., ‖g_n‖_p)‖_p over every gradient together, is at most
 * max_norm: each g becomes g · min(1, max_norm / (total + 1e-6)).
 * norm_type may be Infinity (the largest absolute value). Returns the total
 * norm before clipping, a 0-d tensor. Python's clip_grad_norm_(parameters,
 * max_norm, norm_type=2.0, error_if_nonfinite=False), with foreach=None
 * after them from PyTorch 2.
 */
export function clip_grad_norm_(...args: ClipGradNormArgs): Tensor;
export function clip_grad_norm_(...args: unknown[]): Tensor {
  return clipGradNorm('clip_grad_norm_', clipGradNormArgs(args));
}

/** Deprecated: clip_grad_norm_ with Python's warning. Python's clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False). */
export function clip_grad_norm(...args: ClipGradNormArgs): Tensor;
export function clip_grad_norm(...args: unknown[]): Tensor {
  const a = clipGradNormDeprecatedArgs(args);
  if (TORCH2) process.emitWarning('`torch.nn.utils.clip_grad_norm` is now deprecated in favor of `torch.nn.utils.clip_grad_norm_`.', 'FutureWarning');
  else process.emitWarning('torch.nn.utils.clip_grad_norm is now deprecated in favor of torch.nn.utils.clip_grad_norm_.', 'UserWarning');
  return clipGradNorm('clip_grad_norm', a);
}

/** What PyTorch added in 2.6 throws under an older libtorch, naming the version, where Python would have no such attribute. */
function requireTorch26(fn: string): void {
  if (!libtorchAtLeast(2, 6)) {
    throw new TypeError(`torch.nn.utils.${fn}() needs libtorch 2.6 or newer (PyTorch added it in 2.6); the loaded libtorch is ${LIBTORCH_VERSION}`);
  }
}

export interface GetTotalNormKwargs {
  tensors: TensorOrTensors;
  norm_type?: number;
  error_if_nonfinite?: boolean;
  foreach?: boolean | null;
}

const getTotalNormArgs = def_<Required<GetTotalNormKwargs>>(
  'get_total_norm(Any tensors, float norm_type=2.0, bool error_if_nonfinite=False, bool? foreach=None)',
);

/**
 * The norm of tensors taken together, as if concatenated into one vector:
 * ‖(‖t_1‖_p, ..., ‖t_n‖_p)‖_p, a 0-d tensor (0. for none). PyTorch 2.6's
 * torch.nn.utils.get_total_norm(tensors, norm_type=2.0,
 * error_if_nonfinite=False, foreach=None), the first half of clip_grad_norm_.
 */
export function get_total_norm(...args: PyArgs<[tensors: TensorOrTensors], [norm_type: number, error_if_nonfinite: boolean, foreach: boolean | null], GetTotalNormKwargs>): Tensor;
export function get_total_norm(...args: unknown[]): Tensor {
  requireTorch26('get_total_norm');
  const a = getTotalNormArgs(args);
  const tensors = _tensorList('get_total_norm', a.tensors);
  return no_grad(() => totalNorm2('get_total_norm', tensors, a.norm_type, a.error_if_nonfinite, a.foreach ?? null));
}

export interface ClipGradsWithNormKwargs {
  parameters: TensorOrTensors;
  max_norm: number;
  total_norm: Tensor;
  foreach?: boolean | null;
}

const clipGradsWithNormArgs = def_<Required<ClipGradsWithNormKwargs>>(
  'clip_grads_with_norm_(Any parameters, float max_norm, Tensor total_norm, bool? foreach=None)',
);

/**
 * Scales every gradient of parameters in place by
 * min(max_norm / (total_norm + 1e-6), 1), given the total norm. PyTorch
 * 2.6's torch.nn.utils.clip_grads_with_norm_(parameters, max_norm,
 * total_norm, foreach=None), the second half of clip_grad_norm_.
 */
export function clip_grads_with_norm_(...args: PyArgs<[parameters: TensorOrTensors, max_norm: number, total_norm: Tensor], [foreach: boolean | null], ClipGradsWithNormKwargs>): void;
export function clip_grads_with_norm_(...args: unknown[]): void {
  requireTorch26('clip_grads_with_norm_');
  const a = clipGradsWithNormArgs(args);
  const grads = gradsOf(_tensorList('clip_grads_with_norm_', a.parameters));
  if (grads.length === 0) return;
  no_grad(() => scaleGrads('clip_grads_with_norm_', grads, a.max_norm, a.total_norm, a.foreach ?? null));
}

export interface ClipGradValueKwargs {
  parameters: TensorOrTensors;
  clip_value: number;
  /** PyTorch 2 only (with libtorch 1.13, as in Python 1.13, an unexpected keyword). */
  foreach?: boolean | null;
}

const clipGradValueArgs = def_<Required<ClipGradValueKwargs>>(`clip_grad_value_(Any parameters, float clip_value${FOREACH_PARAM})`);

/**
 * Clamps every gradient of parameters, in place, to [-clip_value, clip_value].
 * Python's clip_grad_value_(parameters, clip_value), with foreach=None after
 * them from PyTorch 2 (which clamps each group with _foreach_clamp_min_ then
 * _foreach_clamp_max_ where it can).
 */
export function clip_grad_value_(...args: PyArgs<[parameters: TensorOrTensors, clip_value: number], [foreach: boolean | null], ClipGradValueKwargs>): void;
export function clip_grad_value_(...args: unknown[]): void {
  const a = clipGradValueArgs(args);
  const { parameters, clip_value } = a;
  const foreach = a.foreach ?? null;
  const grads = gradsOf(_tensorList('clip_grad_value_', parameters));
  no_grad(() => {
    if (!TORCH2) {
      for (const g of grads) g.detach().clamp_(-clip_value, clip_value);
      return;
    }
    for (const group of groupByDeviceAndDtype(grads)) {
      if (useForeach('clip_grad_value_', group.device, foreach)) {
        FOREACH!.clampMin_(group.tensors, -clip_value);
        FOREACH!.clampMax_(group.tensors, clip_value);
      } else {
        for (const g of group.tensors) g.clamp_(-clip_value, clip_value);
      }
    }
  });
}
