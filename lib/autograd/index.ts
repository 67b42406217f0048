// torch.autograd: backward and grad over libtorch's engine.
import { native } from '../native';
import { PYTHON_DEF } from '../_arg_parser';
import { checkOptions } from '../_options';
import { Tensor } from '../tensor';
import { runBackward, runBackwardAsync } from './_prepared_reducers';

export { no_grad, enable_grad, set_grad_enabled, is_grad_enabled, GradModeGuard, InferenceModeGuard, inference_mode, is_inference_mode_enabled } from './grad_mode';
export { Function, FunctionCtx, once_differentiable } from './function';
export { detect_anomaly, set_detect_anomaly, is_anomaly_enabled, is_anomaly_check_nan_enabled } from './anomaly_mode';
export * as functional from './functional';

function asList(name: string, v: Tensor | readonly (Tensor | null)[] | null | undefined): (Tensor | null)[] {
  if (v == null) return [];
  if (v instanceof Tensor) return [v];
  if (!Array.isArray(v)) throw new TypeError(`${name} must be a Tensor or a list of Tensors, got ${typeof v}`);
  v.forEach((el, i) => {
    if (el !== null && !(el instanceof Tensor)) throw new TypeError(`${name}[${i}] must be a Tensor or null, got ${typeof el}`);
  });
  return [...v];
}

export interface GradOptions {
  grad_outputs?: Tensor | (Tensor | null)[] | null;
  retain_graph?: boolean | null;
  create_graph?: boolean;
  allow_unused?: boolean;
}

/** torch.autograd.grad(outputs, inputs, {...}): the gradients, null where unused (with allow_unused). */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], opts: GradOptions = {}): (Tensor | null)[] {
  checkOptions('grad', opts, { grad_outputs: 'Tensor|any[]?', retain_graph: 'bool?', create_graph: 'bool', allow_unused: 'bool' }, PYTHON_DEF);
  const outs = asList('outputs', outputs) as Tensor[];
  const grads = asList('grad_outputs', opts.grad_outputs);
  while (grads.length < outs.length) grads.push(null);
  return native.autogradGrad(outs, asList('inputs', inputs) as Tensor[], grads, opts.retain_graph ?? null, opts.create_graph ?? false, opts.allow_unused ?? false);
}

export interface BackwardOptions {
  grad_tensors?: Tensor | (Tensor | null)[] | null;
  retain_graph?: boolean | null;
  create_graph?: boolean;
  inputs?: Tensor | Tensor[] | null;
}

const BACKWARD_OPTIONS = { grad_tensors: 'Tensor|any[]?', retain_graph: 'bool?', create_graph: 'bool', inputs: 'Tensor|Tensor[]?' } as const;

function backwardArgs(where: string, tensors: Tensor | Tensor[], opts: BackwardOptions): [Tensor[], (Tensor | null)[], Tensor[] | null] {
  checkOptions(where, opts, BACKWARD_OPTIONS, PYTHON_DEF);
  const ts = asList('tensors', tensors) as Tensor[];
  const grads = asList('grad_tensors', opts.grad_tensors);
  while (grads.length < ts.length) grads.push(null);
  const inputs = opts.inputs == null ? null : (asList('inputs', opts.inputs) as Tensor[]);
  // libtorch's engine reads an empty list as "every leaf"; Python refuses it.
  if (inputs !== null && inputs.length === 0) throw new RangeError(`${where}(): 'inputs' argument to backward() cannot be empty.`);
  return [ts, grads, inputs];
}

/** torch.autograd.backward(tensors, {...}). */
export function backward(tensors: Tensor | Tensor[], opts: BackwardOptions = {}): void {
  const [ts, grads, inputs] = backwardArgs('backward', tensors, opts);
  runBackward('backward()', ts, grads, opts.retain_graph ?? null, opts.create_graph ?? false, inputs);
}

/**
 * torch.autograd.backward on a worker thread, so that the event loop runs
 * meanwhile; resolves once the gradients are in `.grad`. With a
 * DistributedDataParallel module's forward behind it, its gradient
 * all-reduces run there too. Until it settles, the graph's outputs, the DDP
 * module's parameters and their gradients are the worker's: an op on one
 * throws. Hooks and autograd Functions written in JS cannot run off this
 * thread: a graph with one rejects (use backward() for it).
 */
export function backward_async(tensors: Tensor | Tensor[], opts: BackwardOptions = {}): Promise<void> {
  let args: [Tensor[], (Tensor | null)[], Tensor[] | null];
  try {
    args = backwardArgs('backward_async', tensors, opts);
  } catch (e) {
    return Promise.reject(e);
  }
  const [ts, grads, inputs] = args;
  return runBackwardAsync('backward_async()', ts, grads, opts.retain_graph ?? null, opts.create_graph ?? false, inputs);
}
