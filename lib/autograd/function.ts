// torch.autograd.Function, after torch/autograd/function.py (1.13): a
// differentiable operation written as a static forward and backward in
// TypeScript. forward runs with gradients off; native/autograd.cc then makes
// the graph node (its name the class's name plus "Backward", as Python's
// metaclass names it) whose apply() libtorch's engine calls during an
// ordinary loss.backward(), and which calls back here, by the node's id, to
// run the class's backward with its ctx.
import { native } from '../native';
import { Tensor } from '../tensor';
import { is_grad_enabled, no_grad } from './grad_mode';

/** The ctx of one Function.apply, as Python's FunctionCtx (plus the BackwardCFunction it becomes). */
export class FunctionCtx {
  /** Per forward argument: whether it is a tensor that requires grad. */
  needs_input_grad: boolean[] = [];
  /** @internal what save_for_backward was given, until the node keeps it. */
  to_save: (Tensor | null | undefined)[] = [];
  /** @internal */
  dirty_tensors: Tensor[] = [];
  /** @internal */
  non_differentiable: Tensor[] = [];
  /** @internal */
  materialize_grads = true;
  /** @internal the graph node's id once apply made one (0: none). */
  _nodeId = 0;
  /**
   * Attributes a forward stores for its backward (Python's ctx.foo = ...).
   * Tensors go through save_for_backward instead: an output kept here would
   * hold its own graph node alive through the ctx, a cycle that Python's
   * garbage collector breaks and nothing here does.
   */
  [attribute: string]: unknown;

  /**
   * Saves tensors for backward, read back there as ctx.saved_tensors. Only
   * inputs, outputs or null may be saved, as in Python; the node keeps them
   * the way libtorch keeps its own (an output saved does not keep its own
   * node alive), and backward frees them unless retain_graph.
   */
  save_for_backward(...tensors: (Tensor | null | undefined)[]): void {
    tensors.forEach((t, i) => {
      if (t != null && !(t instanceof Tensor)) {
        throw new TypeError(`save_for_backward can only save variables, but argument ${i} is of type ${typeName(t)}`);
      }
    });
    this.to_save = tensors;
  }

  /** Marks inputs that forward modified in place (they must be returned as outputs). */
  mark_dirty(...tensors: Tensor[]): void {
    this.dirty_tensors = checkTensors('mark_dirty', tensors);
  }

  /** Marks outputs that get no gradient: they do not require grad, and backward receives zeros (or null) for them. */
  mark_non_differentiable(...tensors: Tensor[]): void {
    this.non_differentiable = checkTensors('mark_non_differentiable', tensors);
  }

  /**
   * Whether an output that got no gradient is handed to backward as zeros of
   * its shape (true, the default) or as null.
   */
  set_materialize_grads(value: boolean): void {
    if (typeof value !== 'boolean') throw new TypeError(`set_materialize_grads(): value must be a boolean, got ${typeName(value)}`);
    this.materialize_grads = value;
  }

  /** The tensors save_for_backward was given, as backward sees them (null where null was saved). */
  get saved_tensors(): (Tensor | null)[] {
    if (this._nodeId === 0) return this.to_save.map((t) => t ?? null);
    return native.functionSavedTensors(this._nodeId);
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

function checkTensors(fn: string, tensors: unknown[]): Tensor[] {
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${fn}(): argument ${i} must be a Tensor, got ${typeName(t)}`);
  });
  return tensors as Tensor[];
}

interface Entry {
  cls: typeof Function;
  ctx: FunctionCtx;
  name: string;
  /** Per forward argument: whether it was a tensor (a tensor gets an edge; the rest may only get null). */
  isTensor: boolean[];
}

const live = new Map<number, Entry>();

/** A graph node's post hook: (the gradients it computed for its inputs, those it was given) => replacements or nothing. */
export type NodePostHook = (grad_inputs: (Tensor | null)[], grad_outputs: (Tensor | null)[]) => (Tensor | null)[] | null | undefined | void;
const nodeHooks = new Map<number, NodePostHook>();

// The engine calls this, by node id, with one gradient per forward output
// (null for a non-tensor output); it returns one gradient per tensor input,
// after Python's checks in PyNode::apply.
native.setFunctionDispatcher((id: number, grads: (Tensor | null)[], gradOutputs?: (Tensor | null)[]) => {
  if (gradOutputs !== undefined) {
    const hook = nodeHooks.get(id);
    return hook === undefined ? undefined : hook(grads, gradOutputs);
  }
  const entry = live.get(id);
  if (entry === undefined) throw new Error(`autograd.Function: the node ${id} has no backward (its ctx was freed)`);
  const { cls, ctx, name, isTensor } = entry;
  // Python's vjp is another name for backward: a class defines one of them.
  const overridesBackward = cls.backward !== Function.backward;
  const overridesVjp = cls.vjp !== Function.vjp;
  if (overridesBackward && overridesVjp) {
    throw new Error("Implementing both 'backward' and 'vjp' for a custom Function is not allowed. You should only implement one of them.");
  }
  const result: unknown = overridesVjp ? cls.vjp(ctx, ...grads) : cls.backward(ctx, ...grads);
  let results: unknown[] = Array.isArray(result) ? result : [result];
  const expected = isTensor.length;
  // Surplus trailing nulls are dropped, as Python drops them.
  if (results.length > expected && results.slice(expected).every((g) => g == null)) results = results.slice(0, expected);
  if (results.length !== expected) {
    throw new RangeError(`function ${name} returned an incorrect number of gradients (expected ${expected}, got ${results.length})`);
  }
  const out: (Tensor | null)[] = [];
  results.forEach((g, i) => {
    if (g != null && !(g instanceof Tensor)) throw new TypeError(`expected Variable or None (got ${typeName(g)})`);
    if (!isTensor[i]) {
      if (g != null) {
        throw new TypeError(`function ${name} returned a gradient different than None at position ${i + 1}, but the corresponding forward input was not a Variable`);
      }
      return;
    }
    out.push((g as Tensor | undefined) ?? null);
  });
  return out;
});

function forgetDead(): void {
  for (const id of native.takeDeadFunctions()) {
    live.delete(id);
    nodeHooks.delete(id);
  }
}

/** How many applied Functions keep their JS side (class, ctx) for a graph node still alive: for tests. */
export function _liveFunctionCount(): number {
  forgetDead();
  return live.size;
}

/**
 * Python's `tensor.grad_fn.register_hook(hook)`: hook runs after the node
 * computes its gradients; an array it returns replaces them. The hook lives
 * as long as the node.
 */
export function registerNodeHook(tensor: Tensor, hook: NodePostHook): void {
  if (typeof hook !== 'function') throw new TypeError(`register_hook(): hook must be a function, got ${typeName(hook)}`);
  forgetDead();
  nodeHooks.set(native.registerNodeHook(tensor), hook);
}

/**
 * Python's torch.autograd.Function: subclass it with a static forward and a
 * static backward, then call the subclass's apply.
 *
 * ```ts
 * class MyExp extends torch.autograd.Function {
 *   static forward(ctx: FunctionCtx, x: Tensor) { const y = x.exp(); ctx.save_for_backward(y); return y; }
 *   static backward(ctx: FunctionCtx, g: Tensor) { const [y] = ctx.saved_tensors; return g.mul(y!); }
 * }
 * const y = MyExp.apply(x);
 * ```
 *
 * forward(ctx, ...args) runs with gradients off and returns a tensor or an
 * array of outputs (tensors or other values). backward(ctx, ...grads) gets
 * one gradient per output and returns one per forward argument: a tensor of
 * the argument's shape, or null where the argument needs none (a non-tensor
 * argument's is always null). When backward is itself made of differentiable
 * operations, create_graph gives higher derivatives, as in Python.
 */
export class Function {
  constructor() {
    throw new TypeError(
      `${new.target.name}: autograd.Function is not instantiated; call its static apply(...) (Python's Function.apply), forward and backward being static methods`,
    );
  }

  /** Performs the operation: override it as `static forward(ctx, ...args)`. */
  static forward(_ctx: FunctionCtx, ..._args: any[]): any {
    throw new Error('You must implement the forward function for custom autograd.Function.');
  }

  /** The gradient formula: override it as `static backward(ctx, ...grad_outputs)`, one gradient returned per forward argument. */
  static backward(_ctx: FunctionCtx, ..._grad_outputs: any[]): any {
    throw new Error('You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.');
  }

  /** Python's Function.vjp: another name for backward (override one of the two). */
  static vjp(_ctx: FunctionCtx, ..._grad_outputs: any[]): any {
    throw new Error('You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.');
  }

  /** Python's Function.apply(*args): runs forward and records backward into the graph. */
  static apply<C extends typeof Function>(this: C, ...args: Parameters<C['forward']> extends [any, ...infer A] ? A : never): ReturnType<C['forward']>;
  static apply(this: typeof Function, ...args: unknown[]): unknown {
    if (this === Function) throw new TypeError('autograd.Function.apply: call it on a subclass that defines forward and backward');
    forgetDead();
    const ctx = new FunctionCtx();
    const isTensor = args.map((a) => a instanceof Tensor);
    ctx.needs_input_grad = args.map((a) => a instanceof Tensor && a.requires_grad);
    const raw: unknown = no_grad(() => this.forward(ctx, ...args));
    const tuple = Array.isArray(raw);
    const outputs: unknown[] = tuple ? [...(raw as unknown[])] : [raw];
    const name = `${this.name}Backward`;
    const [id, wrapped] = native.functionApply(
      name,
      args.filter((a): a is Tensor => a instanceof Tensor),
      outputs.map((o) => (o instanceof Tensor ? o : null)),
      ctx.to_save.map((t) => t ?? null),
      ctx.dirty_tensors,
      ctx.non_differentiable,
      ctx.materialize_grads,
    ) as [number, (Tensor | null)[]];
    if (id !== 0) {
      ctx._nodeId = id;
      ctx.to_save = [];
      live.set(id, { cls: this, ctx, name, isTensor });
    }
    const result = outputs.map((o, i) => (o instanceof Tensor ? wrapped[i] : o));
    return tuple ? result : result[0];
  }
}

const ONCE = 'trying to differentiate twice a function that was marked with @once_differentiable';

/**
 * Python's @once_differentiable: wraps a backward so that it runs with
 * gradients off (it need not be differentiable), and differentiating its
 * result again is an error rather than a silent zero.
 * `static backward = once_differentiable((ctx, g) => ...)`.
 */
export function once_differentiable<F extends (ctx: FunctionCtx, ...grads: any[]) => any>(fn: F): F {
  if (typeof fn !== 'function') throw new TypeError(`once_differentiable(): expected a backward function, got ${typeName(fn)}`);
  const wrapped = function (this: unknown, ctx: FunctionCtx, ...grads: unknown[]): unknown {
    const outputs = no_grad(() => fn.call(this, ctx, ...grads));
    if (!is_grad_enabled()) return outputs;
    if (!grads.some((g) => g instanceof Tensor && g.requires_grad)) return outputs;
    const list: unknown[] = Array.isArray(outputs) ? outputs : [outputs];
    list.forEach((o) => {
      if (o != null && !(o instanceof Tensor)) throw new TypeError(`expected Variable or None (got ${typeName(o)})`);
    });
    return native.delayedError(ONCE, list.map((o) => (o as Tensor | null | undefined) ?? null));
  };
  return wrapped as unknown as F;
}
