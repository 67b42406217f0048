// The forward pre-hooks that weight_norm and spectral_norm need (Python's
// Module.register_forward_pre_hook): nn.Module has none yet, so a module
// that gets one is given its own forward, not enumerable (so that it is no
// member of the module), which runs the hooks in registration order and then
// the class's forward. Removing the last hook removes that forward again.
import type { Module } from '../modules/module';

const HOOKS = Symbol('torchts.nn.forward_pre_hooks');

/** A hook run before each forward: Python's hook(module, inputs). */
export type ForwardPreHook = (module: Module, inputs: unknown[]) => void;

type Hooked = Module & { [HOOKS]?: Map<object, ForwardPreHook> };

/** The hooks of module, in registration order (keyed by the object that owns each). */
export function forwardPreHooks(module: Module): Map<object, ForwardPreHook> {
  return (module as Hooked)[HOOKS] ?? new Map();
}

export function registerForwardPreHook(module: Module, key: object, hook: ForwardPreHook): void {
  const m = module as Hooked;
  let hooks = m[HOOKS];
  if (hooks === undefined) {
    hooks = new Map();
    Object.defineProperty(m, HOOKS, { value: hooks, enumerable: false, configurable: true });
    const classForward = Object.getPrototypeOf(m).forward as (...inputs: unknown[]) => unknown;
    const table = hooks;
    Object.defineProperty(m, 'forward', {
      value: function forward(this: Module, ...inputs: unknown[]) {
        for (const h of table.values()) h(module, inputs);
        return classForward.apply(this, inputs);
      },
      enumerable: false,
      configurable: true,
      writable: true,
    });
  }
  hooks.set(key, hook);
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
