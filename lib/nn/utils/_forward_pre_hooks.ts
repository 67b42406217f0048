// The forward pre-hooks that weight_norm and spectral_norm need (Python's
// Module.register_forward_pre_hook): nn.Module has none yet, so a module
// that gets one is given its own forward, not enumerable (so that it is no
// member of the module), which runs the module's hooks in registration order
// and then its class's forward. Both are own properties of the module, so
// deepcopy copies them, as Python's deepcopy copies _forward_pre_hooks.
// Removing the last hook removes that forward again.
import type { Module } from '../modules/module';

const HOOKS = Symbol('torchts.nn.forward_pre_hooks');

/** A hook run before each forward: Python's hook(module, inputs). */
export type ForwardPreHook = (module: Module, inputs: unknown[]) => void;

type Hooked = Module & { [HOOKS]?: Map<object, ForwardPreHook> };

function forwardWithPreHooks(this: Hooked, ...inputs: unknown[]): unknown {
  for (const hook of this[HOOKS]?.values() ?? []) hook(this, inputs);
  return (Object.getPrototypeOf(this).forward as (...a: unknown[]) => unknown).apply(this, inputs);
}

/** The hooks of module, in registration order (keyed by the object that owns each). */
export function forwardPreHooks(module: Module): Map<object, ForwardPreHook> {
  return (module as Hooked)[HOOKS] ?? new Map();
}

export function registerForwardPreHook(module: Module, key: object, hook: ForwardPreHook): void {
  const m = module as Hooked;
  if (m[HOOKS] === undefined) {
    Object.defineProperty(m, HOOKS, { value: new Map(), enumerable: false, configurable: true, writable: true });
    Object.defineProperty(m, 'forward', { value: forwardWithPreHooks, enumerable: false, configurable: true, writable: true });
  }
  m[HOOKS]!.set(key, hook);
}

export function removeForwardPreHook(module: Module, key: object): void {
  const m = module as Hooked;
  const hooks = m[HOOKS];
  if (hooks === undefined) return;
  hooks.delete(key);
  if (hooks.size === 0) {
    delete (m as any).forward;
    delete m[HOOKS];
  }
}
