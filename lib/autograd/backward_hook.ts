// What Module.register_full_backward_hook runs on, after torch/utils/hooks.py's
// BackwardHook and torch/nn/modules/_functions.py's BackwardHookFunction
// (1.13): the module's tensor inputs and outputs pass through an identity
// Function, whose backward sees the gradients with respect to the outputs
// (kept) and then those with respect to the inputs, where the user's hooks
// run and may replace them.
import { is_grad_enabled } from './grad_mode';
import { Function, type FunctionCtx } from './function';
import { native } from '../native';
import { Tensor } from '../tensor';

type Grads = (Tensor | null)[];
type OnBackward = (grads: Grads) => Grads | null | undefined | void;

/**
 * Python's BackwardHookFunction: the identity on its tensors, the ones that
 * do not require grad marked non-differentiable; its backward hands the
 * gradients to the callback the caller put on ctx.
 */
class BackwardHookFunction extends Function {
  static override forward(ctx: FunctionCtx, onBackward: OnBackward, ...args: Tensor[]): Tensor[] {
    ctx.onBackward = onBackward;
    ctx.mark_non_differentiable(...args.filter((a) => !a.requires_grad));
    return args;
  }

  static override backward(ctx: FunctionCtx, ...grads: Grads): Grads {
    const replaced = (ctx.onBackward as OnBackward)(grads);
    return [null, ...(replaced ?? grads)];
  }
}

/** A full backward hook: hook(module, grad_input, grad_output) returns replacements for grad_input, or nothing. */
export type FullBackwardHook<M> = (module: M, grad_input: Grads, grad_output: Grads) => Grads | null | undefined | void;

/** Python's torch.utils.hooks.BackwardHook: one per forward call of a module with full backward hooks. */
export class BackwardHook<M> {
  private gradOutputs: Grads | null = null;
  private nInputs = -1;
  private inputTensorsIndex: number[] | null = null;
  private nOutputs = -1;
  private outputTensorsIndex: number[] | null = null;

  constructor(
    private readonly module: M,
    private readonly userHooks: FullBackwardHook<M>[],
  ) {}

  private packWithNone(indices: number[], values: Grads, size: number): Grads {
    const res: Grads = new Array(size).fill(null);
    indices.forEach((idx, k) => (res[idx] = values[k] ?? null));
    return res;
  }

  private unpackNone(indices: number[], values: Grads): Grads {
    return indices.map((idx) => values[idx] ?? null);
  }

  // The tensors among args go through one BackwardHookFunction when any
  // requires grad and grad mode is on; [new args, their indices or null].
  private applyOnTensors(onBackward: OnBackward, args: unknown[]): [unknown[], number[] | null] {
    const idx: number[] = [];
    const tensors: Tensor[] = [];
    let requiresGrad = false;
    args.forEach((a, i) => {
      if (a instanceof Tensor) {
        idx.push(i);
        tensors.push(a);
        requiresGrad ||= a.requires_grad;
      }
    });
    if (!(requiresGrad && is_grad_enabled())) return [args, null];
    const newTensors = BackwardHookFunction.apply(onBackward, ...tensors);
    const out = [...args];
    idx.forEach((i, k) => (out[i] = newTensors[k]));
    return [out, idx];
  }

  setup_input_hook(args: unknown[]): unknown[] {
    const [res, idx] = this.applyOnTensors((gradInput) => {
      // The gradient reached the inputs without passing the outputs (double backward).
      if (this.gradOutputs === null) return undefined;
      let res = this.packWithNone(this.inputTensorsIndex!, gradInput, this.nInputs);
      for (const hook of this.userHooks) {
        const out = hook(this.module, res, this.gradOutputs);
        if (out == null) continue;
        if (!Array.isArray(out) || out.length !== res.length) {
          throw new RangeError(`Backward hook returned an invalid number of grad_input, got ${Array.isArray(out) ? out.length : 1}, but expected ${res.length}`);
        }
        res = out;
      }
      this.gradOutputs = null;
      return this.unpackNone(this.inputTensorsIndex!, res);
    }, args);
    this.nInputs = args.length;
    this.inputTensorsIndex = idx;
    return res;
  }

  setup_output_hook(result: unknown): unknown {
    const isTuple = Array.isArray(result);
    const args = isTuple ? (result as unknown[]) : [result];
    const [res, idx] = this.applyOnTensors((gradOutput) => {
      this.gradOutputs = this.packWithNone(this.outputTensorsIndex!, gradOutput, this.nOutputs);
      // No input requires grad: the hooks run here, and may not return gradients.
      if (this.inputTensorsIndex === null) {
        const gradInputs = this.packWithNone([], [], this.nInputs);
        for (const hook of this.userHooks) {
          const r = hook(this.module, gradInputs, this.gradOutputs);
          if (r != null && !(Array.isArray(r) && r.every((el) => el == null))) {
            throw new Error('Backward hook for Modules where no input requires gradient should always return None or None for all gradients.');
          }
        }
        this.gradOutputs = null;
      }
      return undefined;
    }, args);
    this.nOutputs = args.length;
    this.outputTensorsIndex = idx;
    return isTuple ? res : res[0];
  }
}

const warned = new Set<string>();

// Python's warnings.warn under its default filter: once per place; here, once per message.
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, 'UserWarning');
}

/**
 * Python's Module._maybe_warn_non_full_backward_hook: a deprecated backward
 * hook sees only the last node's gradients, and Python says so where that
 * node is not the whole module (graph nodes compared by identity, as Python
 * compares grad_fn objects). `var` is the output tensor the hook went on.
 */
export function maybeWarnNonFullBackwardHook(inputs: unknown[], result: unknown, v: Tensor): void {
  const results = result instanceof Tensor ? [result] : result;
  if (!(Array.isArray(results) && results.every((r) => r instanceof Tensor))) {
    warnOnce(
      'Using non-full backward hooks on a Module that does not return a single Tensor or a tuple of Tensors is deprecated and will be removed in future versions. This hook will be missing some of the grad_output. Please use register_full_backward_hook to get the documented behavior.',
    );
    return;
  }
  if (!inputs.every((i) => i instanceof Tensor)) {
    warnOnce(
      'Using non-full backward hooks on a Module that does not take as input a single Tensor or a tuple of Tensors is deprecated and will be removed in future versions. This hook will be missing some of the grad_input. Please use register_full_backward_hook to get the documented behavior.',
    );
    return;
  }
  const gradFn = native.gradFnKey(v);
  const outGradFn = new Set((results as Tensor[]).map((r) => native.gradFnKey(r)).filter((k) => k !== 0));
  if (outGradFn.size === 0 || (outGradFn.size === 1 && !outGradFn.has(gradFn))) {
    warnOnce('Using a non-full backward hook when outputs are nested in python data structure is deprecated and will be removed in future versions. This hook will be missing some grad_output.');
  } else if (outGradFn.size > 1) {
    warnOnce(
      'Using a non-full backward hook when outputs are generated by different autograd Nodes is deprecated and will be removed in future versions. This hook will be missing some grad_output. Please use register_full_backward_hook to get the documented behavior.',
    );
  } else {
    const inputsGradFn = new Set((inputs as Tensor[]).map((i) => native.gradFnKey(i)).filter((k) => k !== 0));
    const next = new Set(native.nextFunctionKeys(v));
    const same = inputsGradFn.size === next.size && [...next].every((k) => inputsGradFn.has(k));
    if (!same) {
      warnOnce(
        'Using a non-full backward hook when the forward contains multiple autograd Nodes is deprecated and will be removed in future versions. This hook will be missing some grad_input. Please use register_full_backward_hook to get the documented behavior.',
      );
    }
  }
}
